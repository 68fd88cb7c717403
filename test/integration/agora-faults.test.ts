import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getCapture, stopCapture, waitForCapture } from '../../client/api';
import { agoraError } from '../../emulator';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { keepHistory } from '../helpers/keep-history';
import { waitFor } from '../helpers/wait-for';

/** The classified type of the failure that ended a run. */
function failureTypeOf(err: unknown): string | undefined {
  let cause = err instanceof WorkflowFailedError ? err.cause : err;
  if (cause instanceof ActivityFailure) cause = cause.cause;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

describe('Agora faults on a real Temporal server', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(() => h.emulator.clearFaults());
  afterAll(() => h?.close());

  it('retries acquire through a 5xx and a 429, then captures', async () => {
    h.emulator.inject('acquire', agoraError(500, 501, 'no_worker_manager_available'), {
      kind: 'respond',
      status: 429,
      body: { message: 'API rate limit exceeded' },
    });
    const req = captureRequest({ durationSeconds: 1 });
    const { workflowId } = await h.start(req);
    const result = await waitForCapture(h.env.client, workflowId);
    await keepHistory('acquire-retried', h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped' });
    expect(h.emulator.requests().filter((r) => r.endpoint === 'acquire' && r.fault)).toHaveLength(2);
  });

  it('retries start through 206/65 and a 503 on the same resourceId, and one session runs', async () => {
    h.emulator.inject('start', agoraError(206, 65, 'request not completed'), {
      kind: 'respond',
      status: 503,
      body: { message: 'unavailable' },
    });
    const req = captureRequest({ durationSeconds: 1 });
    const { workflowId } = await h.start(req);
    const result = await waitForCapture(h.env.client, workflowId);
    await keepHistory('start-retried', h.env.client, workflowId);
    expect(result.reason).toBe('duration');
    const starts = h.emulator
      .requests()
      .filter((r) => r.endpoint === 'start' && r.resourceId === result.resourceId);
    expect(starts.map((r) => r.status)).toEqual([206, 503, 200]);
    const sessions = h.emulator.ledger().filter((e) => e.cname === req.channel);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ active: false, stopCalls: 1 });
  });

  it('waits in QUEUED while the concurrent-task quota of Agora is full (406), then captures', async () => {
    const overLoad = agoraError(400, 406, 'vendor_over_load');
    h.emulator.inject('acquire', overLoad, overLoad);
    const req = captureRequest({ durationSeconds: 1 });
    const before = h.emulator.requests().length;
    const { workflowId } = await h.start(req);
    const queued = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.phase === 'QUEUED' ? s : undefined;
      },
      { what: 'phase QUEUED' },
    );
    expect(queued.lastError).toMatchObject({ type: 'AgoraQuotaExceeded' });
    const result = await waitForCapture(h.env.client, workflowId);
    await keepHistory('queued-406', h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped' });
    const acquires = h.emulator
      .requests()
      .slice(before)
      .filter((r) => r.endpoint === 'acquire');
    expect(acquires.map((r) => r.code ?? r.status)).toEqual([406, 406, 200]);
    expect(h.emulator.ledger().filter((e) => e.cname === req.channel)).toEqual([
      expect.objectContaining({ active: false, stopCalls: 1 }),
    ]);
  });

  it('a stop while QUEUED ends the capture at once: no slot taken, no Agora session, and the result says none started', async () => {
    const overLoad = agoraError(400, 406, 'vendor_over_load');
    h.emulator.inject('acquire', ...Array.from({ length: 20 }, () => overLoad));
    const req = captureRequest({ durationSeconds: 30 });
    const { workflowId } = await h.start(req);
    await waitFor(
      async () => ((await getCapture(h.env.client, workflowId)).phase === 'QUEUED' ? true : undefined),
      {
        what: 'phase QUEUED',
      },
    );
    const acquiresAtStop = h.emulator.requests().filter((r) => r.endpoint === 'acquire').length;
    const result = await stopCapture(h.env.client, workflowId, { reason: 'not needed', wait: true });
    await keepHistory('stopped-while-queued', h.env.client, workflowId);
    expect(result).toMatchObject({
      reason: 'stopped',
      stopReason: 'not needed',
      stopOutcome: 'not-started',
      capturedSeconds: 0,
      segments: 0,
    });
    expect(result.sid).toBeUndefined();
    expect(await getCapture(h.env.client, workflowId)).toMatchObject({
      phase: 'STOPPED',
      endReason: 'stopped',
    });
    // The wait ended with the stop: no acquire after it, and no session ever billed.
    expect(h.emulator.requests().filter((r) => r.endpoint === 'acquire')).toHaveLength(acquiresAtStop);
    expect(h.emulator.ledger().filter((e) => e.cname === req.channel)).toEqual([]);
  });

  it('a stop that arrives while acquire is in flight starts no session', async () => {
    h.emulator.inject('acquire', { kind: 'latency', ms: 1500 }); // under the harness's 3 s request timeout
    const req = captureRequest({ durationSeconds: 30 });
    const before = h.emulator.requests().length;
    const { workflowId } = await h.start(req);
    expect((await getCapture(h.env.client, workflowId)).phase).toBe('ACQUIRING');
    const result = await stopCapture(h.env.client, workflowId, { reason: 'changed my mind', wait: true });
    expect(result).toMatchObject({ reason: 'stopped', stopOutcome: 'not-started', segments: 0 });
    // The acquire answered (a resourceId costs nothing); no start followed it.
    expect(
      h.emulator
        .requests()
        .slice(before)
        .map((r) => r.endpoint),
    ).toEqual(['acquire']);
    expect(h.emulator.ledger().filter((e) => e.cname === req.channel)).toEqual([]);
  });

  it('fails fast on a 4xx from acquire, without retrying and without a start', async () => {
    h.emulator.inject('acquire', agoraError(400, 2, 'Acquire: invalid resourceExpiredHour value!'));
    const req = captureRequest();
    const before = h.emulator.requests().length;
    const { workflowId } = await h.start(req);
    const err = await waitForCapture(h.env.client, workflowId).catch((e: unknown) => e);
    await keepHistory('acquire-4xx', h.env.client, workflowId);
    expect(failureTypeOf(err)).toBe('AgoraInvalidParameter');
    const after = h.emulator.requests().slice(before);
    expect(after.map((r) => r.endpoint)).toEqual(['acquire']);
    expect(await getCapture(h.env.client, workflowId)).toMatchObject({
      phase: 'FAILED',
      endReason: 'failed',
      stopOutcome: 'not-started',
    });
  });

  it('fails fast on a 4xx from start, leaving no session behind', async () => {
    h.emulator.inject('start', agoraError(400, 2, 'invalid storageConfig'));
    const req = captureRequest();
    const { workflowId } = await h.start(req);
    const err = await waitForCapture(h.env.client, workflowId).catch((e: unknown) => e);
    await keepHistory('start-4xx', h.env.client, workflowId);
    expect(failureTypeOf(err)).toBe('AgoraInvalidParameter');
    const { resourceId } = await getCapture(h.env.client, workflowId);
    expect(
      h.emulator.requests().filter((r) => r.endpoint === 'start' && r.resourceId === resourceId),
    ).toHaveLength(1);
    expect(h.emulator.ledger().filter((e) => e.cname === req.channel)).toHaveLength(0);
  });

  it('bills exactly one session and stops it when the start response is lost after Agora acted', async () => {
    h.emulator.inject('start', { kind: 'perform-then-drop' });
    const req = captureRequest({ durationSeconds: 1 });
    const { workflowId } = await h.start(req);
    const result = await waitForCapture(h.env.client, workflowId);
    await keepHistory('start-response-lost', h.env.client, workflowId);
    const sessions = h.emulator.ledger().filter((e) => e.cname === req.channel);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ sid: result.sid, active: false, endedBy: 'stop', stopCalls: 1 });
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped' });
  });

  it('stops the session an earlier start attempt created when the last attempt is refused (429)', async () => {
    // Attempt 1 reaches Agora and its answer is lost; attempts 2-4 meet the rate limit. The
    // activity's failure is attempt 4's definite 429, yet a session runs on that resource.
    h.emulator.inject('start', { kind: 'perform-then-drop' });
    for (let i = 0; i < 3; i++) h.emulator.inject('start', agoraError(429, 0, 'Too Many Requests'));
    const req = captureRequest({ durationSeconds: 3 });
    const { workflowId } = await h.start(req);
    const result = await waitForCapture(h.env.client, workflowId);
    await keepHistory('start-landed-then-429', h.env.client, workflowId);
    const sessions = h.emulator.ledger().filter((e) => e.cname === req.channel);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ sid: result.sid, active: false, endedBy: 'stop' });
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped' });
  });

  it('says already-stopped, never a second stop, when a stop acted but its answer was lost', async () => {
    const req = captureRequest({ durationSeconds: 600 });
    const { workflowId } = await h.start(req);
    await waitFor(async () =>
      (await getCapture(h.env.client, workflowId)).phase === 'CAPTURING' ? true : undefined,
    );
    // What a worker killed mid-stop leaves too: Agora ended the session, nobody heard the answer.
    h.emulator.inject('stop', { kind: 'perform-then-drop' });
    const result = await stopCapture(h.env.client, workflowId, { wait: true });
    expect(result.stopOutcome).toBe('already-stopped');
    expect(h.emulator.ledger().filter((e) => e.cname === req.channel)).toEqual([
      expect.objectContaining({ active: false, endedBy: 'stop', stopCalls: 1 }),
    ]);
  });

  it('stops through Agora failover: 404s during the window, then the stop lands', async () => {
    const req = captureRequest({
      durationSeconds: 600,
      timings: { failoverWindowSeconds: 20, healthCheckSeconds: 600 },
    });
    const { workflowId } = await h.start(req);
    const { sid } = await waitFor(async () => {
      const s = await getCapture(h.env.client, workflowId);
      return s.phase === 'CAPTURING' ? s : undefined;
    });
    h.emulator.failover(sid!, { windowMs: 3000 });
    const result = await stopCapture(h.env.client, workflowId, { wait: true });
    await keepHistory('stop-through-failover', h.env.client, workflowId);
    expect(result.stopOutcome).toBe('stopped');
    const stops = h.emulator.requests().filter((r) => r.endpoint === 'stop' && r.sid === sid);
    expect(stops.length).toBeGreaterThan(1);
    expect(stops.slice(0, -1).every((r) => r.status === 404)).toBe(true);
    expect(stops.at(-1)!.status).toBe(200);
    expect(h.emulator.ledger().find((e) => e.sid === sid)).toMatchObject({
      active: false,
      endedBy: 'stop',
      stopCalls: 1,
    });
  });

  it('takes a session that stays 404 past the failover window as already stopped', async () => {
    const req = captureRequest({
      durationSeconds: 600,
      timings: { failoverWindowSeconds: 2, healthCheckSeconds: 600 },
    });
    const { workflowId } = await h.start(req);
    const { sid } = await waitFor(async () => {
      const s = await getCapture(h.env.client, workflowId);
      return s.phase === 'CAPTURING' ? s : undefined;
    });
    h.emulator.failover(sid!, { windowMs: 60_000 });
    const result = await stopCapture(h.env.client, workflowId, { wait: true });
    await keepHistory('stop-404-past-window', h.env.client, workflowId);
    expect(result.stopOutcome).toBe('already-stopped');
  });
});
