/** When the capture must end: the duration (optionally not counting paused time) and the lost-video policy. */
import type { CaptureRequest } from './request';
import { type CaptureState, isPaused } from './state';

/** Paused milliseconds so far, finished and ongoing (operator pauses and lost video). */
export function pausedMsSoFar(s: CaptureState, nowMs: number): number {
  let ms = s.operatorPausedMs + s.videoLostMs;
  // Set from the pause until a session runs again (a resume's acquire and start included).
  if (s.operatorPausedSinceMs !== undefined) ms += nowMs - s.operatorPausedSinceMs;
  else if (s.videoLostSinceWfMs !== undefined) ms += nowMs - s.videoLostSinceWfMs;
  return ms;
}

/**
 * The moment the duration is used up, or undefined while the clock is stopped (paused, and
 * paused time does not count toward the duration).
 */
export function durationDeadlineMs(
  s: CaptureState,
  request: CaptureRequest,
  nowMs: number,
): number | undefined {
  if (s.deadlineMs === undefined) return undefined;
  if (request.policies.pausedTimeCounts) return s.deadlineMs;
  // Paused time moves the deadline, but never past an hour before the session's resource
  // expires (open-sessions.ts resourceExpiredHour): the stop must still reach Agora.
  const expiry = s.sessions.find((o) => o.resourceId === s.resourceId)?.billableUntilMs;
  const latest = expiry === undefined ? Infinity : expiry - STOP_MARGIN_MS;
  if (isPaused(s)) return latest === Infinity ? undefined : latest;
  return Math.min(latest, s.deadlineMs + pausedMsSoFar(s, nowMs));
}

const STOP_MARGIN_MS = 3_600_000;

/** When the lost-video policy ends the capture, if it applies now. */
export function videoLostDeadlineMs(s: CaptureState, request: CaptureRequest): number | undefined {
  const limit = request.policies.endAfterVideoLostSeconds;
  if (limit === undefined || s.videoLostSinceWfMs === undefined || s.operatorPaused) return undefined;
  return s.videoLostSinceWfMs + limit * 1000;
}
