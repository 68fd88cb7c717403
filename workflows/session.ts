/**
 * The Agora session steps the workflow drives: acquire + start (with reconciliation when a
 * start's outcome is unknown) and stop (through Agora's failover 404 window). Workflow code.
 */
import {
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
} from '@temporalio/workflow';
import type { CaptureActivities } from '../activities';
import { failureMessage, failureType } from './failure-type';
import { carriesOurSid, drainInbox } from './inbox';
import { countStopRetry, enterPhase } from './metrics';
import { AGORA_QUEUE_V3, FIRST_TASK_V2 } from './patches';
import { acquireOptions, START_OUTCOME_UNKNOWN_TYPES, startOptions, stopOptions } from './policies';
import type { CaptureRequest } from './request';
import type { CaptureState, Segment } from './state';

const starter = proxyActivities<CaptureActivities>(startOptions);
const stopper = proxyActivities<CaptureActivities>(stopOptions);
const remoteAcquire = proxyActivities<CaptureActivities>(acquireOptions).acquire;
const localAcquire = proxyLocalActivities<CaptureActivities>(acquireOptions).acquire;

/**
 * acquire runs as a local activity (since FIRST_TASK_V2), inside the workflow task that asks
 * for it, and the task completes with its result and the start activity together: one
 * workflow task and one activity dispatch fewer before Agora start (bench/). start itself
 * stays an ordinary activity, scheduled only once the resourceId is in history: if a worker
 * dies while start runs, the retry reuses that resourceId and Agora answers 201/7 with the
 * running session. Were start local too, a crash would lose the resourceId with the task, the
 * next worker's fresh acquire + start would meet 53 "task conflict", and the first session
 * would run on unstopped (test/integration/several-workers.test.ts caught exactly that). A
 * crash during the local acquire only loses an unused resourceId (it expires in 5 minutes,
 * unbilled). Since AGORA_QUEUE_V3 acquire is an ordinary activity again, on the rate-limited
 * Agora task queue (patches.ts); histories from before replay the path they took.
 */
const acquire = (...args: Parameters<typeof localAcquire>) =>
  patched(AGORA_QUEUE_V3) || !patched(FIRST_TASK_V2) ? remoteAcquire(...args) : localAcquire(...args);

function recordError(s: CaptureState, err: unknown): void {
  s.lastError = {
    type: failureType(err) ?? 'Error',
    message: failureMessage(err),
    at: new Date(Date.now()).toISOString(),
  };
}

function settle(s: CaptureState, resourceId: string): void {
  s.unsettledStarts = s.unsettledStarts.filter((rid) => rid !== resourceId);
}

function openSegment(
  s: CaptureState,
  request: CaptureRequest,
  resourceId: string,
  sid: string | undefined,
): Segment {
  const seg: Segment = {
    index: s.segments.length,
    resourceId,
    sid,
    uid: request.recorderUid,
    startedAtMs: Date.now(),
    failovers: 0,
  };
  s.segments.push(seg);
  s.resourceId = resourceId;
  s.sid = sid;
  s.sessionGone = false;
  s.missingSinceMs = undefined;
  s.lastHealthCheckMs = seg.startedAtMs;
  return seg;
}

/**
 * Agora said "already started" (201/7) without the sid: our earlier start landed. Every
 * callback carries the sid, so wait for the first one from our recorder and adopt it.
 */
async function recoverSid(s: CaptureState, request: CaptureRequest, resourceId: string): Promise<void> {
  const seg = openSegment(s, request, resourceId, undefined);
  await condition(() => carriesOurSid(s, request), request.timings.sidRecoverySeconds * 1000);
  drainInbox(s, request, Date.now());
  if (seg.sid === undefined) {
    throw ApplicationFailure.nonRetryable(
      `Agora runs this capture's session but its sid was not learned within ${request.timings.sidRecoverySeconds}s: it cannot be stopped until Agora ends it (maxIdleTime)`,
      'SessionSidUnknown',
    );
  }
}

/** One start on a resourceId; a failure whose outcome is unknown leaves the rid "unsettled". */
async function startOn(s: CaptureState, request: CaptureRequest, resourceId: string): Promise<void> {
  enterPhase(s, 'STARTING');
  if (!s.unsettledStarts.includes(resourceId)) s.unsettledStarts.push(resourceId);
  try {
    const r = await starter.start({ request, resourceId, durationSeconds: request.durationSeconds });
    settle(s, resourceId);
    openSegment(s, request, resourceId, r.sid);
  } catch (err) {
    recordError(s, err);
    const type = failureType(err) ?? '';
    if (type === 'AgoraAlreadyStarted') return recoverSid(s, request, resourceId);
    if (!START_OUTCOME_UNKNOWN_TYPES.includes(type)) settle(s, resourceId);
    throw err;
  }
}

/**
 * acquire → start, opening a new segment. If start keeps failing in a way that may have
 * started a session, Agora's advice is a fresh acquire and start; a 53 "task conflict" then
 * proves the first start did create a session, which a repeated start on the first
 * resourceId adopts (201/7).
 */
export async function establishSession(s: CaptureState, request: CaptureRequest): Promise<void> {
  enterPhase(s, 'ACQUIRING');
  const first = (await acquire({ request })).resourceId;
  s.resourceId = first;
  try {
    return await startOn(s, request, first);
  } catch (err) {
    const type = failureType(err) ?? '';
    if (!START_OUTCOME_UNKNOWN_TYPES.includes(type) && type !== 'AgoraResourceExpired') throw err;
  }
  enterPhase(s, 'ACQUIRING');
  const second = (await acquire({ request })).resourceId;
  s.resourceId = second;
  try {
    await startOn(s, request, second);
  } catch (err) {
    if (failureType(err) !== 'AgoraTaskConflict' || !s.unsettledStarts.includes(first)) throw err;
    await startOn(s, request, first); // expect 201/7 for the running session
  }
}

/**
 * Settles starts whose outcome is unknown: repeating start on the same resourceId either
 * reports the running session (201/7 with its sid) or starts one; either way we learn a sid
 * to stop. Best effort: called from cleanup, it must not throw.
 */
export async function settleUnknownStarts(
  s: CaptureState,
  request: CaptureRequest,
): Promise<{ resourceId: string; sid: string }[]> {
  const found: { resourceId: string; sid: string }[] = [];
  for (const resourceId of [...s.unsettledStarts]) {
    try {
      const r = await starter.start({ request, resourceId, durationSeconds: request.durationSeconds });
      found.push({ resourceId, sid: r.sid });
      settle(s, resourceId);
    } catch (err) {
      recordError(s, err);
      if (!START_OUTCOME_UNKNOWN_TYPES.includes(failureType(err) ?? '')) settle(s, resourceId);
    }
  }
  return found;
}

/**
 * Stops a session. 404 is retried for Agora's failover window (the session may be moving to
 * another server), then taken as "already gone"; 49 and 435 come back as outcomes.
 */
export async function stopSession(
  s: CaptureState,
  request: CaptureRequest,
  ref: { resourceId: string; sid: string },
): Promise<void> {
  const windowMs = request.timings.failoverWindowSeconds * 1000;
  let firstNotFoundMs: number | undefined;
  let delayMs = 2000;
  for (;;) {
    try {
      const r = await stopper.stop({ channel: request.channel, recorderUid: request.recorderUid, ...ref });
      s.stopOutcome = r.outcome;
      s.uploadingStatus = r.uploadingStatus;
      return;
    } catch (err) {
      if (failureType(err) !== 'AgoraNotFound') throw err;
      // Agora already told us (callback 11/41 or query) that this session is over: no window to wait out.
      if (s.sessionGone && s.sid === ref.sid) return void (s.stopOutcome = 'already-stopped');
      const now = Date.now();
      firstNotFoundMs ??= now;
      const left = firstNotFoundMs + windowMs - now;
      if (left <= 0) return void (s.stopOutcome = 'already-stopped');
      countStopRetry('not-found');
      // Wake early for callbacks: a session_exit arriving now ends the wait.
      await condition(() => s.inbox.length > 0, Math.min(delayMs, left));
      drainInbox(s, request, Date.now());
      delayMs = Math.min(delayMs * 2, 15_000);
    }
  }
}
