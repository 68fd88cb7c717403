import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { getCapture, pauseCapture, resumeCapture, stopCapture, waitForCapture } from '../../client/api';
import { agoraError } from '../../emulator';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { keepHistory } from '../helpers/keep-history';
import { waitFor } from '../helpers/wait-for';
import { CAPTURE_SIDS } from '../../workflows/search-attributes';

describe('operator pause and resume', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  const phase = (workflowId: string, want: string) =>
    waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.phase === want ? s : undefined;
      },
      { what: `phase ${want}` },
    );

  it('releases the Agora session on pause and starts a new segment on resume', async () => {
    const req = captureRequest({ durationSeconds: 600 });
    const { workflowId } = await h.start(req);
    const first = await phase(workflowId, 'CAPTURING');
    const paused = await pauseCapture(h.env.client, workflowId, 'break');
    expect(paused.phase).toBe('PAUSED');
    expect(paused.segments).toEqual([expect.objectContaining({ sid: first.sid, endedBy: 'operator-pause' })]);
    expect(h.emulator.ledger().find((e) => e.sid === first.sid)).toMatchObject({
      active: false,
      endedBy: 'stop',
      stopCalls: 1,
    });

    const resumed = await resumeCapture(h.env.client, workflowId);
    expect(resumed).toMatchObject({ phase: 'CAPTURING', segments: [expect.anything(), expect.anything()] });
    expect(resumed.sid).not.toBe(first.sid);
    expect(resumed.pauses.operatorMs).toBeGreaterThan(0);
    expect(h.emulator.ledger().find((e) => e.sid === resumed.sid)).toMatchObject({ active: true });

    const result = await stopCapture(h.env.client, workflowId, { wait: true });
    await keepHistory('operator-pause-resume', h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'stopped', segments: 2, stopOutcome: 'stopped' });
    const sessions = h.emulator.ledger().filter((e) => e.cname === req.channel);
    expect(sessions).toHaveLength(2);
    expect(sessions.every((e) => !e.active && e.stopCalls === 1)).toBe(true);
  });

  it('survives more pause/resume cycles than its sids fit in one search attribute, and stops every session', async () => {
    // Each resume is a new segment with a new sid; past ~58 the full list outgrew Temporal's
    // 2 KB limit and the server terminated the capture, leaving its session to the sweep.
    const cycles = 65;
    const req = captureRequest({ durationSeconds: 3600 });
    const { workflowId } = await h.start(req);
    await phase(workflowId, 'CAPTURING');
    for (let i = 0; i < cycles; i++) {
      await pauseCapture(h.env.client, workflowId, `cycle ${i}`);
      expect((await resumeCapture(h.env.client, workflowId)).phase).toBe('CAPTURING');
    }
    const running = await getCapture(h.env.client, workflowId);
    expect(running.segments).toHaveLength(cycles + 1);
    const { typedSearchAttributes } = await h.env.client.workflow.getHandle(workflowId).describe();
    expect(typedSearchAttributes.get(CAPTURE_SIDS)?.at(-1)).toBe(running.sid);

    const result = await stopCapture(h.env.client, workflowId, { wait: true });
    expect(result).toMatchObject({ reason: 'stopped', stopOutcome: 'stopped', segments: cycles + 1 });
    const sessions = h.emulator.ledger().filter((e) => e.cname === req.channel);
    expect(sessions).toHaveLength(cycles + 1);
    expect(sessions.filter((e) => e.active || e.stopCalls !== 1)).toEqual([]);
  }, 180_000);

  it('counts the time a resume spends getting a new session as paused, as the manifest does', async () => {
    const req = captureRequest({ durationSeconds: 600 });
    const { workflowId } = await h.start(req);
    await phase(workflowId, 'CAPTURING');
    await pauseCapture(h.env.client, workflowId, 'break');
    // Agora fails the resume's acquire three times (~7 s of the activity's retries).
    h.emulator.inject('acquire', ...Array.from({ length: 3 }, () => agoraError(503, 503, 'unavailable')));
    const resumed = await resumeCapture(h.env.client, workflowId);
    const [paused, next] = resumed.segments;
    const gapMs = Date.parse(next!.startedAt) - Date.parse(paused!.endedAt!);
    expect(gapMs).toBeGreaterThan(6_000);
    // The pause lasted until the new session ran, not until the resume was asked for.
    expect(Math.abs(resumed.pauses.operatorMs - gapMs)).toBeLessThan(500);
    const result = await stopCapture(h.env.client, workflowId, { wait: true });
    expect(Math.abs(result.pauses.operatorMs - gapMs)).toBeLessThan(500);
  });

  it('stops the clock while paused when paused time does not count', async () => {
    const req = captureRequest({ durationSeconds: 2, policies: { pausedTimeCounts: false } });
    const { workflowId } = await h.start(req);
    await phase(workflowId, 'CAPTURING');
    const handle = h.env.client.workflow.getHandle(workflowId);
    const paused = await pauseCapture(h.env.client, workflowId);
    expect(paused.deadline).toBeUndefined();
    // Paused past the whole duration: still running, because the clock stopped.
    await new Promise((r) => setTimeout(r, 2500));
    expect((await getCapture(h.env.client, workflowId)).phase).toBe('PAUSED');
    await resumeCapture(h.env.client, workflowId);
    const result = await handle.result();
    expect(result).toMatchObject({ reason: 'duration', segments: 2 });
    expect(result.pauses.operatorMs).toBeGreaterThanOrEqual(2500);
  });

  it('ends a capture stopped while operator-paused without another Agora call', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 600 }));
    await phase(workflowId, 'CAPTURING');
    const paused = await pauseCapture(h.env.client, workflowId);
    const before = h.emulator.requests().length;
    const result = await stopCapture(h.env.client, workflowId, { wait: true });
    expect(result).toMatchObject({ reason: 'stopped', segments: 1, stopOutcome: 'stopped', sid: paused.sid });
    expect(h.emulator.requests().length).toBe(before);
  });

  /** The reason an update was rejected with (the validator's message). */
  const rejection = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (e: unknown) => (e instanceof WorkflowUpdateFailedError ? (e.cause?.message ?? e.message) : String(e)),
    );

  it('rejects a resume of a capture that is not operator-paused, naming its phase, and changes nothing', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 600 }));
    await phase(workflowId, 'CAPTURING');
    const before = h.emulator.requests().length;
    expect(await rejection(resumeCapture(h.env.client, workflowId))).toBe(
      'cannot resume: the capture is not operator-paused (phase CAPTURING)',
    );
    expect(h.emulator.requests().length).toBe(before);
    expect((await getCapture(h.env.client, workflowId)).segments).toHaveLength(1);
    // A refusal, not a transient failure: typed, and not to be retried as is.
    const refused = await resumeCapture(h.env.client, workflowId).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({
      type: 'CommandRefused',
      nonRetryable: true,
    });
    await stopCapture(h.env.client, workflowId, { wait: true });
  });

  it('rejects a second pause of a paused capture, naming its state', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 600 }));
    await phase(workflowId, 'CAPTURING');
    await pauseCapture(h.env.client, workflowId);
    expect(await rejection(pauseCapture(h.env.client, workflowId))).toBe(
      'cannot pause: the capture is already operator-paused (phase PAUSED)',
    );
    await stopCapture(h.env.client, workflowId, { wait: true });
  });

  it('rejects a pause whose reason would forge a line, and a stop signal keeps its reason on one line', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 600 }));
    await phase(workflowId, 'CAPTURING');
    expect(await rejection(pauseCapture(h.env.client, workflowId, 'x\nstop outcome  stopped'))).toBe(
      'reason must not contain control characters (newlines included)',
    );
    expect((await getCapture(h.env.client, workflowId)).phase).toBe('CAPTURING');
    // A signal cannot be refused: its reason is kept on one line, at most 500 characters.
    await h.env.client.workflow.getHandle(workflowId).signal('stop', { reason: `a\nb${'r'.repeat(600)}` });
    const result = await waitForCapture(h.env.client, workflowId);
    expect(result.stopReason).toBe(`a b${'r'.repeat(497)}`);
  });

  it('rejects a pause of a capture that is stopping', async () => {
    h.emulator.inject('stop', { kind: 'latency', ms: 2000 }); // under the worker's 3 s request timeout
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 600 }));
    await phase(workflowId, 'CAPTURING');
    const stopping = stopCapture(h.env.client, workflowId, { wait: true });
    await phase(workflowId, 'STOPPING');
    expect(await rejection(pauseCapture(h.env.client, workflowId))).toMatch(
      /^cannot pause: the capture is ending \(phase STOPPING, stopped\)$/,
    );
    expect((await stopping).stopOutcome).toBe('stopped');
  });
});
