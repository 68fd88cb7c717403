import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCapture, waitForCapture } from '../../client/api';
import { type DevServer, startDevServer } from '../helpers/dev-server';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness, workerEnv } from '../helpers/harness';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';
import { waitFor } from '../helpers/wait-for';
import { spawnCli } from '../helpers/run-cli';

describe('the Temporal server restarted mid-capture', () => {
  let server: DevServer;
  let h: Harness;
  let worker: WorkerProcess | undefined;
  const db = path.join(mkdtempSync(path.join(tmpdir(), 'agora-capture-db-')), 'temporal.db');

  beforeAll(async () => {
    server = await startDevServer({ dbFilename: db });
    h = await startHarness({ address: server.address, inProcessWorker: false });
  });
  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await h?.close();
    await server?.stop();
  });

  it('keeps the capture (persistent --db-filename): it ends on time and the session is stopped', async () => {
    worker = await spawnWorker(workerEnv(h.emulator.url, server.address, h.taskQueue));
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 15 }));
    const running = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.phase === 'CAPTURING' ? s : undefined;
      },
      { what: 'CAPTURING', timeoutMs: 30_000 },
    );

    // An operator watching through the outage: it must say Temporal is away, never that the
    // capture failed (it did, with a session "left open", before).
    const watch = spawnCli(['watch', workflowId], h.taskQueue, { TEMPORAL_ADDRESS: server.address });
    await waitFor(() => (watch.stdout().includes('CAPTURING') ? true : undefined), { what: 'watch running' });
    await server.stop('SIGKILL');
    await waitFor(() => (watch.stdout().includes('waiting: Temporal is not reachable') ? true : undefined), {
      what: 'watch saying Temporal is away',
      timeoutMs: 60_000,
    });
    expect(watch.exited()).toBe(false);
    server = await startDevServer({ dbFilename: db, port: server.port });

    const result = await waitForCapture(h.env.client, workflowId);
    const watched = await watch.done;
    expect(watched).toMatchObject({ code: 0, stderr: '' });
    expect(watched.stdout).not.toMatch(/failed|left open/);
    expect(watched.stdout).toMatch(/STOPPED/);
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped', sid: running.sid });
    expect(Date.parse(result.endedAt)).toBeGreaterThanOrEqual(Date.parse(running.deadline!));
    const sessions = h.emulator.ledger().filter((e) => e.cname === result.channel);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ active: false, endedBy: 'stop', stopCalls: 1 });
  }, 150_000);
});
