/**
 * A callback for the session of a capture that was terminated: the receiver hands it to the
 * sweeper (verdict closed-capture), whose reaper stops the session, without waiting for the
 * schedule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCapture, waitForCapture } from '../../client/api';
import type { ReapResult } from '../../workflows/reap-target';
import type { SweepResult } from '../../workflows/sweep';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { waitFor } from '../helpers/wait-for';

describe('a callback of a closed capture', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ callbacks: true, emulator: { autoPublishers: ['1001'] } });
  });
  afterAll(() => h?.close());

  it('goes to the sweeper, which stops the session the terminated capture left running', async () => {
    const req = captureRequest({ durationSeconds: 600 });
    const { workflowId, runId } = await h.start(req);
    const running = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.phase === 'CAPTURING' ? s : undefined;
      },
      { what: 'CAPTURING', timeoutMs: 30_000 },
    );
    const sid = running.sid!;
    await h.env.client.workflow.getHandle(workflowId).terminate('bypassing the stop');
    expect(h.emulator.ledger().find((e) => e.sid === sid)).toMatchObject({ active: true });

    h.emulator.notify(sid, 40); // "recorder started"-style event Agora keeps sending for a live session
    await waitFor(() => h.receiver!.stats().verdicts['closed-capture'] > 0, {
      what: 'closed-capture verdict',
    });

    const sweep = h.env.client.workflow.getHandle(`sweep/closed/${workflowId}/${runId}`);
    const swept = (await sweep.result()) as SweepResult;
    expect(swept.reapers).toHaveLength(1);
    const reap = (await h.env.client.workflow.getHandle(swept.reapers[0]!).result()) as ReapResult;
    expect(reap).toMatchObject({
      outcome: 'stopped',
      sid,
      captureWorkflowId: workflowId,
      captureRunId: runId,
    });
    expect(h.emulator.ledger().find((e) => e.sid === sid)).toMatchObject({
      active: false,
      endedBy: 'stop',
      stopCalls: 1,
    });
  }, 120_000);

  it('stops a session that came back after the capture took it for gone (a failover longer than its window)', async () => {
    const req = captureRequest({
      durationSeconds: 600,
      timings: { failoverWindowSeconds: 2, healthCheckSeconds: 1 },
    });
    const { workflowId, runId } = await h.start(req);
    const { sid } = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.phase === 'CAPTURING' ? s : undefined;
      },
      { what: 'CAPTURING', timeoutMs: 30_000 },
    );
    h.emulator.failover(sid!, { windowMs: 8_000 });
    // Its query and final stop meet 404s past its 2 s window: it ends, taking the session for gone.
    const result = await waitForCapture(h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'agora-ended', stopOutcome: 'already-stopped' });
    // The bot rejoins (event 12) and takes screenshots again: the receiver hands that to the sweeper.
    const sweep = h.env.client.workflow.getHandle(`sweep/closed/${workflowId}/${runId}`);
    const swept = (await waitFor(() => sweep.result().catch(() => undefined), {
      what: "the closed capture's sweep",
      timeoutMs: 60_000,
    })) as SweepResult;
    expect(swept.reapers).toHaveLength(1);
    const reap = (await h.env.client.workflow.getHandle(swept.reapers[0]!).result()) as ReapResult;
    expect(reap).toMatchObject({ outcome: 'stopped', sid });
    expect(h.emulator.ledger().find((e) => e.sid === sid)).toMatchObject({
      active: false,
      endedBy: 'stop',
      stopCalls: 1,
    });
  }, 120_000);
});
