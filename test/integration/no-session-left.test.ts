/**
 * "No billed session left behind" on the paths that used to leak: a cancel while start (or a
 * resume's start) is in flight, a sid Agora never tells, a stale callback of an earlier
 * session. Real dev server, the emulator's ledger as the judge of what Agora bills.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelCapture, getCapture, pauseCapture, resumeCapture, waitForCapture } from '../../client/api';
import { agoraError } from '../../emulator';
import type { CaptureStatus } from '../../workflows/status';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { ncsEvent, ncsRequest, postNcs } from '../helpers/ncs';
import { keepHistory } from '../helpers/keep-history';
import { waitFor } from '../helpers/wait-for';

const liveSessions = (h: Harness, channel: string) =>
  h.emulator.ledger().filter((e) => e.cname === channel && e.active);

const phase = (h: Harness, workflowId: string, want: (s: CaptureStatus) => boolean, what: string) =>
  waitFor(
    async () => {
      const s = await getCapture(h.env.client, workflowId);
      return want(s) ? s : undefined;
    },
    { what, timeoutMs: 30_000 },
  );

/**
 * Cancels the capture and checks what a cancel must leave: the run ended CANCELED, the channel's
 * one Agora session stopped once by the capture, and a status that says so. Returns the status.
 */
async function cancelStopsTheOneSession(
  h: Harness,
  workflowId: string,
  channel: string,
  history: string,
): Promise<CaptureStatus> {
  await cancelCapture(h.env.client, workflowId);
  const err = await waitForCapture(h.env.client, workflowId).catch((e: unknown) => e);
  await keepHistory(history, h.env.client, workflowId);
  expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  const sessions = h.emulator.ledger().filter((e) => e.cname === channel);
  expect(sessions).toEqual([expect.objectContaining({ active: false, endedBy: 'stop', stopCalls: 1 })]);
  const status = await getCapture(h.env.client, workflowId);
  expect(status).toMatchObject({
    phase: 'STOPPED',
    endReason: 'cancelled',
    stopOutcome: 'stopped',
    sid: sessions[0]!.sid,
    openSessions: [],
  });
  return status;
}

describe('a capture cancelled while Agora start is in flight', () => {
  let h: Harness;
  beforeAll(async () => {
    // Agora answers start after 6 s: the worker waits that long for it (no client timeout).
    h = await startHarness({ requestTimeoutMs: 15_000 });
  });
  afterAll(() => h?.close());

  it('waits for the start to land, then stops the session it created: the run ends CANCELED, 0 live sessions', async () => {
    h.emulator.inject('start', { kind: 'latency', ms: 6000 });
    const req = captureRequest({ durationSeconds: 600 });
    const { workflowId } = await h.start(req);
    await phase(h, workflowId, (s) => s.phase === 'STARTING', 'STARTING');
    await new Promise((r) => setTimeout(r, 2000)); // the scenario: cancel 2 s into a 6 s start
    await cancelStopsTheOneSession(h, workflowId, req.channel, 'cancelled-while-starting');
  });

  it('does the same for a resume whose start is in flight', async () => {
    const req = captureRequest({ durationSeconds: 600 });
    const { workflowId } = await h.start(req);
    await phase(h, workflowId, (s) => s.phase === 'CAPTURING', 'CAPTURING');
    await pauseCapture(h.env.client, workflowId);
    h.emulator.inject('start', { kind: 'latency', ms: 6000 });
    const resuming = resumeCapture(h.env.client, workflowId).catch((e: unknown) => e);
    await phase(h, workflowId, (s) => s.phase === 'STARTING', 'STARTING of the resumed segment');
    await new Promise((r) => setTimeout(r, 2000));
    await cancelCapture(h.env.client, workflowId);
    const err = await waitForCapture(h.env.client, workflowId).catch((e: unknown) => e);
    await resuming;
    await keepHistory('cancelled-while-resuming', h.env.client, workflowId);
    expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    const sessions = h.emulator.ledger().filter((e) => e.cname === req.channel);
    expect(sessions).toHaveLength(2); // the first segment (released on pause) and the resumed one
    expect(sessions.every((e) => !e.active && e.stopCalls === 1)).toBe(true);
    expect(await getCapture(h.env.client, workflowId)).toMatchObject({
      phase: 'STOPPED',
      endReason: 'cancelled',
      stopOutcome: 'stopped',
      openSessions: [],
    });
  });
});

describe('a start whose response was lost and whose sid Agora never tells', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator: { alreadyStartedIncludesSid: false } });
  });
  afterAll(() => h?.close());

  it('reports stopOutcome unknown (never stopped), keeps the session listed, and says the stop is failing', async () => {
    // The first start acts but its answer is lost; every repeat answers 201/7 without a sid; no callbacks.
    h.emulator.inject('start', { kind: 'perform-then-drop' });
    const req = captureRequest({ durationSeconds: 600, timings: { sidRecoverySeconds: 2 } });
    const { workflowId } = await h.start(req);
    const err = await waitForCapture(h.env.client, workflowId).catch((e: unknown) => e);
    await keepHistory('sid-never-learned', h.env.client, workflowId);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const live = liveSessions(h, req.channel);
    expect(live).toHaveLength(1); // the truth: Agora runs it, and we could not stop it
    const status = await getCapture(h.env.client, workflowId);
    expect(status).toMatchObject({
      phase: 'FAILED',
      stopOutcome: 'unknown',
      openSessions: [`${live[0]!.resourceId}:`],
      lastError: expect.objectContaining({ type: expect.any(String) }),
    });
    expect(status.stopFailingSince).toBeDefined();
    // The sweeper's view: the closed run still lists the session that may bill.
    const listed = await waitFor(async () => {
      for await (const w of h.env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
        const v = w.searchAttributes.CaptureOpenSessions as string[] | undefined;
        if (v?.length) return v;
      }
      return undefined;
    });
    expect(listed).toEqual([`${live[0]!.resourceId}:`]);
    h.emulator.endSession(live[0]!.sid, 'agora');
  });
});

describe('a stale signed callback of an earlier session while the sid is being learned', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      callbacks: true,
      emulator: { timeScale: 0.1, alreadyStartedIncludesSid: false },
    });
  });
  afterAll(() => h?.close());

  it('is not adopted; the real session is adopted from its own callback and stopped', async () => {
    const req = captureRequest({ durationSeconds: 600 });
    h.emulator.channel(req.channel).join('1001', { video: true });
    const oldSid = 'a'.repeat(32); // an earlier session of the same channel and uid, long over
    h.emulator.inject('start', { kind: 'perform-then-drop' });
    const { workflowId } = await h.start(req);
    const stale = ncsEvent.snapshotFile(
      { cname: req.channel, uid: req.recorderUid, sid: oldSid },
      undefined,
      { payload: { sendts: Date.now() - 120_000 } },
    );
    expect((await postNcs(h.receiver!.url, ncsRequest(stale))).status).toBe(200);
    const running = await phase(
      h,
      workflowId,
      (s) => s.phase === 'CAPTURING' && !!s.sid,
      'CAPTURING with a sid',
    );
    const sessions = h.emulator.ledger().filter((e) => e.cname === req.channel);
    expect(sessions).toHaveLength(1);
    expect(running.sid).toBe(sessions[0]!.sid);
    expect(running.sid).not.toBe(oldSid);
    await cancelCapture(h.env.client, workflowId);
    await waitForCapture(h.env.client, workflowId).catch(() => undefined);
    await keepHistory('stale-callback-not-adopted', h.env.client, workflowId);
    expect(h.emulator.ledger().filter((e) => e.cname === req.channel)).toEqual([
      expect.objectContaining({ active: false, stopCalls: 1 }),
    ]);
    expect(h.emulator.requests().filter((r) => r.sid === oldSid && r.endpoint === 'stop')).toHaveLength(0);
  });
});

describe('a capture cancelled while Agora answers 503 to a start whose first answer was lost', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ callbacks: true, emulator: { timeScale: 0.1 } });
  });
  afterAll(() => h?.close());

  it("adopts the session's sid from its callbacks and stops it: stopOutcome stopped, 0 live, no sweeper", async () => {
    const req = captureRequest({ durationSeconds: 600 });
    h.emulator.channel(req.channel).join('1001', { video: true });
    // The first start acts but its answer is lost; every repeat, the compensation's included, gets 503.
    h.emulator.inject(
      'start',
      { kind: 'perform-then-drop' },
      ...Array.from({ length: 7 }, () => agoraError(503, 503, 'service unavailable')),
    );
    const { workflowId } = await h.start(req);
    // The session Agora runs reports itself: its callbacks reach the capture, sid and all.
    await waitFor(() => h.emulator.callbacks().some((c) => c.eventType === 45), {
      what: 'a screenshot callback of the running session',
      timeoutMs: 30_000,
    });
    const status = await cancelStopsTheOneSession(h, workflowId, req.channel, 'compensation-adopts-sid');
    // The session ran and shot: a segment of the capture, its screenshots counted.
    expect(status.segments.map((g) => g.sid)).toEqual([status.sid]);
    expect(status.screenshots['1001']?.count).toBeGreaterThan(0);
  }, 90_000);

  it('keeps the session listed when the repeated start is refused (429), and stops it: never not-started', async () => {
    const req = captureRequest({ durationSeconds: 600 });
    h.emulator.channel(req.channel).join('1001', { video: true });
    // As above, but the compensation's repeat meets the rate limit on every attempt: a 429 is
    // about that request, not about the session the first start created.
    h.emulator.inject(
      'start',
      { kind: 'perform-then-drop' },
      ...Array.from({ length: 3 }, () => agoraError(503, 503, 'service unavailable')),
      ...Array.from({ length: 4 }, () => agoraError(429, 0, 'Too Many Requests')),
    );
    const earlier = h.emulator.requests().length;
    const { workflowId } = await h.start(req);
    const sessionOfThisTest = () => h.emulator.ledger().find((e) => e.cname === req.channel)?.sid;
    await waitFor(
      () => h.emulator.callbacks().some((c) => c.eventType === 45 && c.sid === sessionOfThisTest()),
      {
        what: 'a screenshot callback of the running session',
        timeoutMs: 30_000,
      },
    );
    await cancelStopsTheOneSession(h, workflowId, req.channel, 'repeat-start-rate-limited');
    const starts = h.emulator
      .requests()
      .slice(earlier)
      .filter((r) => r.endpoint === 'start');
    expect(starts.filter((r) => r.status === 429)).toHaveLength(4);
  }, 90_000);
});

describe('Agora stop failing for a while', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ callbacks: true });
  });
  afterAll(() => h?.close());

  it('shows STOPPING with the error while stop fails, counts the screenshots taken meanwhile, and stops the session once Agora recovers', async () => {
    const req = captureRequest(
      { durationSeconds: 600, snapshotConfig: { captureInterval: 5, fileType: ['jpg'] } },
      { subscribeVideoUids: ['1001'] },
    );
    h.emulator.channel(req.channel).join('1001', { video: true });
    const { workflowId } = await h.start(req);
    await phase(h, workflowId, (s) => s.phase === 'CAPTURING', 'CAPTURING');
    // One round of three attempts fails; the next round (30 s later) lands.
    h.emulator.inject('stop', ...Array.from({ length: 3 }, () => agoraError(500, 1, 'internal')));
    // Settles with the run's end or the error (never an unhandled rejection while we look).
    const result = cancelCapture(h.env.client, workflowId)
      .then(() => waitForCapture(h.env.client, workflowId))
      .catch((e: unknown) => e);
    const failing = await phase(h, workflowId, (s) => s.stopFailingSince !== undefined, 'stop failing');
    expect(failing).toMatchObject({
      phase: 'STOPPING',
      lastError: expect.objectContaining({ type: 'AgoraServerError' }),
    });
    await result;
    await keepHistory('stop-failing-then-recovers', h.env.client, workflowId);
    const final = await getCapture(h.env.client, workflowId);
    expect(final).toMatchObject({ phase: 'STOPPED', stopOutcome: 'stopped', openSessions: [] });
    expect(liveSessions(h, req.channel)).toHaveLength(0);

    // The session ran on through the failing round and its screenshots' callbacks were
    // answered 200: every one answered before the stop landed is the capture's.
    const stoppedAt = h.emulator
      .requests()
      .filter((r) => r.endpoint === 'stop' && r.status === 200 && r.sid === final.sid)
      .at(-1)!.at;
    const answered = h.emulator
      .callbacks()
      .filter((c) => c.sid === final.sid && c.eventType === 45 && c.delivered)
      .filter((c) => c.attempts.find((a) => a.status === 200)!.at < stoppedAt);
    const duringFailure = answered.filter((c) => c.attempts[0]!.at > Date.parse(failing.stopFailingSince!));
    expect(duringFailure.length).toBeGreaterThanOrEqual(3); // ~30 s of failing stop at 5 s
    expect(final.screenshots['1001']?.count).toBeGreaterThanOrEqual(answered.length);
  }, 90_000);

  it('takes Agora ending the session for the end, while its stop keeps failing: no alert, no more stops', async () => {
    const req = captureRequest({ durationSeconds: 600 });
    const { workflowId } = await h.start(req);
    const { sid } = await phase(h, workflowId, (s) => s.phase === 'CAPTURING', 'CAPTURING');
    h.emulator.inject('stop', ...Array.from({ length: 12 }, () => agoraError(500, 1, 'internal')));
    const result = cancelCapture(h.env.client, workflowId)
      .then(() => waitForCapture(h.env.client, workflowId))
      .catch((e: unknown) => e);
    await phase(h, workflowId, (s) => s.stopFailingSince !== undefined, 'stop failing');
    h.emulator.endSession(sid!, 'agora'); // its fatal error and session_exit come as callbacks
    await result;
    const final = await getCapture(h.env.client, workflowId);
    expect(final).toMatchObject({ phase: 'STOPPED', stopOutcome: 'already-stopped', openSessions: [] });
    expect(final.stopFailingSince).toBeUndefined();
    // One failing round (three attempts), not the next one 30 s later.
    expect(h.emulator.requests().filter((r) => r.endpoint === 'stop' && r.sid === sid)).toHaveLength(3);
    h.emulator.clearFaults(); // the unused ones must not fail a later test's stops
  }, 90_000);
});
