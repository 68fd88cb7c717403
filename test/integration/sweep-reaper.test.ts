/**
 * The session reaper's own promises: stop is retried through Agora errors until it succeeds,
 * and a session whose sid cannot be learned is reported `unknown`, never claimed stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCapture } from '../../client/api';
import { agoraError } from '../../emulator';
import { agoraTaskQueue } from '../../workflows/agora-task-queue';
import { reapWorkflowId } from '../../workflows/reap-target';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { sweepNow } from '../helpers/sweep';
import { waitFor } from '../helpers/wait-for';

const capturing = (h: Harness, workflowId: string) =>
  waitFor(
    async () => {
      const s = await getCapture(h.env.client, workflowId);
      return s.phase === 'CAPTURING' ? s : undefined;
    },
    { what: 'CAPTURING', timeoutMs: 30_000 },
  );

describe('the session reaper', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('keeps stopping through Agora 5xx until the session is stopped', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 600 }));
    const { sid } = await capturing(h, workflowId);
    await h.env.client.workflow.getHandle(workflowId).terminate('test');
    h.emulator.inject(
      'stop',
      agoraError(503, 503, 'service unavailable'),
      agoraError(503, 503, 'service unavailable'),
      agoraError(500, 500, 'internal error'),
    );
    const { reaps } = await sweepNow(h.env.client, h.taskQueue);
    expect(reaps).toEqual([
      expect.objectContaining({ outcome: 'stopped', sid, captureWorkflowId: workflowId }),
    ]);
    expect(h.emulator.requests().filter((r) => r.endpoint === 'stop' && r.sid === sid)).toHaveLength(4);
    expect(h.emulator.ledger().find((e) => e.sid === sid)).toMatchObject({ active: false, stopCalls: 1 });
    // Its Agora calls went through the Agora task queue, paced with the captures' own calls.
    const history = await h.env.client.workflow
      .getHandle(reapWorkflowId(reaps[0]!.resourceId, sid))
      .fetchHistory();
    const queues = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes?.taskQueue?.name)
      .filter((q): q is string => q !== undefined && q !== null);
    expect(queues).toEqual([agoraTaskQueue(h.taskQueue)]);
  }, 120_000);

  it('stops the sessions of a terminated capture that was sent a malformed agoraEvent signal by hand', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 600 }));
    const { sid } = await capturing(h, workflowId);
    const handle = h.env.client.workflow.getHandle(workflowId);
    await handle.signal('agoraEvent', { events: 5 });
    await handle.signal('agoraEvent', { events: [null, { sid, eventType: 11 }] });
    await handle.terminate('test');
    const { sweep, reaps } = await sweepNow(h.env.client, h.taskQueue);
    expect(sweep.unreadable).toBeUndefined();
    expect(reaps).toEqual([
      expect.objectContaining({ outcome: 'stopped', sid, captureWorkflowId: workflowId }),
    ]);
    expect(h.emulator.ledger().find((e) => e.sid === sid)).toMatchObject({ active: false, stopCalls: 1 });
  }, 120_000);
});

describe('a session whose sid cannot be learned', () => {
  let h: Harness;
  beforeAll(async () => {
    // Agora's 201/7 "already started" without the sid (the reference does not promise it).
    h = await startHarness({ emulator: { alreadyStartedIncludesSid: false } });
  });
  afterAll(() => h?.close());

  it('is reported unknown, not claimed stopped', async () => {
    const req = captureRequest({ durationSeconds: 600 });
    h.emulator.inject('start', { kind: 'latency', ms: 2000 });
    const { workflowId } = await h.start(req);
    const held = () => h.emulator.requests().some((r) => r.endpoint === 'start' && r.status === undefined);
    await waitFor(held, { what: 'start in flight' });
    await h.env.client.workflow.getHandle(workflowId).terminate('test');
    await waitFor(() => !held(), { what: 'the held start answered' });
    const live = h.emulator.ledger().filter((e) => e.cname === req.channel);
    expect(live).toEqual([expect.objectContaining({ active: true })]);

    const { reaps } = await sweepNow(h.env.client, h.taskQueue);
    expect(reaps).toHaveLength(1);
    expect(reaps[0]).toMatchObject({ outcome: 'unknown', resourceId: live[0]!.resourceId });
    expect(reaps[0]!.sid).toBeUndefined();
    // Honest: the session is still live and nothing said otherwise.
    expect(h.emulator.ledger().find((e) => e.sid === live[0]!.sid)).toMatchObject({
      active: true,
      stopCalls: 0,
    });
  }, 120_000);
});
