import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { MockActivityEnvironment, TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createWebhookActivities, type EnqueueArgs } from '../../activities/webhooks';
import { getWebhookDelivery } from '../../client/webhooks';
import { deliveryWorkflowId } from '../../workflows/webhooks/types';
import { installTestRuntime } from '../helpers/harness';
import { waitFor } from '../helpers/wait-for';
import { startWebhookEndpoint, WEBHOOK_TEST_SECRET, type WebhookEndpoint } from '../helpers/webhook-endpoint';
import type { ScriptStep } from '../helpers/webhook-script-workflows';
import { closeSafeRetryPlugin } from '../../client/grpc-retry';

const SECRET = WEBHOOK_TEST_SECRET;

interface Body {
  type: string;
  timestamp: string;
  data: { workflowId: string; count?: number; files?: { fileName: string }[]; reason?: string };
}

describe("a capture's events through the outbox: batched screenshots, strict order", () => {
  let env: TestWorkflowEnvironment;
  let endpoint: WebhookEndpoint;
  let worker: Worker;
  let running: Promise<void>;
  let activities: ReturnType<typeof createWebhookActivities>;
  const taskQueue = `webhooks-test-${randomUUID()}`;

  beforeAll(async () => {
    installTestRuntime();
    env = await TestWorkflowEnvironment.createFromExistingServer({
      address: inject('temporalAddress'),
      plugins: [closeSafeRetryPlugin],
    });
    endpoint = await startWebhookEndpoint({ failFirst: 1 });
    activities = createWebhookActivities({
      client: env.client,
      config: {
        secrets: { backend: SECRET },
        retry: { initialIntervalMs: 200, maximumIntervalMs: 1000, giveUpAfterMs: 24 * 3_600_000 },
        timeoutMs: 5000,
        // Several runs for 35 events: the queue and the counters must survive continue-as-new.
        continueAsNewAfterEvents: 60,
      },
    });
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: path.join(__dirname, '..', 'helpers', 'webhook-script-workflows.ts'),
      activities,
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await endpoint?.close();
    await env?.teardown();
  });

  /** Until the delivery workflow of the capture's run has delivered all it received and finished. */
  const deliveredAll = (workflowId: string, runId: string) =>
    waitFor(
      async () => {
        const d = await getWebhookDelivery(env.client, workflowId, runId);
        return d?.finished ? d : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 300, what: 'every event delivered' },
    );

  it('delivers screenshot batches per N files and per T seconds, every event once and in emission order', async () => {
    const shot = (n: number) => ({
      type: 'screenshots.uploaded' as const,
      data: {
        uid: '1001',
        fileName: `sid_cname__uid_s_1001__uid_e_video_${n}.jpg`,
        at: new Date(n).toISOString(),
      },
    });
    const toggles: ScriptStep[] = Array.from({ length: 24 }, (_, i): ScriptStep =>
      i % 2 === 0
        ? { type: 'capture.paused' as const, data: { reason: `video lost ${i}` } }
        : { type: 'capture.resumed' as const, data: {} },
    );
    const steps: ScriptStep[] = [
      { type: 'capture.started', data: { sid: 'sid-1', channel: 'room', recorderUid: '527841' } },
      ...[1, 2, 3, 4, 5, 6, 7].map(shot), // batches of 3 and 3; the 7th waits for the next event
      { type: 'capture.paused', data: { reason: 'video lost' } },
      { type: 'capture.resumed', data: {} },
      shot(8),
      shot(9),
      { sleepMs: 3000 }, // the batch of 2 closes after maxSeconds (1 s), not at the next event
      ...toggles,
      { type: 'capture.ended', data: { reason: 'duration' } },
    ];
    const workflowId = `capture/webhook-script/${randomUUID()}`;
    const handle = await env.client.workflow.start('scriptedWebhookEmitter', {
      taskQueue,
      workflowId,
      args: [{ url: endpoint.url, secret: 'backend', screenshots: { maxFiles: 3, maxSeconds: 1 } }, steps],
    });
    await handle.result();
    const done = await deliveredAll(workflowId, handle.firstExecutionRunId);
    const expectedEvents = 1 + 3 + 2 + 1 + toggles.length + 1;
    expect(done).toMatchObject({
      delivered: expectedEvents,
      pending: 0,
      givenUp: 0,
      received: expectedEvents,
    });
    // It continued as new on the way: the latest run is not the first.
    const latest = await env.client.workflow
      .getHandle(deliveryWorkflowId(workflowId, handle.firstExecutionRunId))
      .describe();
    expect(latest.raw.workflowExecutionInfo?.firstRunId).toMatch(/^[0-9a-f-]{36}$/);
    expect(latest.runId).not.toBe(latest.raw.workflowExecutionInfo?.firstRunId);

    const verifier = new Webhook(SECRET);
    const delivered = endpoint.received.filter((r) => r.status === 204);
    const bodies = delivered.map(
      (r) =>
        verifier.verify(r.body, {
          'webhook-id': r.id,
          'webhook-timestamp': r.timestamp,
          'webhook-signature': r.signature,
        }) as Body,
    );
    const summary = bodies.map((b) =>
      b.type === 'screenshots.uploaded'
        ? `shots:${b.data.files!.map((f) => f.fileName.slice(-5, -4)).join('')}`
        : b.type,
    );
    expect(summary).toEqual([
      'capture.started',
      'shots:123',
      'shots:456',
      'shots:7',
      'capture.paused',
      'capture.resumed',
      'shots:89',
      ...toggles.map((t) => ('type' in t ? t.type : '')),
      'capture.ended',
    ]);
    expect(bodies.every((b) => b.data.workflowId === workflowId)).toBe(true);
    expect(new Set(delivered.map((r) => r.id)).size).toBe(expectedEvents);
    // The first event's failed attempt and its delivery share one webhook-id.
    expect(endpoint.received[0]).toMatchObject({ status: 503, id: delivered[0]!.id });

    // The time-closed batch was made ~1 s after its first file, well before the script moved on.
    const batch = bodies[6]!;
    const after = bodies[7]!;
    expect(Date.parse(after.timestamp) - Date.parse(batch.timestamp)).toBeGreaterThanOrEqual(1000);
    // Body timestamps follow emission order.
    const times = bodies.map((b) => Date.parse(b.timestamp));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    // A late resend (the outbox retrying a hand-off whose answer was lost) after the delivery
    // workflow finished neither restarts it nor reaches the endpoint again.
    const requestsBefore = endpoint.received.length;
    const resend = (args: EnqueueArgs) => activities.enqueueWebhookEvents(args);
    await new MockActivityEnvironment({ taskQueue }).run(resend, {
      captureWorkflowId: workflowId,
      captureRunId: handle.firstExecutionRunId,
      target: { url: endpoint.url, secret: 'backend' },
      events: [
        {
          seq: expectedEvents,
          type: 'capture.ended' as const,
          timestamp: new Date().toISOString(),
          data: { workflowId },
        },
      ],
    });
    const closed = await env.client.workflow
      .getHandle(deliveryWorkflowId(workflowId, handle.firstExecutionRunId))
      .describe();
    expect(closed.runId).toBe(latest.runId);
    expect(closed.status.name).toBe('COMPLETED');
    expect(endpoint.received.length).toBe(requestsBefore);
  }, 120_000);
  // Last: the test above counts every request its endpoint received.
  it('drops webhookEvents signals sent by hand that are not outbox events, and delivers the rest', async () => {
    const steps: ScriptStep[] = [
      { type: 'capture.started', data: { sid: 'sid-1', channel: 'room', recorderUid: '527841' } },
      { sleepMs: 3000 },
      { type: 'capture.ended', data: { reason: 'duration' } },
    ];
    const workflowId = `capture/webhook-script/${randomUUID()}`;
    const handle = await env.client.workflow.start('scriptedWebhookEmitter', {
      taskQueue,
      workflowId,
      args: [{ url: endpoint.url, secret: 'backend', screenshots: { maxFiles: 3, maxSeconds: 1 } }, steps],
    });
    await waitFor(() => getWebhookDelivery(env.client, workflowId, handle.firstExecutionRunId), {
      what: 'the delivery workflow',
    });
    const delivery = env.client.workflow.getHandle(
      deliveryWorkflowId(workflowId, handle.firstExecutionRunId),
    );
    await delivery.signal('webhookEvents', { events: 5 } as never);
    await delivery.signal('webhookEvents', [null, 5, { seq: 99, type: 'nonsense' }] as never);
    await handle.result();
    const done = await deliveredAll(workflowId, handle.firstExecutionRunId);
    expect(done).toMatchObject({ delivered: 2, pending: 0, givenUp: 0, received: 2 });
  });
});
