/**
 * Issue 13: a capture that records the channel beside the screenshots runs two billed Agora
 * sessions (two acquires, distinct recorder uids, one snapshot body and one recording body),
 * and both are stopped on every path: the duration, a cancel, a terminate followed by the
 * sweep, a worker SIGKILLed mid-capture. When the recording start is refused (4xx), the
 * screenshot session is stopped and the capture fails naming the recording session.
 * Real Temporal dev server, the emulator for Agora.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cancelCapture, getCapture, waitForCapture } from '../../client/api';
import { agoraError, type LedgerEntry } from '../../emulator';
import type { CaptureStatus } from '../../workflows/status';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness, workerEnv } from '../helpers/harness';
import { keepHistory } from '../helpers/keep-history';
import { reaperIdsOf, reapsOf, sweepNow, sweptReapers } from '../helpers/sweep';
import { waitFor } from '../helpers/wait-for';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';

const SCREENSHOT_UID = '527841';
const RECORDING_UID = '527842';
const TIME_SCALE = 0.1;

const recordingRequest = (over: Parameters<typeof captureRequest>[0] = {}) =>
  captureRequest({
    recording: { recorderUid: RECORDING_UID, recordingFileConfig: { avFileType: ['hls', 'mp4'] } },
    ...over,
  });

type Body = { clientRequest: Record<string, unknown> };
const clientRequestOf = (e: LedgerEntry) => (e.startBody as Body).clientRequest;

/** The channel's two sessions in the emulator's ledger: the screenshot one and the recording one. */
function sessionsOf(h: Harness, channel: string) {
  const all = h.emulator.ledger().filter((e) => e.cname === channel);
  return {
    all,
    screenshots: all.filter((e) => e.uid === SCREENSHOT_UID),
    recording: all.filter((e) => e.uid === RECORDING_UID),
  };
}

/** Until both sessions run (the status names both sids). */
async function bothRunning(h: Harness, workflowId: string): Promise<CaptureStatus> {
  let last: CaptureStatus | undefined;
  try {
    return await waitFor(
      async () => {
        const s = (last = await getCapture(h.env.client, workflowId));
        return s.phase === 'CAPTURING' && s.sid && s.recording?.sid ? s : undefined;
      },
      { what: 'both sessions running', timeoutMs: 60_000 },
    );
  } catch (e) {
    throw new Error(`${String(e)}; last status: ${JSON.stringify(last)}`);
  }
}

function expectBothStopped(h: Harness, channel: string, running: CaptureStatus) {
  const { all, screenshots, recording } = sessionsOf(h, channel);
  expect(all).toHaveLength(2);
  expect(screenshots).toEqual([
    expect.objectContaining({ sid: running.sid, active: false, endedBy: 'stop', stopCalls: 1 }),
  ]);
  expect(recording).toEqual([
    expect.objectContaining({ sid: running.recording?.sid, active: false, endedBy: 'stop', stopCalls: 1 }),
  ]);
}

describe('a capture with recording (in-process worker, callbacks)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ callbacks: true, emulator: { timeScale: TIME_SCALE } });
  });
  afterAll(() => h?.close());

  it('bills two sessions (distinct uids, one snapshot body, one recording body), stops both at the duration, and lists recording files and screenshots', async () => {
    const req = recordingRequest({ durationSeconds: 8 });
    h.emulator.channel(req.channel).join('1001', { video: true });
    const { workflowId } = await h.start(req);
    const running = await bothRunning(h, workflowId);
    expect(running.recording).toMatchObject({ recorderUid: RECORDING_UID });
    expect(running.recording!.sid).not.toBe(running.sid);

    const result = await waitForCapture(h.env.client, workflowId);
    await keepHistory('recording-duration', h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped', sid: running.sid });
    expect(result.screenshots['1001']?.count).toBeGreaterThan(0);

    const { screenshots, recording } = sessionsOf(h, req.channel);
    expect(clientRequestOf(screenshots[0]!)).toHaveProperty('snapshotConfig');
    expect(clientRequestOf(screenshots[0]!)).not.toHaveProperty('recordingFileConfig');
    expect(clientRequestOf(recording[0]!)).toHaveProperty('recordingFileConfig', {
      avFileType: ['hls', 'mp4'],
    });
    expect(clientRequestOf(recording[0]!)).not.toHaveProperty('snapshotConfig');
    expectBothStopped(h, req.channel, running);

    // The recording part: Agora stop's fileList, as the emulator names the files.
    const rsid = running.recording!.sid!;
    expect(result.recording).toMatchObject({ sid: rsid, endedBy: 'stop', stopOutcome: 'stopped' });
    const names = result.recording!.files!.map((f) => f.fileName);
    // Under the storage profile's fileNamePrefix, as Agora names them.
    expect(names.some((n) => n.endsWith(`/${rsid}_${req.channel}__uid_s_1001__uid_e_video.m3u8`))).toBe(true);
    expect(names.some((n) => /__uid_s_1001__uid_e_video_\d{17}\.mp4$/.test(n))).toBe(true);
  }, 120_000);

  it('cancelled: both sessions are stopped', async () => {
    const req = recordingRequest({ durationSeconds: 600 });
    h.emulator.channel(req.channel).join('1001', { video: true });
    const { workflowId } = await h.start(req);
    const running = await bothRunning(h, workflowId);
    await cancelCapture(h.env.client, workflowId);
    await expect(waitForCapture(h.env.client, workflowId)).rejects.toThrow(WorkflowFailedError);
    expectBothStopped(h, req.channel, running);
  }, 120_000);

  it("stops both side by side: the screenshot session's stop failing a round does not hold up the recording's", async () => {
    const req = recordingRequest({ durationSeconds: 600 });
    h.emulator.channel(req.channel).join('1001', { video: true });
    const { workflowId } = await h.start(req);
    const running = await bothRunning(h, workflowId);
    // One round (three attempts) of the screenshot session's stop fails; the next, 30 s on, lands.
    h.emulator.inject(
      'stop',
      ...Array.from({ length: 3 }, () => agoraError(500, 1, 'internal', running.sid)),
    );
    const ended = cancelCapture(h.env.client, workflowId)
      .then(() => waitForCapture(h.env.client, workflowId))
      .catch((e: unknown) => e);
    const stopped = await waitFor(
      () => {
        const { screenshots, recording } = sessionsOf(h, req.channel);
        return !recording[0]?.active && screenshots[0]?.active ? recording[0] : undefined;
      },
      { what: 'the recording session stopped while the screenshot one still runs', timeoutMs: 20_000 },
    );
    expect(stopped).toMatchObject({ endedBy: 'stop' });
    expect(await ended).toBeInstanceOf(WorkflowFailedError); // cancelled
    expectBothStopped(h, req.channel, running);
  }, 120_000);

  it('terminated (no compensation runs), then swept: both sessions are stopped, each with its own uid', async () => {
    const req = recordingRequest({ durationSeconds: 600 });
    h.emulator.channel(req.channel).join('1001', { video: true });
    const { workflowId } = await h.start(req);
    const running = await bothRunning(h, workflowId);
    await h.env.client.workflow.getHandle(workflowId).terminate('recording test: terminate');
    expect(sessionsOf(h, req.channel).all.every((e) => e.active)).toBe(true);

    const { sweep } = await sweepNow(h.env.client, h.taskQueue, { captures: [{ workflowId }] });
    expect(sweptReapers(sweep)).toEqual(reaperIdsOf([running, running.recording!]));
    const reaps = await reapsOf(h.env.client, [running, running.recording!]);
    expect(reaps.map((r) => [r.sid, r.outcome]).sort()).toEqual(
      [
        [running.sid, 'stopped'],
        [running.recording!.sid, 'stopped'],
      ].sort(),
    );
    expectBothStopped(h, req.channel, running);
  }, 180_000);

  it('Agora ends the recording session: the screenshots go on (default policy), the status says which ended, and the duration stops the other', async () => {
    const req = recordingRequest({ durationSeconds: 20 });
    h.emulator.channel(req.channel).join('1001', { video: true });
    const { workflowId } = await h.start(req);
    const running = await bothRunning(h, workflowId);
    h.emulator.endSession(running.recording!.sid!, 'agora');
    const after = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.recording?.endedBy === 'agora' ? s : undefined;
      },
      { what: 'the recording reported ended by Agora', timeoutMs: 30_000 },
    );
    expect(after.phase).toBe('CAPTURING');
    expect(after.openSessions).toEqual([`${running.resourceId}:${running.sid}`]);

    const result = await waitForCapture(h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped' });
    expect(result.recording).toMatchObject({ sid: running.recording!.sid, endedBy: 'agora' });
    const { screenshots, recording } = sessionsOf(h, req.channel);
    expect(screenshots).toEqual([expect.objectContaining({ active: false, endedBy: 'stop', stopCalls: 1 })]);
    expect(recording).toEqual([expect.objectContaining({ active: false, endedBy: 'agora', stopCalls: 0 })]);
  }, 120_000);

  it('the recording start refused with a 4xx: the screenshot session is stopped and the capture fails naming the recording session', async () => {
    const req = recordingRequest({ durationSeconds: 600 });
    h.emulator.channel(req.channel).join('1001', { video: true });
    // The first start (screenshots) passes; the second (recording) is refused.
    h.emulator.inject(
      'start',
      { kind: 'latency', ms: 0 },
      { kind: 'respond', status: 400, body: { code: 2, reason: 'invalid parameter' } },
    );
    const { workflowId } = await h.start(req);
    const err = await waitForCapture(h.env.client, workflowId).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(String((err as WorkflowFailedError).cause?.message)).toMatch(
      new RegExp(`recording session \\(recorder uid ${RECORDING_UID}\\) failed to start`),
    );
    const { screenshots, recording } = sessionsOf(h, req.channel);
    expect(recording).toHaveLength(0);
    expect(screenshots).toEqual([expect.objectContaining({ active: false, endedBy: 'stop', stopCalls: 1 })]);
    const status = await getCapture(h.env.client, workflowId);
    expect(status).toMatchObject({ phase: 'FAILED', stopOutcome: 'stopped', openSessions: [] });
  }, 120_000);
});

describe('a capture with recording, while the recording start is in flight', () => {
  let h: Harness;
  beforeAll(async () => {
    // Agora answers the recording start after 6 s: the worker waits that long (no client timeout).
    h = await startHarness({ requestTimeoutMs: 15_000 });
  });
  afterAll(() => h?.close());

  /** Starts a recording capture whose recording start Agora answers 6 s late; returns once that start is 2 s in. */
  async function recordingStartInFlight() {
    const req = recordingRequest({ durationSeconds: 600 });
    h.emulator.inject('start', { kind: 'latency', ms: 0 }, { kind: 'latency', ms: 6000 });
    const { workflowId } = await h.start(req);
    const starting = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.sid && s.recording && !s.recording.sid && s.openSessions?.length === 2 ? s : undefined;
      },
      { what: 'the screenshot session running and the recording start listed', timeoutMs: 60_000 },
    );
    await new Promise((r) => setTimeout(r, 2000)); // the scenario: 2 s into a 6 s start
    expect(sessionsOf(h, req.channel).recording).toHaveLength(0); // not landed yet
    return { req, workflowId, starting };
  }

  it('cancelled: waits for the recording start to land, then stops both sessions once', async () => {
    const { req, workflowId, starting } = await recordingStartInFlight();
    await cancelCapture(h.env.client, workflowId);
    await expect(waitForCapture(h.env.client, workflowId)).rejects.toThrow(WorkflowFailedError);
    await keepHistory('recording-cancelled-while-starting', h.env.client, workflowId);
    const { screenshots, recording } = sessionsOf(h, req.channel);
    expect(screenshots).toEqual([
      expect.objectContaining({ sid: starting.sid, active: false, endedBy: 'stop', stopCalls: 1 }),
    ]);
    expect(recording).toEqual([expect.objectContaining({ active: false, endedBy: 'stop', stopCalls: 1 })]);
    expect(await getCapture(h.env.client, workflowId)).toMatchObject({
      phase: 'STOPPED',
      endReason: 'cancelled',
      stopOutcome: 'stopped',
      openSessions: [],
      recording: { sid: recording[0]!.sid, stopOutcome: 'stopped' },
    });
  }, 120_000);

  it('terminated (no compensation runs), then swept while that start is still in flight: both sessions are stopped', async () => {
    const { req, workflowId, starting } = await recordingStartInFlight();
    await h.env.client.workflow.getHandle(workflowId).terminate('recording test: terminate mid-start');
    const { sweep } = await sweepNow(h.env.client, h.taskQueue, { captures: [{ workflowId }] });
    expect(sweptReapers(sweep)).toEqual(reaperIdsOf([starting, starting.recording!]));
    const reaps = await reapsOf(h.env.client, [starting, starting.recording!]);
    // Judge only once Agora has answered the start that was in flight at the terminate.
    await waitFor(
      async () =>
        h.emulator.requests().every((r) => r.endpoint !== 'start' || r.status !== undefined) || undefined,
      { what: 'every start answered', timeoutMs: 30_000 },
    );
    const { screenshots, recording } = sessionsOf(h, req.channel);
    // One recording task, billed: the start in flight at the terminate and the reaper's own start
    // (to learn the sid) share the resourceId, so Agora answers the later of them 201/7.
    expect(recording).toHaveLength(1);
    expect(reaps.map((r) => [r.sid, r.outcome]).sort()).toEqual(
      [
        [starting.sid, 'stopped'],
        [recording[0]!.sid, 'stopped'],
      ].sort(),
    );
    expect(screenshots).toEqual([expect.objectContaining({ active: false, endedBy: 'stop', stopCalls: 1 })]);
    expect(recording).toEqual([expect.objectContaining({ active: false, endedBy: 'stop', stopCalls: 1 })]);
  }, 180_000);
});

describe('a capture with recording whose worker is SIGKILLed', () => {
  let h: Harness;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    h = await startHarness({ inProcessWorker: false });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
    await h?.close();
  });

  it('ends at the duration by the worker that replaced it, and both sessions are stopped', async () => {
    const env = workerEnv(h.emulator.url, inject('temporalAddress'), h.taskQueue);
    const first = await spawnWorker(env, { startTimeoutMs: 180_000 });
    workers.push(first);
    const req = recordingRequest({ durationSeconds: 60 });
    const { workflowId } = await h.start(req);
    const running = await bothRunning(h, workflowId);
    // The only worker dies mid-capture: both sessions bill on until a replacement takes over.
    await first.kill('SIGKILL');
    expect(sessionsOf(h, req.channel).all.filter((e) => e.active)).toHaveLength(2);
    workers.push(await spawnWorker(env, { startTimeoutMs: 180_000 }));

    const result = await waitForCapture(h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped', sid: running.sid });
    expect(result.recording).toMatchObject({ sid: running.recording!.sid, endedBy: 'stop' });
    expectBothStopped(h, req.channel, running);
  }, 420_000);
});
