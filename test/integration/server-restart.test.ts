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

    await server.stop('SIGKILL');
    server = await startDevServer({ dbFilename: db, port: server.port });

    const result = await waitForCapture(h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped', sid: running.sid });
    expect(Date.parse(result.endedAt)).toBeGreaterThanOrEqual(Date.parse(running.deadline!));
    const sessions = h.emulator.ledger().filter((e) => e.cname === result.channel);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ active: false, endedBy: 'stop', stopCalls: 1 });
  }, 150_000);
});
