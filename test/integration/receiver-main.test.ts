/**
 * `npm run receiver` as a real process: configuration errors, .env loading, starting while
 * Temporal is down and recovering when it comes up, and a clean exit on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../helpers/dev-server';
import { freePort } from '../helpers/free-port';
import { httpSend, NCS_SECRET, ncsEvent, ncsRequest, postNcs } from '../helpers/ncs';
import { waitFor } from '../helpers/wait-for';

const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(ROOT, 'client', 'receiver', 'main.ts');

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs main.ts in an empty directory (so no project .env is read) with exactly `env` set. */
function run(env: Record<string, string>, dotEnv?: string): Run {
  const cwd = mkdtempSync(path.join(tmpdir(), 'receiver-main-'));
  if (dotEnv !== undefined) writeFileSync(path.join(cwd, '.env'), dotEnv);
  const child = spawn(TSX, [MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

const listening = async (r: Run) => {
  const m = await waitFor(() => /listening on (http:\/\/\S+)\/agora\/ncs/.exec(r.output()), {
    timeoutMs: 30_000,
    what: 'the receiver to print its URL',
  });
  return m[1]!;
};

describe('npm run receiver', () => {
  const runs: Run[] = [];
  let server: DevServer | undefined;
  afterAll(async () => {
    for (const r of runs) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    await server?.stop();
  });

  it('exits 2 naming the missing variable', async () => {
    const r = run({});
    expect(await r.exited).toBe(2);
    expect(r.output()).toMatch(/AGORA_NCS_SECRETS: is required/);
  });

  it('starts while Temporal is down (503), recovers when it comes up, and exits 0 on SIGTERM', async () => {
    const temporalPort = await freePort();
    const r = run(
      {
        TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
        RECEIVER_PORT: '0',
        RECEIVER_SIGNAL_TIMEOUT_MS: '1000',
      },
      // .env supplies what the environment does not; RECEIVER_PORT=0 from the environment wins.
      `AGORA_NCS_SECRETS=${NCS_SECRET}\nRECEIVER_PORT=1\n`,
    );
    runs.push(r);
    const url = await listening(r);
    expect((await httpSend(url, { method: 'GET', path: '/healthz' })).status).toBe(200);
    expect((await httpSend(url, { method: 'GET', path: '/readyz' })).status).toBe(503);
    const target = { cname: 'nobody-here', uid: '1', sid: 'c'.repeat(32) };
    expect((await postNcs(url, ncsRequest(ncsEvent.snapshotFile(target)))).status).toBe(503);

    server = await startDevServer({ port: temporalPort });
    await waitFor(async () => (await httpSend(url, { method: 'GET', path: '/readyz' })).status === 200, {
      timeoutMs: 20_000,
      what: 'readyz 200 after Temporal came up',
    });
    // Agora resends until it gets 200; a just-started server may need a moment for visibility.
    await waitFor(
      async () => (await postNcs(url, ncsRequest(ncsEvent.snapshotFile(target)))).status === 200,
      {
        timeoutMs: 20_000,
        what: 'a callback acknowledged after Temporal came up',
      },
    );

    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    const lines = r
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    const verdicts = lines.map((l) => (JSON.parse(l) as { verdict: string }).verdict);
    expect(verdicts[0]).toBe('temporal-unavailable');
    expect(verdicts.at(-1)).toBe('unknown-capture');
    expect(new Set(verdicts)).toEqual(new Set(['temporal-unavailable', 'unknown-capture']));
    expect(r.output()).not.toContain(NCS_SECRET);
  });
});
