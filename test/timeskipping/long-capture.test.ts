import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCapture, startCapture, waitForCapture } from '../../client/api';
import { type AgoraEmulator, startEmulator } from '../../emulator';
import { loadWorkerConfig } from '../../worker/config';
import { createCaptureWorker } from '../../worker/create-worker';
import { APP_ID, CUSTOMER_ID, SECRETS, captureRequest } from '../helpers/fixtures';
import { workerEnv, workflowBundle } from '../helpers/harness';
import { startTimeSkipping, testServerPath } from './environment';

// Hours of capture in seconds of wall time: Temporal's official Java time-skipping test server.
describe.skipIf(!testServerPath)('a multi-hour capture under the time-skipping test server', () => {
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

  it('ends a 6-hour capture at its deadline, health-checking Agora on the way, and stops the session', async () => {
    const taskQueue = 'long-capture';
    const config = loadWorkerConfig(workerEnv(emulator.url, env.address, taskQueue));
    const { worker, agora } = await createCaptureWorker({
      connection: env.nativeConnection,
      config,
      workflowBundle: await workflowBundle(),
    });
    const hours = 6;
    const result = await worker.runUntil(async () => {
      const { workflowId } = await startCapture(
        env.client,
        taskQueue,
        captureRequest({
          durationSeconds: hours * 3600,
          timings: { failoverWindowSeconds: 90, healthCheckSeconds: 1800 },
        }),
        { wait: false },
      );
      const r = await waitForCapture(env.client, workflowId);
      const status = await getCapture(env.client, workflowId);
      return { r, status };
    });
    await agora.close();
    expect(result.r).toMatchObject({ reason: 'duration', stopOutcome: 'stopped' });
    expect(result.r.capturedSeconds).toBe(hours * 3600);
    expect(result.status.phase).toBe('STOPPED');
    const queries = emulator.requests().filter((r) => r.endpoint === 'query');
    expect(queries.length).toBe(hours * 2 - 1); // every 30 min, none at the deadline itself
    expect(emulator.ledger()).toHaveLength(1);
    expect(emulator.ledger()[0]).toMatchObject({ endedBy: 'stop', stopCalls: 1 });
  }, 120_000);
});
