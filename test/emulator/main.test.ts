/**
 * `npm run emulator`: reads credentials from the environment, prints its URL, exits cleanly on
 * SIGTERM, and names a missing variable. With the simulation flags it plays a scenario, writes
 * screenshots into --bucket-dir and posts signed callbacks to --callback-url.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Api, APP_ID, CUSTOMER_ID, CUSTOMER_SECRET } from './helpers';
import { listFiles, Receiver, SECRET, until } from './sim-helpers';

const ROOT = resolve(__dirname, '../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');
const env = (extra: Record<string, string>) => {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const k of [
    'AGORA_APP_ID',
    'AGORA_CUSTOMER_ID',
    'AGORA_CUSTOMER_SECRET',
    'AGORA_APP_CERTIFICATE',
    'AGORA_NCS_SECRETS',
    'EMULATOR_CALLBACK_URL',
    'EMULATOR_NCS_SECRET',
  ]) {
    if (!(k in extra)) delete e[k];
    if (!(`${k}_FILE` in extra)) delete e[`${k}_FILE`];
  }
  return e;
};

describe('emulator/main.ts', () => {
  it('prints its URL, serves, and exits 0 on SIGTERM', async () => {
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

  it('reads the customer secret from AGORA_CUSTOMER_SECRET_FILE (compose secrets)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'emu-secret-')), 'customer-secret');
    writeFileSync(file, `${CUSTOMER_SECRET}\n`);
    const child = spawn(TSX, ['emulator/main.ts', '--port', '0'], {
      cwd: ROOT,
      env: env({ AGORA_APP_ID: APP_ID, AGORA_CUSTOMER_ID: CUSTOMER_ID, AGORA_CUSTOMER_SECRET_FILE: file }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((res, rej) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
          if (m) res(m[1]!);
        });
        child.once('exit', (code) => rej(new Error(`exited ${code}`)));
      });
      // Basic auth with the secret from the file is accepted.
      expect((await new Api(url).acquire()).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
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

  it('--scenario, --callback-url, --bucket-dir, --time-scale: video goes off and on, files and signed callbacks', async () => {
    const receiver = await Receiver.start();
    const bucketDir = mkdtempSync(join(tmpdir(), 'emu-main-bucket-'));
    const args = ['emulator/main.ts', '--port', '0', '--scenario', 'emulator/scenarios/demo.json'];
    args.push('--callback-url', receiver.url, '--bucket-dir', bucketDir, '--time-scale', '0.1');
    const child = spawn(TSX, args, {
      cwd: ROOT,
      env: env({
        AGORA_APP_ID: APP_ID,
        AGORA_CUSTOMER_ID: CUSTOMER_ID,
        AGORA_CUSTOMER_SECRET: CUSTOMER_SECRET,
        AGORA_NCS_SECRETS: `${SECRET}, older-secret`,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const out = await stdoutUntil(child, /bucket folder: (.+)$/m);
      expect(out).toContain(`bucket folder: ${bucketDir}`);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)?.[1] ?? '';
      await new Api(url).startSession();
      // demo.json: 1001 joins at 0, video off at 12 s, on at 20 s; × 0.1.
      await until('44: 0, 1, 0', () => receiver.events(44).length === 3, 10_000);
      expect(receiver.events(44).map((b) => b.payload.details.state)).toEqual([0, 1, 0]);
      expect(receiver.got.every((g) => g.sha1Ok && g.sha256Ok)).toBe(true);
      await until('a file after video on', () => {
        const on = receiver.events(44)[2]?.payload.sequence ?? Infinity;
        return receiver.events(45).some((b) => b.payload.sequence > on);
      });
      const onDisk = new Set(listFiles(bucketDir));
      expect(receiver.events(45).filter((b) => !onDisk.has(b.payload.details.fileName as string))).toEqual(
        [],
      );
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
      await receiver.close();
    }
  });

  it('refuses a callback URL without a secret', async () => {
    const child = spawn(TSX, ['emulator/main.ts', '--callback-url', 'http://127.0.0.1:1/x'], {
      cwd: ROOT,
      env: env({ AGORA_APP_ID: 'app', AGORA_CUSTOMER_ID: 'id', AGORA_CUSTOMER_SECRET: 'secret' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(err).toMatch(/EMULATOR_NCS_SECRET or AGORA_NCS_SECRETS/);
  });
});

/** Collects stdout until `re` matches; rejects if the process exits first. */
function stdoutUntil(child: ChildProcessByStdio<null, Readable, Readable>, re: RegExp): Promise<string> {
  return new Promise<string>((res, rej) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (re.test(out)) res(out);
    });
    child.once('exit', (code) => rej(new Error(`exited ${code}`)));
  });
}
