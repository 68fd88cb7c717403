/**
 * `npm run emulator`: reads credentials from the environment, prints its URL, exits cleanly on
 * SIGTERM, and names a missing variable.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');
const env = (extra: Record<string, string>) => {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const k of ['AGORA_APP_ID', 'AGORA_CUSTOMER_ID', 'AGORA_CUSTOMER_SECRET', 'AGORA_APP_CERTIFICATE']) {
    if (!(k in extra)) delete e[k];
  }
  return e;
};

describe('emulator/main.ts', () => {
  it('prints one line with its URL, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(TSX, ['emulator/main.ts', '--port', '0'], {
      cwd: ROOT,
      env: env({ AGORA_APP_ID: 'app', AGORA_CUSTOMER_ID: 'id', AGORA_CUSTOMER_SECRET: 'secret' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = await new Promise<string>((res, rej) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) res(out.trim());
      });
      child.once('exit', (code) => rej(new Error(`exited ${code}`)));
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(line)?.[1];
    expect(url).toBeDefined();
    const health = await fetch(`${url}/__emulator/health`);
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('names the missing environment variable', async () => {
    const child = spawn(TSX, ['emulator/main.ts'], {
      cwd: ROOT,
      env: env({ AGORA_APP_ID: 'app' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(err).toContain('AGORA_CUSTOMER_ID');
  });
});
