import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelCapture, getCapture, stopCapture, waitForCapture } from '../../client/api';
import { CaptureConflictError } from '../../client/errors';
import { agoraError } from '../../emulator';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { keepHistory } from '../helpers/keep-history';
import { waitFor } from '../helpers/wait-for';

describe('capture lifecycle on a real Temporal server', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  const sessionOf = (sid: string | undefined) => h.emulator.ledger().find((e) => e.sid === sid);
  const capturing = (workflowId: string) =>
    waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.phase === 'CAPTURING' ? s : undefined;
      },
      { what: 'phase CAPTURING' },
    );

  it('ends when the duration elapses and stops the Agora session exactly once', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 2 }));
    const result = await waitForCapture(h.env.client, workflowId);
    await keepHistory('duration-elapsed', h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped', uploadingStatus: 'uploaded' });
    expect(result.capturedSeconds).toBeGreaterThanOrEqual(2);
    const session = sessionOf(result.sid);
    expect(session).toMatchObject({ active: false, endedBy: 'stop', stopCalls: 1 });
    const status = await getCapture(h.env.client, workflowId);
    expect(status).toMatchObject({ phase: 'STOPPED', endReason: 'duration', sid: result.sid });
  });

  it('runs one session when its token outlives the capture, whatever the rollover margin', async () => {
    // The token lives an hour past the duration; a margin of two hours once made every new
    // segment due at once, and a capture billed a session per half second.
    const req = captureRequest({ durationSeconds: 3, timings: { rolloverMarginSeconds: 7200 } });
    const { workflowId } = await h.start(req);
    const result = await waitForCapture(h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped', segments: 1 });
    expect(h.emulator.ledger().filter((e) => e.cname === req.channel)).toEqual([
      expect.objectContaining({ active: false, endedBy: 'stop', stopCalls: 1 }),
    ]);
  });

  it('reports CAPTURING with the Agora ids and the deadline while it runs', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 60 }));
    const status = await capturing(workflowId);
    expect(status.sid).toMatch(/^[0-9a-f]{32}$/);
    expect(status.resourceId).toBeTruthy();
    expect(Date.parse(status.deadline!) - Date.parse(status.startedAt!)).toBe(60_000);
    expect(sessionOf(status.sid)).toMatchObject({ active: true });
    await stopCapture(h.env.client, workflowId, { reason: 'test cleanup', wait: true });
  });

  it('stops early on the stop signal and says who stopped it', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 600 }));
    await capturing(workflowId);
    await stopCapture(h.env.client, workflowId, { reason: 'class ended' });
    const result = await waitForCapture(h.env.client, workflowId);
    await keepHistory('stop-signal', h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'stopped', stopReason: 'class ended', stopOutcome: 'stopped' });
    expect(result.capturedSeconds).toBeLessThan(600);
    expect(sessionOf(result.sid)).toMatchObject({ active: false, stopCalls: 1 });
  });

  it('returns the final result from the stop update once Agora is stopped', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 600 }));
    await capturing(workflowId);
    const result = await stopCapture(h.env.client, workflowId, { reason: 'operator', wait: true });
    await keepHistory('stop-update', h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'stopped', stopOutcome: 'stopped', uploadingStatus: 'uploaded' });
    expect(sessionOf(result.sid)).toMatchObject({ active: false, stopCalls: 1 });
  });

  it('stops the Agora session when the capture is cancelled, and the run ends cancelled', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 600 }));
    const { sid } = await capturing(workflowId);
    await cancelCapture(h.env.client, workflowId);
    const err = await waitForCapture(h.env.client, workflowId).catch((e: unknown) => e);
    await keepHistory('cancelled', h.env.client, workflowId);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(sessionOf(sid)).toMatchObject({ active: false, endedBy: 'stop', stopCalls: 1 });
    expect(await getCapture(h.env.client, workflowId)).toMatchObject({
      phase: 'STOPPED',
      endReason: 'cancelled',
      stopOutcome: 'stopped',
    });
  });

  it('returns the running capture when the same capture is started twice, without a second bot', async () => {
    const req = captureRequest({ durationSeconds: 600 });
    const first = await h.start(req);
    await capturing(first.workflowId);
    // The same request written differently (a default spelled out) is the same capture.
    const second = await h.start({ ...req, storageProfile: 'default' });
    expect(first.started).toBe(true);
    expect(second).toEqual({ ...first, started: false });
    expect(h.emulator.ledger().filter((e) => e.cname === req.channel)).toHaveLength(1);
    await stopCapture(h.env.client, first.workflowId, { wait: true });
  });

  it('refuses a second start with different settings, naming the fields, and changes nothing', async () => {
    const req = captureRequest({ durationSeconds: 600 });
    const first = await h.start(req);
    const before = await capturing(first.workflowId);
    const err = await h
      .start({ ...req, durationSeconds: 900, snapshotConfig: { captureInterval: 30 } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureConflictError);
    expect((err as CaptureConflictError).fields).toEqual([
      'durationSeconds',
      'snapshotConfig.captureInterval',
    ]);
    const after = await getCapture(h.env.client, first.workflowId);
    expect(after).toMatchObject({ phase: 'CAPTURING', sid: before.sid, deadline: before.deadline, runs: 1 });
    expect(h.emulator.ledger().filter((e) => e.cname === req.channel)).toHaveLength(1);
    await stopCapture(h.env.client, first.workflowId, { wait: true });
  });

  it('drops agoraEvent signals sent by hand that are not callbacks, counts them, and still stops', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 600 }));
    const { sid } = await capturing(workflowId);
    const handle = h.env.client.workflow.getHandle(workflowId);
    // What an operator can type into the Temporal UI's signal form: a signal cannot be refused.
    await handle.signal('agoraEvent', { events: 5 });
    await handle.signal('agoraEvent', { events: [null, { sid, eventType: 11 }] });
    await handle.signal('agoraEvent', 'hello');
    const counted = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.events.malformed === 4 ? s : undefined;
      },
      { what: 'four dropped events' },
    );
    expect(counted).toMatchObject({ phase: 'CAPTURING', sid });
    const result = await stopCapture(h.env.client, workflowId, { wait: true });
    expect(result).toMatchObject({ reason: 'stopped', stopOutcome: 'stopped' });
    expect(sessionOf(sid)).toMatchObject({ active: false, stopCalls: 1 });
  });

  it("does not take a session_exit signalled by hand as Agora's word: its stop finds the session running", async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 600 }));
    const { sid, channel, recorderUid } = await capturing(workflowId);
    const exit = { noticeId: 'typed-by-hand', eventType: 11, cname: channel, uid: recorderUid, sid };
    await h.env.client.workflow
      .getHandle(workflowId)
      .signal('agoraEvent', { events: [{ ...exit, eventMs: Date.now(), details: { exitStatus: 0 } }] });
    const result = await waitForCapture(h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'agora-ended', stopOutcome: 'stopped' });
    expect(result.agoraReason).toBeUndefined();
    expect(sessionOf(sid)).toMatchObject({ active: false, stopCalls: 1 });
    const ended = await getCapture(h.env.client, workflowId);
    expect(ended.lastError).toMatchObject({ type: 'AgoraEndNotConfirmed' });
    expect(ended.segments[0]).toMatchObject({ endedBy: 'stop' });
    expect(ended.openSessions).toEqual([]);
    await keepHistory('hand-sent-exit-confirmed', h.env.client, workflowId);
  });

  it('says so when 404s of its query were wrong: the final stop found the session running', async () => {
    const { workflowId } = await h.start(
      captureRequest({ durationSeconds: 600, timings: { failoverWindowSeconds: 2, healthCheckSeconds: 1 } }),
    );
    const { sid } = await capturing(workflowId);
    const notFound = agoraError(404, 404, 'failed to find worker');
    h.emulator.inject('query', ...Array.from({ length: 8 }, () => notFound));
    const result = await waitForCapture(h.env.client, workflowId);
    h.emulator.clearFaults();
    expect(result).toMatchObject({ reason: 'agora-ended', stopOutcome: 'stopped' });
    expect(result.agoraReason).toBeUndefined();
    expect(sessionOf(sid)).toMatchObject({ active: false, endedBy: 'stop', stopCalls: 1 });
    const ended = await getCapture(h.env.client, workflowId);
    expect(ended.segments[0]).toMatchObject({ endedBy: 'stop' });
    expect(ended.lastError).toMatchObject({
      type: 'AgoraEndNotConfirmed',
      message: expect.stringMatching(
        /^Agora's query did not find session .*, but Agora's stop found it running/,
      ),
    });
  });

  it('ends with reason agora-ended when Agora ends the session itself, after one final stop attempt', async () => {
    const { workflowId } = await h.start(
      captureRequest({ durationSeconds: 600, timings: { failoverWindowSeconds: 2, healthCheckSeconds: 1 } }),
    );
    const { sid } = await capturing(workflowId);
    h.emulator.endSession(sid!, 'idle');
    const result = await waitForCapture(h.env.client, workflowId);
    await keepHistory('agora-ended', h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'agora-ended', stopOutcome: 'already-stopped' });
    // No callbacks here: all the capture knows is its query's 404s.
    expect(result.agoraReason).toMatch(
      /^Agora's query found no such session \(404\) for \d+s, past the 2s failover window$/,
    );
    expect(sessionOf(sid)).toMatchObject({ active: false, stopCalls: 0 });
    // query said 404 past the failover window: one final stop (404) in case the session still runs.
    expect(
      h.emulator
        .requests()
        .filter((r) => r.endpoint === 'stop' && r.sid === sid)
        .map((r) => r.status),
    ).toEqual([404]);
    expect(await getCapture(h.env.client, workflowId)).toMatchObject({ openSessions: [] });
  });
});
