/**
 * The Agora session steps the workflow drives: acquire + start (with reconciliation when a
 * start's outcome is unknown) and stop (through Agora's failover 404 window). Workflow code.
 */
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { CaptureActivities } from '../activities';
import { failureMessage, failureType } from './failure-type';
import { acquireOptions, START_OUTCOME_UNKNOWN_TYPES, startOptions, stopOptions } from './policies';
import type { CaptureRequest } from './request';
import type { CaptureState } from './state';

const acquirer = proxyActivities<CaptureActivities>(acquireOptions);
const starter = proxyActivities<CaptureActivities>(startOptions);
const stopper = proxyActivities<CaptureActivities>(stopOptions);

function recordError(s: CaptureState, err: unknown): void {
  s.lastError = { type: failureType(err) ?? 'Error', message: failureMessage(err), at: new Date(Date.now()).toISOString() };
}

async function acquire(s: CaptureState, request: CaptureRequest): Promise<string> {
  s.phase = 'ACQUIRING';
  const { resourceId } = await acquirer.acquire({ request });
  s.resourceId = resourceId;
  return resourceId;
}

/** One start on a resourceId; a failure whose outcome is unknown leaves the rid "unsettled". */
async function startOn(s: CaptureState, request: CaptureRequest, resourceId: string): Promise<void> {
  s.phase = 'STARTING';
  if (!s.unsettledStarts.includes(resourceId)) s.unsettledStarts.push(resourceId);
  try {
    const r = await starter.start({ request, resourceId, durationSeconds: request.durationSeconds });
    s.sid = r.sid;
    s.resourceId = resourceId;
    s.unsettledStarts = s.unsettledStarts.filter((rid) => rid !== resourceId);
  } catch (err) {
    recordError(s, err);
    if (!START_OUTCOME_UNKNOWN_TYPES.includes(failureType(err) ?? '')) {
      s.unsettledStarts = s.unsettledStarts.filter((rid) => rid !== resourceId);
    }
    throw err;
  }
}

/**
 * acquire → start. If start keeps failing in a way that may have started a session, Agora's
 * advice is a fresh acquire and start; a 53 "task conflict" then proves the first start
 * did create a session, which a repeated start on the first resourceId adopts (201/7).
 */
export async function establishSession(s: CaptureState, request: CaptureRequest): Promise<void> {
  const first = await acquire(s, request);
  try {
    await startOn(s, request, first);
    return;
  } catch (err) {
    const type = failureType(err) ?? '';
    if (!START_OUTCOME_UNKNOWN_TYPES.includes(type) && type !== 'AgoraResourceExpired') throw err;
  }
  const second = await acquire(s, request);
  try {
    await startOn(s, request, second);
  } catch (err) {
    if (failureType(err) !== 'AgoraTaskConflict' || !s.unsettledStarts.includes(first)) throw err;
    await startOn(s, request, first); // expect 201/7 carrying the running session's sid
  }
}

/**
 * Settles starts whose outcome is unknown: repeating start on the same resourceId either
 * reports the running session (201/7 with its sid) or starts one, and either way we learn a
 * sid to stop. Best effort: called from cleanup, it must not throw.
 */
export async function settleUnknownStarts(s: CaptureState, request: CaptureRequest): Promise<string[]> {
  const sids: string[] = [];
  for (const rid of [...s.unsettledStarts]) {
    try {
      const r = await starter.start({ request, resourceId: rid, durationSeconds: request.durationSeconds });
      sids.push(r.sid);
      s.unsettledStarts = s.unsettledStarts.filter((x) => x !== rid);
    } catch (err) {
      recordError(s, err);
      // Definitely not started (e.g. 433 expired before any start landed): nothing to stop.
      if (!START_OUTCOME_UNKNOWN_TYPES.includes(failureType(err) ?? '')) {
        s.unsettledStarts = s.unsettledStarts.filter((x) => x !== rid);
      }
    }
  }
  return sids;
}

/**
 * Stops a session. 404 is retried for Agora's failover window (the session may be moving
 * to another server), then taken as "already gone"; 49 and 435 come back as outcomes.
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
      const now = Date.now();
      firstNotFoundMs ??= now;
      const left = firstNotFoundMs + windowMs - now;
      if (left <= 0) {
        s.stopOutcome = 'already-stopped';
        return;
      }
      await sleep(Math.min(delayMs, left));
      delayMs = Math.min(delayMs * 2, 15_000);
    }
  }
}
