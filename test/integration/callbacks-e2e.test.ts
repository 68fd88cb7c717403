import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getCapture, stopCapture, waitForCapture } from '../../client/api';
import type { CaptureStatus } from '../../workflows/status';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { keepHistory } from '../helpers/keep-history';
import { listKeys } from '../helpers/s3';
import { waitFor } from '../helpers/wait-for';

/** Emulated time runs 10× faster: a 5 s capture interval takes 0.5 s. */
const TIME_SCALE = 0.1;

/** Screenshot objects of a session in the real S3 bucket (an independent ListObjectsV2), per captured uid. */
async function bucketFiles(h: Harness, sid: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const key of await listKeys(h.s3!, 'snaps/')) {
    if (!key.includes(sid)) continue;
    const uid = /__uid_s_(\d+)__/.exec(key)?.[1] ?? '?';
    out[uid] = (out[uid] ?? 0) + 1;
  }
  return out;
}

const counts = (s: CaptureStatus) =>
  Object.fromEntries(Object.entries(s.screenshots).map(([uid, t]) => [uid, t.count]));

describe('Agora callbacks drive the capture (emulator → signed callbacks → receiver → workflow)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ callbacks: true, s3: true, emulator: { timeScale: TIME_SCALE } });
  });
  afterEach(() => void h.emulator.callbackFaults({}));
  afterAll(() => h?.close());

  const status = (id: string) => getCapture(h.env.client, id);
  const until = (id: string, ok: (s: CaptureStatus) => boolean | Promise<boolean>, what: string) =>
    waitFor(
      async () => {
        const s = await status(id);
        return (await ok(s)) ? s : undefined;
      },
      { what, timeoutMs: 30_000 },
    );

  /** Starts a capture of a channel where 1001 publishes video; returns once screenshots arrive. */
  async function capturingWithShots(over: Parameters<typeof captureRequest>[0] = {}) {
    const req = captureRequest({ durationSeconds: 600, ...over });
    h.emulator.channel(req.channel).join('1001', { video: true });
    const { workflowId } = await h.start(req);
    const s = await until(
      workflowId,
      (x) => x.phase === 'CAPTURING' && (x.screenshots['1001']?.count ?? 0) >= 2,
      'screenshots',
    );
    return { req, workflowId, sid: s.sid! };
  }

  /** Freezes the channel (no new files) and waits until the capture counted every file. */
  async function settledCounts(req: { channel: string }, workflowId: string, sid: string) {
    h.emulator.channel(req.channel).setVideo('1001', false);
    return until(
      workflowId,
      async (s) => JSON.stringify(counts(s)) === JSON.stringify(await bucketFiles(h, sid)),
      'counts = bucket objects',
    );
  }

  it('is PAUSED while the publisher sends no video and CAPTURING again when it comes back', async () => {
    const { req, workflowId, sid } = await capturingWithShots();
    h.emulator.channel(req.channel).setVideo('1001', false);
    const paused = await until(workflowId, (s) => s.phase === 'PAUSED', 'PAUSED');
    expect(paused.streams['1001']?.video).toBe('stopped');
    h.emulator.channel(req.channel).setVideo('1001', true);
    const back = await until(workflowId, (s) => s.phase === 'CAPTURING', 'CAPTURING again');
    expect(back.pauses.count).toBe(1);
    expect(back.pauses.videoLostMs).toBeGreaterThan(0);
    const shotsWhenPaused = paused.screenshots['1001']!.count;
    await until(
      workflowId,
      (s) => s.screenshots['1001']!.count > shotsWhenPaused,
      'screenshots after the resume',
    );
    const settled = await settledCounts(req, workflowId, sid);
    expect(settled.screenshots['1001']!.count).toBeGreaterThan(shotsWhenPaused);
    await stopCapture(h.env.client, workflowId, { wait: true });
    await keepHistory('callbacks-pause-resume', h.env.client, workflowId);
  });

  it('ends in the same state when callbacks are duplicated and shuffled', async () => {
    h.emulator.callbackFaults({ duplicateRate: 0.5, reorderWindowMs: 300, seed: 7 });
    const { req, workflowId, sid } = await capturingWithShots();
    h.emulator.channel(req.channel).setVideo('1001', false);
    await until(workflowId, (s) => s.phase === 'PAUSED', 'PAUSED');
    h.emulator.channel(req.channel).setVideo('1001', true);
    await until(workflowId, (s) => s.phase === 'CAPTURING' && s.pauses.count === 1, 'CAPTURING again');
    const settled = await settledCounts(req, workflowId, sid);
    // Every file counted once, although about half of the callbacks came twice and out of order:
    // the receiver answers a repeated noticeId without signalling (the workflow dedupes the rest).
    expect(h.receiver!.stats().verdicts.duplicate).toBeGreaterThan(0);
    expect(h.emulator.callbacks().some((c) => c.duplicate)).toBe(true);
    expect(settled.pauses.count).toBeGreaterThanOrEqual(1);
    await stopCapture(h.env.client, workflowId, { wait: true });
  });

  it('keeps capturing through a failover: events with the new bot uid still reach it', async () => {
    const { req, workflowId, sid } = await capturingWithShots();
    h.emulator.failover(sid, { windowMs: 3000 });
    const after = await until(workflowId, (s) => s.failovers.length === 1, 'failover seen');
    const newUid = after.failovers[0]!.newUid;
    expect(newUid).not.toBe(req.recorderUid);
    const before = after.screenshots['1001']!.count;
    const more = await until(
      workflowId,
      (s) => s.screenshots['1001']!.count > before + 1,
      'bak0_ screenshots',
    );
    expect(more.phase).toBe('CAPTURING');
    expect(more.segments[0]).toMatchObject({ uid: newUid, failovers: 1 });
    const files = await listKeys(h.s3!, 'snaps/');
    expect(files.some((f) => f.includes(`bak0_${sid}`))).toBe(true);
    await settledCounts(req, workflowId, sid);
    const result = await stopCapture(h.env.client, workflowId, { wait: true });
    expect(result).toMatchObject({ stopOutcome: 'stopped', failovers: 1 });
  });

  it('ends with reason agora-ended when Agora closes an idle channel, its one stop answered "already ended"', async () => {
    const req = captureRequest({ durationSeconds: 600 }, { maxIdleTime: 5 });
    h.emulator.channel(req.channel).join('1001', { video: true });
    const { workflowId } = await h.start(req);
    const { sid } = await until(workflowId, (s) => s.phase === 'CAPTURING', 'CAPTURING');
    h.emulator.channel(req.channel).leave('1001');
    const result = await waitForCapture(h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'agora-ended', stopOutcome: 'already-stopped' });
    // Why, in Agora's words: event 41's leave code, not just event 11's "exited normally".
    expect(result.agoraReason).toBe(
      "Agora's bot left the channel (leaveCode 4: the channel had no users for maxIdleTime)",
    );
    expect(h.emulator.ledger().find((e) => e.sid === sid)).toMatchObject({ endedBy: 'idle', stopCalls: 0 });
    // One stop confirms it: Agora's own answer (49 while the bot exits, then 404), not the callback alone.
    const stops = h.emulator.requests().filter((r) => r.endpoint === 'stop' && r.sid === sid);
    expect(stops).toHaveLength(1);
    expect([`${stops[0]!.status}/${stops[0]!.code}`]).toEqual([
      expect.stringMatching(/^(400\/49|404\/\d+)$/),
    ]);
    await keepHistory('callbacks-agora-ended', h.env.client, workflowId);
  });

  it("names Agora's fatal error as why it ended, not the 404 its query then meets", async () => {
    const { workflowId, sid } = await capturingWithShots({
      timings: { failoverWindowSeconds: 2, healthCheckSeconds: 1 },
    });
    // session_exit (11) lost: the capture learns of the end from the fatal error and its query.
    h.emulator.callbackFaults({ lossRate: 1, lossEventTypes: [11] });
    h.emulator.endSession(sid, 'agora');
    const result = await waitForCapture(h.env.client, workflowId);
    expect(result).toMatchObject({
      reason: 'agora-ended',
      agoraReason: 'Agora cloud recording service error 0 (level 5): task ended by Agora',
    });
    const ended = await status(workflowId);
    expect(ended.segments[0]).toMatchObject({ endedBy: 'agora', agoraEnd: result.agoraReason });
    // The fatal error made the capture query Agora, which no longer knew the session (404).
    expect(
      h.emulator.requests().some((r) => r.endpoint === 'query' && r.sid === sid && r.status === 404),
    ).toBe(true);
    expect(ended.lastError).toMatchObject({ type: 'AgoraCallbackError', message: result.agoraReason });
  });

  it('ends the capture once video has been lost for longer than the policy allows', async () => {
    const { req, workflowId, sid } = await capturingWithShots({
      policies: { pausedTimeCounts: true, endAfterVideoLostSeconds: 2 },
    });
    h.emulator.channel(req.channel).setVideo('1001', false);
    const result = await waitForCapture(h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'video-lost', stopOutcome: 'stopped' });
    expect(h.emulator.ledger().find((e) => e.sid === sid)).toMatchObject({ active: false, stopCalls: 1 });
  });
});

describe('a start whose response was lost, when Agora answers the retry 201/7 without the sid', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      callbacks: true,
      emulator: { timeScale: TIME_SCALE, alreadyStartedIncludesSid: false },
    });
  });
  afterAll(() => h?.close());

  it('learns the sid from the first callback and stops that one session', async () => {
    h.emulator.inject('start', { kind: 'perform-then-drop' });
    const req = captureRequest({ durationSeconds: 600 });
    h.emulator.channel(req.channel).join('1001', { video: true });
    const { workflowId } = await h.start(req);
    const running = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.phase === 'CAPTURING' && s.sid ? s : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const sessions = h.emulator.ledger().filter((e) => e.cname === req.channel);
    expect(sessions).toHaveLength(1);
    expect(running.sid).toBe(sessions[0]!.sid);
    const result = await stopCapture(h.env.client, workflowId, { wait: true });
    await keepHistory('start-lost-sid-from-callback', h.env.client, workflowId);
    expect(result.stopOutcome).toBe('stopped');
    expect(h.emulator.ledger().filter((e) => e.cname === req.channel)).toEqual([
      expect.objectContaining({ active: false, stopCalls: 1 }),
    ]);
  });
});
