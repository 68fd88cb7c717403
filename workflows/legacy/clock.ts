/** When the capture must end: the duration (optionally not counting paused time) and the lost-video policy. */
import type { CaptureRequest } from '../request';
import { type CaptureState, isPaused } from './state';

/** Paused milliseconds so far, finished and ongoing (operator pauses and lost video). */
export function pausedMsSoFar(s: CaptureState, nowMs: number): number {
  let ms = s.operatorPausedMs + s.videoLostMs;
  if (s.operatorPaused && s.operatorPausedSinceMs !== undefined) ms += nowMs - s.operatorPausedSinceMs;
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
  if (isPaused(s)) return undefined;
  return s.deadlineMs + pausedMsSoFar(s, nowMs);
}

/** When the lost-video policy ends the capture, if it applies now. */
export function videoLostDeadlineMs(s: CaptureState, request: CaptureRequest): number | undefined {
  const limit = request.policies.endAfterVideoLostSeconds;
  if (limit === undefined || s.videoLostSinceWfMs === undefined || s.operatorPaused) return undefined;
  return s.videoLostSinceWfMs + limit * 1000;
}
