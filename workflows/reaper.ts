/**
 * sessionReaperWorkflow: stops one Agora session a closed capture left behind, and says what
 * became of it. One reaper per session (workflow id `reap/<hash>`, see reap-target.ts), started
 * by the sweep, by the receiver (a callback of a closed capture) and by a new run that met 53.
 *
 * Sid unknown → repeat the start on the same resourceId: Agora answers 201/7 with the running
 * session's sid (or starts one, which is then stopped at once: one session for that start
 * either way); a definitive refusal proves nothing runs. Then stop, retried with capped backoff
 * until the resource expires; 404 is final only after the failover window. Workflow code.
 */
import {
  ApplicationFailure,
  log,
  metricMeter,
  patched,
  proxyActivities,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { agoraTaskQueue } from './agora-task-queue';
import { REAPER_AGORA_QUEUE } from './patches';
import type { CaptureActivities } from '../activities';
import { failureMessage, failureType } from './failure-type';
import { NON_RETRYABLE_TYPES, NOTHING_RUNS_TYPES } from './policies';
import type { ReapOutcome, ReapResult, ReapTarget } from './reap-target';

export const SWEPT_SESSIONS = 'agora_capture_swept_sessions_total';
/** However soon the resource expires, keep trying this long (clocks differ; Agora may lag). */
const MIN_TRY_MS = 2 * 60_000;

function agoraDetails(err: unknown): { outcomeUnknown?: boolean; sid?: string } | undefined {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof ApplicationFailure)
    return cause.details?.[0] as { outcomeUnknown?: boolean; sid?: string };
  return undefined;
}

/**
 * A target whose reaper sends its Agora calls through the Agora task queue, paced to the App
 * ID's QPS with the captures' own (patch REAPER_AGORA_QUEUE): a batch terminate of many
 * captures starts as many reapers, whose stops must not burst past Agora's limit. Reapers
 * recorded before it scheduled on their own queue. Carried on the target, not in a module
 * variable: workflows share their modules' state.
 */
type Paced = ReapTarget & { viaAgoraQueue?: boolean };

/** Activity options that keep trying until the resource expires (at least MIN_TRY_MS). */
function untilExpiry(target: ReapTarget, nonRetryableErrorTypes: string[]) {
  return proxyActivities<CaptureActivities>({
    startToCloseTimeout: '40s',
    scheduleToCloseTimeout: Math.max(target.expiresAtMs - Date.now(), MIN_TRY_MS),
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '5m', nonRetryableErrorTypes },
    summary: 'reap a session a closed capture left behind',
    ...((target as Paced).viaAgoraQueue ? { taskQueue: agoraTaskQueue(workflowInfo().taskQueue) } : {}),
  });
}

/** Repeating a start: Agora's "fix, don't retry" answers end it. */
const prober = (target: ReapTarget) => untilExpiry(target, NON_RETRYABLE_TYPES);
/** Stop: everything is retried (a rotated secret, 5xx) except 404 (the failover window is waited out here) and a mismatch. */
const stopper = (target: ReapTarget) => untilExpiry(target, ['AgoraNotFound', 'AgoraResourceMismatch']);

type Learned = { sid: string } | { outcome: ReapOutcome; error?: string };

/** Repeats the closed run's start on its resourceId to learn the sid of whatever runs there. */
async function learnSid(target: ReapTarget): Promise<Learned> {
  if (!target.request)
    return { outcome: 'unknown', error: 'the closed run left no request to repeat its start with' };
  try {
    const r = await prober(target).start({
      request: target.request,
      resourceId: target.resourceId,
      durationSeconds: target.request.durationSeconds,
    });
    return { sid: r.sid };
  } catch (err) {
    const d = agoraDetails(err);
    if (d?.sid) return { sid: d.sid };
    // 201/7 without a sid: a session runs on this resourceId, and nothing tells us which.
    if (failureType(err) === 'AgoraAlreadyStarted') return { outcome: 'unknown', error: failureMessage(err) };
    // 433 expired, 53 another resourceId holds the channel: none runs on ours. Any other
    // refusal (401 after a secret rotation, 400) proves nothing about the session: unknown.
    if (d?.outcomeUnknown === false && NOTHING_RUNS_TYPES.includes(failureType(err) ?? ''))
      return { outcome: 'never-started', error: failureMessage(err) };
    return {
      outcome: failureType(err) === 'ActivityTimeout' ? 'expired' : 'unknown',
      error: failureMessage(err),
    };
  }
}

/** Stops (resourceId, sid) until Agora says it is over or the resource expires. */
async function stopUntilGone(
  target: ReapTarget,
  sid: string,
): Promise<{ outcome: ReapOutcome; error?: string }> {
  let firstNotFoundMs: number | undefined;
  for (;;) {
    try {
      const r = await stopper(target).stop({
        channel: target.channel,
        recorderUid: target.recorderUid,
        resourceId: target.resourceId,
        sid,
      });
      return { outcome: r.outcome };
    } catch (err) {
      const type = failureType(err);
      if (type === 'AgoraResourceMismatch') return { outcome: 'unknown', error: failureMessage(err) };
      if (type !== 'AgoraNotFound') return { outcome: 'expired', error: failureMessage(err) };
      // 404 may be a failover in progress: final only once the window has passed.
      firstNotFoundMs ??= Date.now();
      const left = firstNotFoundMs + target.failoverWindowSeconds * 1000 - Date.now();
      if (left <= 0) return { outcome: 'already-stopped', error: failureMessage(err) };
      await sleep(Math.min(left, 5000));
    }
  }
}

export async function sessionReaperWorkflow(input: ReapTarget): Promise<ReapResult> {
  const target: Paced = { ...input, viaAgoraQueue: patched(REAPER_AGORA_QUEUE) };
  let sid = target.sid;
  let done: { outcome: ReapOutcome; error?: string } | undefined;
  if (sid === undefined) {
    const learned = await learnSid(target);
    if ('sid' in learned) sid = learned.sid;
    else done = learned;
  }
  if (sid !== undefined) {
    done = await stopUntilGone(target, sid);
  } else if (done?.outcome === 'unknown') {
    // Last resort: a sid our callbacks saw. Only a 200 stop counts; anything else stays unknown.
    for (const candidate of target.candidateSids) {
      const r = await stopUntilGone({ ...target, failoverWindowSeconds: 0 }, candidate);
      if (r.outcome === 'stopped' || r.outcome === 'no-recorded-data') {
        sid = candidate;
        done = r;
        break;
      }
    }
  }
  const result: ReapResult = {
    outcome: done!.outcome,
    resourceId: target.resourceId,
    ...(sid !== undefined ? { sid } : {}),
    captureWorkflowId: target.captureWorkflowId,
    captureRunId: target.captureRunId,
    ...(done!.error !== undefined && done!.outcome !== 'stopped' ? { lastError: done!.error } : {}),
  };
  metricMeter
    .createCounter(SWEPT_SESSIONS, '', 'Sessions of closed captures the sweeper handled, by outcome.')
    .add(1, { outcome: result.outcome });
  const line = {
    outcome: result.outcome,
    captureWorkflowId: target.captureWorkflowId,
    captureRunId: target.captureRunId,
    captureStatus: target.captureStatus,
    channel: target.channel,
    resourceId: target.resourceId,
    sid: sid ?? 'unknown',
    ...(result.lastError ? { lastError: result.lastError } : {}),
  };
  if (result.outcome === 'unknown' || result.outcome === 'expired')
    log.error('swept session: it may still bill, its stop could not be confirmed', line);
  else log.info(`swept session: ${result.outcome}`, line);
  return result;
}
