import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCapture, startCapture, stopCapture, waitForCapture } from '../../client/api';
import { agoraError, type AgoraEmulator, startEmulator } from '../../emulator';
import { loadWorkerConfig } from '../../worker/config';
import { createCaptureWorker } from '../../worker/create-worker';
import { APP_ID, CUSTOMER_ID, SECRETS, captureRequest } from '../helpers/fixtures';
import { workerEnv, workflowBundle } from '../helpers/harness';
import { waitFor } from '../helpers/wait-for';
import { startTimeSkipping, testServerPath } from './environment';

const MINUTE = 60_000;

// Agora's stop failing for longer than the old 30-minute limit, in seconds of wall time.
describe.skipIf(!testServerPath)('a stop that keeps failing, under the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  let emulator: AgoraEmulator;
  beforeAll(async () => {
    env = await startTimeSkipping();
    emulator = await startEmulator({
      appId: APP_ID,
      customerId: CUSTOMER_ID,
      customerSecret: SECRETS.customerSecret,
      appCertificate: SECRETS.appCertificate,
    });
  });
  afterAll(async () => {
    await emulator?.close();
    await env?.teardown();
  });

  const worker = async (taskQueue: string) => {
    const config = loadWorkerConfig(workerEnv(emulator.url, env.address, taskQueue));
    return createCaptureWorker({
      connection: env.nativeConnection,
      config,
      workflowBundle: await workflowBundle(),
    });
  };

  it('keeps retrying past 30 minutes, shows STOPPING with the error, and stops the session when Agora recovers', async () => {
    const taskQueue = 'stop-failing-recovers';
    const { worker: w, agora } = await worker(taskQueue);
    const req = captureRequest({ durationSeconds: 60 });
    const out = await w.runUntil(async () => {
      const { workflowId } = await startCapture(env.client, taskQueue, req, { wait: false });
      emulator.inject('stop', ...Array.from({ length: 200 }, () => agoraError(500, 1, 'internal')));
      await env.sleep(40 * MINUTE);
      const during = await getCapture(env.client, workflowId);
      emulator.clearFaults(); // Agora recovers
      const result = await waitForCapture(env.client, workflowId);
      return { during, result, after: await getCapture(env.client, workflowId) };
    });
    await agora.close();
    expect(out.during).toMatchObject({
      phase: 'STOPPING',
      lastError: expect.objectContaining({ type: 'AgoraServerError' }),
      openSessions: [expect.stringMatching(/:[0-9a-f]{32}$/)],
    });
    expect(out.during.stopFailingSince).toBeDefined();
    const stops = emulator.requests().filter((r) => r.endpoint === 'stop');
    const failed = stops.filter((r) => r.status === 500);
    expect(failed.length).toBeGreaterThan(10); // rounds across 40 minutes, not one 30-minute activity
    expect(stops.at(-1)!.status).toBe(200);
    expect(out.result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped' });
    expect(out.after).toMatchObject({ phase: 'STOPPED', openSessions: [] });
    expect(out.after.stopFailingSince).toBeUndefined();
    expect(emulator.ledger().filter((e) => e.cname === req.channel)).toEqual([
      expect.objectContaining({ active: false, endedBy: 'stop', stopCalls: 1 }),
    ]);
  }, 180_000);

  it('gives up only once the session can no longer bill (its resourceExpiredHour), ending FAILED with the stop failed', async () => {
    emulator.reset();
    const taskQueue = 'stop-failing-expires';
    const { worker: w, agora } = await worker(taskQueue);
    const req = captureRequest({ durationSeconds: 600 });
    const out = await w.runUntil(async () => {
      const { workflowId } = await startCapture(env.client, taskQueue, req, { wait: false });
      emulator.inject('stop', ...Array.from({ length: 400 }, () => agoraError(401, 0, 'unauthorized')));
      // Stopped once Agora runs the session (a stop before that ends it with nothing started).
      await waitFor(
        async () => ((await getCapture(env.client, workflowId)).phase === 'CAPTURING' ? true : undefined),
        { what: 'CAPTURING' },
      );
      await stopCapture(env.client, workflowId, { reason: 'test' });
      const err = await waitForCapture(env.client, workflowId).catch((e: unknown) => e);
      return { err, status: await getCapture(env.client, workflowId) };
    });
    await agora.close();
    emulator.clearFaults();
    expect(out.err).toBeInstanceOf(Error);
    expect(out.status).toMatchObject({ phase: 'FAILED', stopOutcome: 'failed', endReason: 'failed' });
    // 600 s of capture → resourceExpiredHour 2: the stop kept trying for about two hours.
    const ranMs = Date.parse(out.status.endedAt!) - Date.parse(out.status.startedAt!);
    expect(ranMs).toBeGreaterThanOrEqual(2 * 60 * MINUTE);
    expect(ranMs).toBeLessThan(2 * 60 * MINUTE + 15 * MINUTE);
  }, 180_000);
});
