/**
 * The capture's main loop: applies callbacks, carries out operator pause/resume, checks the
 * session's health, and decides when the capture ends. Handlers only record facts; every
 * decision and every activity call happens here, in order; phases change through
 * `m.transition` (machine.ts). Workflow code.
 */
import { condition, patched, workflowInfo } from '@temporalio/workflow';
import { durationDeadlineMs, videoLostDeadlineMs } from './clock';
import { nextGapDeadline } from './event-order';
import { checkHealth, nextHealthCheckMs } from './health';
import { drainInbox } from './inbox';
import type { CaptureMachine } from './machine';
import { rollOver, rolloverDueMs } from './rollover';
import { LEAN_HISTORY, PAUSE_ENDS_SEGMENT_FIRST, PAUSE_UNTIL_SESSION } from './patches';
import { flushSearchAttributes } from './search-attribute-batch';
import { WakeTimer } from './wake-timer';
import { agoraEndedCapture } from './recording';
import { establishSession, stopSession } from './session';
import { type CaptureState, currentSegment, isPaused, sessionActive } from './state';

export type LoopExit = 'ended' | 'continue-as-new';

/** Releases the Agora session for an operator pause: Agora has no pause in individual mode. */
async function releaseForPause(m: CaptureMachine): Promise<void> {
  const { s } = m;
  const seg = currentSegment(s);
  const open = s.sessions.find((o) => o.resourceId === seg?.resourceId && o.sid !== undefined);
  // The segment ends when the operator paused it, recorded before the stop: the manifest
  // reconciled after that stop then shows the segment ended and the pause begun (it showed the
  // segment running), and the stop's own session_exit is not read as Agora ending it.
  // Histories recorded before that ended it after the stop (the second call).
  const endSegment = () => {
    if (seg && seg.endedAtMs === undefined) {
      seg.endedAtMs = Date.now();
      seg.endedBy = 'operator-pause';
    }
  };
  if (seg && open && seg.endedAtMs === undefined && patched(PAUSE_ENDS_SEGMENT_FIRST)) endSegment();
  if (open) s.stopOutcome = await stopSession(m, open);
  endSegment();
  s.operatorPaused = true;
  s.operatorPausedSinceMs = Date.now();
  s.pauseCount += 1;
}

/**
 * Whether a wanted resume waits: a rollover's stop still runs beside the loop (failing), so its
 * bot is still in the channel under the uid a resume starts with, and the new start would meet
 * 53. The capture stays paused, its deadline and an operator's stop still apply, and the loop
 * wakes to resume once that stop settles. Only runs with such a stop (since
 * ROLLOVER_STOPS_BESIDE) ever wait.
 */
function resumeWaits(m: CaptureMachine): boolean {
  return !m.s.operatorPauseWanted && m.s.operatorPaused && m.stopsBeside.size > 0;
}

/**
 * Resumes after an operator pause with a new segment (acquire + start). False: stopped before
 * the new segment's session was started (e.g. while QUEUED).
 */
async function resumeSegment(m: CaptureMachine): Promise<boolean> {
  const { s } = m;
  // The pause lasts until a session runs again: time spent acquiring and starting (minutes in an
  // Agora outage) captured nothing. Histories recorded before it ended the pause here.
  const untilSession = patched(PAUSE_UNTIL_SESSION);
  if (!untilSession) endOperatorPause(s, Date.now());
  s.operatorPaused = false;
  s.stopOutcome = undefined;
  s.uploadingStatus = undefined;
  const started = await establishSession(m);
  if (untilSession) endOperatorPause(s, started ? currentSegment(s)!.startedAtMs : Date.now());
  return started;
}

function endOperatorPause(s: CaptureState, atMs: number): void {
  s.operatorPausedMs += Math.max(0, atMs - (s.operatorPausedSinceMs ?? atMs));
  s.operatorPausedSinceMs = undefined;
}

function end(s: CaptureState, reason: NonNullable<CaptureState['endReason']>): LoopExit {
  s.endReason = reason;
  return 'ended';
}

const minDefined = (...xs: (number | undefined)[]) => {
  const d = xs.filter((x): x is number => x !== undefined);
  return d.length ? Math.min(...d) : undefined;
};

export async function runCapture(m: CaptureMachine): Promise<LoopExit> {
  const timer = new WakeTimer();
  try {
    return await loop(m, timer);
  } finally {
    timer.cancel();
  }
}

async function loop(m: CaptureMachine, timer: WakeTimer): Promise<LoopExit> {
  const { s, request } = m;
  const gapMs = request.timings.eventGapSeconds * 1000;
  for (;;) {
    const now = Date.now();
    drainInbox(s, request, now);
    m.transition(isPaused(s) ? 'PAUSED' : 'CAPTURING');
    if (s.stopRequested !== undefined) return end(s, 'stopped');
    if (agoraEndedCapture(s, request)) return end(s, 'agora-ended');
    const deadline = durationDeadlineMs(s, request, now);
    if (deadline !== undefined && now >= deadline) return end(s, 'duration');
    const lostAt = videoLostDeadlineMs(s, request);
    if (lostAt !== undefined && now >= lostAt) return end(s, 'video-lost');
    if (s.operatorPauseWanted && !s.operatorPaused) {
      await releaseForPause(m);
      continue;
    }
    if (!s.operatorPauseWanted && s.operatorPaused && !resumeWaits(m)) {
      if (!(await resumeSegment(m))) return end(s, 'stopped');
      continue;
    }
    const rolloverAt = rolloverDueMs(s, request, now);
    if (rolloverAt !== undefined && now >= rolloverAt) {
      await rollOver(m);
      continue;
    }
    const checkAt = sessionActive(s) ? (s.healthCheckDue ? now : nextHealthCheckMs(s, request)) : undefined;
    if (checkAt !== undefined && now >= checkAt) {
      s.healthCheckDue = false;
      await checkHealth(s, request);
      continue;
    }
    // Not while a stop runs beside the loop: continuing as new would abandon it.
    if (workflowInfo().continueAsNewSuggested && s.inbox.length === 0 && m.stopsBeside.size === 0)
      return 'continue-as-new';
    const wakeAt = minDefined(deadline, lostAt, checkAt, rolloverAt, nextGapDeadline(s.order, gapMs));
    const wake = () =>
      s.inbox.length > 0 ||
      s.stopRequested !== undefined ||
      (s.operatorPauseWanted !== s.operatorPaused && !resumeWaits(m)) ||
      s.healthCheckDue;
    if (patched(LEAN_HISTORY)) {
      // One timer for the next deadline, kept across passes (wake-timer.ts).
      timer.set(wakeAt, now);
      if (wakeAt === undefined || wakeAt > now) {
        flushSearchAttributes(); // no command may follow to carry what changed (search-attribute-batch.ts)
        await condition(() => wake() || timer.fired);
      }
      continue;
    }
    // condition(fn, 0) is not free: only arm a timer when there is time left.
    if (wakeAt === undefined) {
      flushSearchAttributes(); // no timer follows to carry what changed (search-attribute-batch.ts)
      await condition(wake);
    } else if (wakeAt > now) await condition(wake, wakeAt - now);
  }
}
