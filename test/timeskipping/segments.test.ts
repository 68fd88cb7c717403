/**
 * Captures past the recorder token's 24 h (workflows/rollover.ts) on Temporal's time-skipping
 * test server, against the emulator running on the server's clock (server-clock.ts): with an
 * App Certificate the emulator ends a session when its token expires, as Agora does.
 */
import { WorkflowUpdateStage } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCapture, pauseCapture, startCapture, stopCapture, waitForCapture } from '../../client/api';
import { type AgoraEmulator, agoraError, startEmulator } from '../../emulator';
import { loadWorkerConfig } from '../../worker/config';
import { createCaptureWorker } from '../../worker/create-worker';
import { APP_ID, CUSTOMER_ID, SECRETS, captureRequest } from '../helpers/fixtures';
import { workerEnv, workflowBundle } from '../helpers/harness';
import { startTimeSkipping, testServerPath } from './environment';
import { keepHistory } from '../helpers/keep-history';
import { resumeUpdate } from '../../workflows/messages';
import { waitFor } from '../helpers/wait-for';
import { ServerClock, clockSyncingProxy } from './server-clock';

const HOUR = 3_600_000;
const RECORDER = '527841';
const SPARE = '527842';
const INTERVAL_S = 5;

describe.skipIf(!testServerPath)('captures past the 24 h recorder token (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let emulator: AgoraEmulator;
  let proxy: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    env = await startTimeSkipping();
    const clock = new ServerClock(env);
    await clock.sync();
    emulator = await startEmulator({
      appId: APP_ID,
      customerId: CUSTOMER_ID,
      customerSecret: SECRETS.customerSecret,
      appCertificate: SECRETS.appCertificate,
      now: clock.now,
    });
    proxy = await clockSyncingProxy(emulator.url, clock);
  });
  afterAll(async () => {
    await proxy?.close();
    await emulator?.close();
    await env?.teardown();
  });

  async function worker(taskQueue: string) {
    const config = loadWorkerConfig(workerEnv(proxy.url, env.address, taskQueue));
    return createCaptureWorker({
      connection: env.nativeConnection,
      config,
      workflowBundle: await workflowBundle(),
    });
  }
  const sessionsOf = (channel: string) => emulator.ledger().filter((e) => e.cname === channel);

  it('runs a 72-hour capture as overlapping segments under alternating uids, each stopped before its token expires', async () => {
    const taskQueue = 'segments-72h';
    const request = captureRequest({
      recorderUid: RECORDER,
      durationSeconds: 72 * 3600,
      snapshotConfig: { captureInterval: INTERVAL_S, fileType: ['jpg'] },
      timings: { failoverWindowSeconds: 90, healthCheckSeconds: 3600 },
    });
    const { worker: w, agora } = await worker(taskQueue);
    const { r, status } = await w.runUntil(async () => {
      const { workflowId } = await startCapture(env.client, taskQueue, request, { wait: false });
      const r = await waitForCapture(env.client, workflowId);
      await keepHistory('segments-72h', env.client, workflowId);
      return { r, status: await getCapture(env.client, workflowId) };
    });
    await agora.close();

    expect(r).toMatchObject({ reason: 'duration', stopOutcome: 'stopped' });
    expect(r.capturedSeconds).toBe(72 * 3600);
    expect(r.rolloverFailure).toBeUndefined();
    const ledger = sessionsOf(request.channel);
    expect(ledger.length).toBeGreaterThanOrEqual(3);
    expect(r.segments).toBe(ledger.length);
    // Every session we started was stopped by us, once; none outlived its token.
    for (const e of ledger) expect(e).toMatchObject({ active: false, endedBy: 'stop', stopCalls: 1 });
    expect(emulator.requests().filter((q) => q.code === 109 || q.code === 53)).toEqual([]);
    // The bots alternate, so the new one never conflicts with the old.
    expect(ledger.map((e) => e.uid)).toEqual(ledger.map((_, i) => (i % 2 === 0 ? RECORDER : SPARE)));
    // Make before break: each next bot is in before the previous leaves, briefly.
    for (let i = 1; i < ledger.length; i++) {
      const prev = ledger[i - 1]!;
      const next = ledger[i]!;
      const overlapMs = prev.endedAt! - next.startedAt;
      expect(overlapMs).toBeGreaterThanOrEqual(-INTERVAL_S * 1000); // no gap over one interval
      expect(overlapMs).toBeLessThan(5 * 60_000); // the old one stops once the new one runs
      expect(prev.endedAt! - prev.startedAt).toBeLessThan(24 * HOUR); // before its token expired
    }
    // Coverage: from the first start to the last stop, some bot was in the channel throughout.
    expect(ledger.at(-1)!.endedAt! - ledger[0]!.startedAt).toBeGreaterThanOrEqual(72 * HOUR);
    expect(status.segments.map((g) => g.endedBy)).toEqual([...ledger.slice(1).map(() => 'rollover'), 'stop']);
    expect(status.openSessions).toEqual([]);
  }, 180_000);

  it('with a rollover margin of two hours, rolls over only the segment whose token would expire before the end', async () => {
    const taskQueue = 'segments-long-margin';
    const request = captureRequest({
      recorderUid: RECORDER,
      durationSeconds: 30 * 3600,
      timings: { failoverWindowSeconds: 90, healthCheckSeconds: 3600, rolloverMarginSeconds: 7200 },
    });
    const { worker: w, agora } = await worker(taskQueue);
    const r = await w.runUntil(async () => {
      const { workflowId } = await startCapture(env.client, taskQueue, request, { wait: false });
      const r = await waitForCapture(env.client, workflowId);
      await keepHistory('segments-long-margin', env.client, workflowId);
      return r;
    });
    await agora.close();

    // The first token (24 h) rolls over 2 h before it expires; the second lives an hour past
    // the 8 h left, so it carries the capture to its end: no further segment.
    const ledger = sessionsOf(request.channel);
    expect(ledger.map((e) => e.uid)).toEqual([RECORDER, SPARE]);
    expect(ledger[1]!.startedAt - ledger[0]!.startedAt).toBeGreaterThan(21.9 * HOUR);
    expect(ledger[1]!.startedAt - ledger[0]!.startedAt).toBeLessThan(22.1 * HOUR);
    for (const e of ledger) expect(e).toMatchObject({ active: false, endedBy: 'stop', stopCalls: 1 });
    expect(r).toMatchObject({ reason: 'duration', stopOutcome: 'stopped', segments: 2 });
  }, 180_000);

  it('keeps the old segment when the next one is refused (4xx), reports it, and leaves nothing running', async () => {
    const taskQueue = 'segments-refused';
    const request = captureRequest({
      recorderUid: RECORDER,
      durationSeconds: 30 * 3600,
      timings: { failoverWindowSeconds: 90, healthCheckSeconds: 3600 },
    });
    const { worker: w, agora } = await worker(taskQueue);
    const { r, status } = await w.runUntil(async () => {
      const { workflowId } = await startCapture(env.client, taskQueue, request, { wait: false });
      // Time does not skip until the result is awaited: the first segment starts for real first.
      await waitFor(async () => (await getCapture(env.client, workflowId)).phase === 'CAPTURING');
      emulator.inject('start', agoraError(400, 2, 'invalid parameter'));
      const r = await waitForCapture(env.client, workflowId);
      await keepHistory('rollover-refused', env.client, workflowId);
      return { r, status: await getCapture(env.client, workflowId) };
    });
    await agora.close();

    const ledger = sessionsOf(request.channel);
    expect(ledger).toHaveLength(1);
    // The old session ran on until Agora ended it with its token, not a moment less.
    expect(ledger[0]).toMatchObject({ uid: RECORDER, active: false, endedBy: 'token-expired' });
    expect(ledger[0]!.endedAt! - ledger[0]!.startedAt).toBeGreaterThan(23.9 * HOUR);
    expect(r).toMatchObject({ reason: 'agora-ended', segments: 1 });
    expect(r.rolloverFailure).toMatchObject({ segment: 0 });
    expect(r.rolloverFailure!.error).toMatch(/recorder uid 527842.*did not start.*invalid parameter/);
    expect(status.openSessions).toEqual([]);
    expect(emulator.ledger().filter((e) => e.active)).toEqual([]);
  }, 180_000);

  it('cancelled while the bots overlap: the compensation stops both sessions', async () => {
    const taskQueue = 'segments-cancel';
    const request = captureRequest({
      recorderUid: RECORDER,
      durationSeconds: 30 * 3600,
      timings: { failoverWindowSeconds: 90, healthCheckSeconds: 3600 },
    });
    // The rollover's stop of the old session (the capture's first stop) hangs for 3 s of real time.
    emulator.inject('stop', { kind: 'latency', ms: 3000 });
    const { worker: w, agora } = await worker(taskQueue);
    const { outcome, status } = await w.runUntil(async () => {
      const { workflowId } = await startCapture(env.client, taskQueue, request, { wait: false });
      const handle = env.client.workflow.getHandle(workflowId);
      // Awaiting the result lets time skip to the rollover.
      const outcome = handle.result().then(
        () => 'completed',
        (e: unknown) => (e instanceof Error ? e.name : String(e)),
      );
      await waitFor(() => sessionsOf(request.channel).length === 2, { timeoutMs: 60_000 });
      await handle.cancel();
      return { outcome: await outcome, status: await getCapture(env.client, workflowId) };
    });
    await agora.close();

    expect(outcome).toBe('WorkflowFailedError');
    expect(status).toMatchObject({ endReason: 'cancelled', openSessions: [] });
    const ledger = sessionsOf(request.channel);
    expect(ledger.map((e) => e.uid)).toEqual([RECORDER, SPARE]);
    for (const e of ledger) expect(e).toMatchObject({ active: false, endedBy: 'stop' });
  }, 180_000);

  /** A 30 h capture from RECORDER: rolls over to SPARE at 23 h 50 min. */
  const rollingRequest = () =>
    captureRequest({
      recorderUid: RECORDER,
      durationSeconds: 30 * 3600,
      timings: { failoverWindowSeconds: 90, healthCheckSeconds: 3600 },
    });

  /**
   * Starts `request`, has Agora fail every stop of its first session (only that one, until the
   * test clears the faults), and skips time past the rollover until the capture says that stop
   * is failing. Call inside the worker's runUntil. Time does not skip until the test asks, so
   * the first segment starts for real first.
   */
  async function rolledOverWithOldStopFailing(taskQueue: string, request: ReturnType<typeof rollingRequest>) {
    const { workflowId } = await startCapture(env.client, taskQueue, request, { wait: false });
    const { sid: first } = await waitFor(async () => {
      const s = await getCapture(env.client, workflowId);
      return s.phase === 'CAPTURING' ? s : undefined;
    });
    emulator.inject('stop', ...Array.from({ length: 300 }, () => agoraError(500, 1, 'internal', first)));
    await env.sleep(23 * HOUR + 51 * 60_000); // past the rollover (10 min before the 24 h token expires)
    const failing = await waitFor(
      async () => {
        const s = await getCapture(env.client, workflowId);
        return sessionsOf(request.channel).length === 2 && s.stopFailingSince !== undefined ? s : undefined;
      },
      { what: "the rollover's stop of the first session failing", timeoutMs: 60_000 },
    );
    return { workflowId, failing };
  }

  it("a rollover's stop that keeps failing does not hold up the capture: an operator's stop ends it at once", async () => {
    const taskQueue = 'segments-stop-beside';
    const request = rollingRequest();
    const { worker: w, agora } = await worker(taskQueue);
    const { r, failing, stoppedFirst } = await w.runUntil(async () => {
      const { workflowId, failing } = await rolledOverWithOldStopFailing(taskQueue, request);
      await stopCapture(env.client, workflowId);
      // The second session is stopped while the first one's stop still fails.
      const stoppedFirst = await waitFor(
        () => sessionsOf(request.channel).find((e) => e.uid === SPARE && !e.active),
        { what: 'the current session stopped', timeoutMs: 30_000 },
      );
      emulator.clearFaults();
      const r = await waitForCapture(env.client, workflowId);
      await keepHistory('rollover-stop-beside', env.client, workflowId);
      return { r, failing, stoppedFirst };
    });
    await agora.close();

    // While the old session's stop failed, the capture went on capturing with the new one.
    expect(failing).toMatchObject({
      phase: 'CAPTURING',
      lastError: expect.objectContaining({ type: 'AgoraServerError' }),
    });
    const [old, current] = sessionsOf(request.channel);
    expect(stoppedFirst).toMatchObject({ uid: SPARE, endedBy: 'stop' });
    expect(old).toMatchObject({ uid: RECORDER, active: false, endedBy: 'stop', stopCalls: 1 });
    expect(current!.endedAt!).toBeLessThan(old!.endedAt!);
    expect(r).toMatchObject({ reason: 'stopped', stopOutcome: 'stopped', segments: 2 });
  }, 180_000);

  it("an operator's resume waits for a rollover's failing stop of the old bot (its uid), then resumes without a 53", async () => {
    const taskQueue = 'segments-resume-waits';
    const request = rollingRequest();
    const { worker: w, agora } = await worker(taskQueue);
    const { waiting, resumed, r } = await w.runUntil(async () => {
      const { workflowId } = await rolledOverWithOldStopFailing(taskQueue, request);
      await pauseCapture(env.client, workflowId, 'resume test');
      // The resume is asked (accepted) while the old bot's stop still fails: it waits, paused.
      const resuming = await env.client.workflow
        .getHandle(workflowId)
        .startUpdate(resumeUpdate, { args: [{}], waitForStage: WorkflowUpdateStage.ACCEPTED });
      const waiting = await getCapture(env.client, workflowId);
      emulator.clearFaults();
      await env.sleep(15 * 60_000); // the old stop's next round lands; the resume goes ahead
      const resumed = await resuming.result();
      await stopCapture(env.client, workflowId);
      const r = await waitForCapture(env.client, workflowId);
      await keepHistory('rollover-resume-waits', env.client, workflowId);
      return { waiting, resumed, r };
    });
    await agora.close();

    expect(waiting).toMatchObject({ phase: 'PAUSED', operatorPaused: true });
    expect(resumed).toMatchObject({ phase: 'CAPTURING', operatorPaused: false });
    expect(emulator.requests().filter((q) => q.code === 53)).toEqual([]);
    const ledger = sessionsOf(request.channel);
    expect(ledger.map((e) => e.uid)).toEqual([RECORDER, SPARE, RECORDER]);
    for (const e of ledger) expect(e).toMatchObject({ active: false, endedBy: 'stop', stopCalls: 1 });
    expect(r).toMatchObject({ reason: 'stopped', stopOutcome: 'stopped' });
  }, 180_000);
});
