/**
 * Which callback may supply the sid of a session whose start answered "already started"
 * without one. Pure. A callback from our channel and recorder uid is only a candidate when it
 * belongs to *this* start: its sid is none of the capture's other sessions, it was not already
 * rejected by Agora (`query`), and Agora sent it after the start was scheduled — a late or
 * replayed callback of an earlier session of the same channel and uid is older than that.
 */
import type { CaptureRequest } from './request';
import type { CaptureState, OpenSession } from './state';

/** Tolerated difference between Agora's clock (event time) and the workflow's. */
export const CLOCK_SKEW_MS = 2_000;

export function sidCandidate(
  s: CaptureState,
  request: CaptureRequest,
  session: OpenSession,
  rejected: readonly string[],
): string | undefined {
  for (const e of s.inbox) {
    if (e.cname !== request.channel || e.uid !== request.recorderUid) continue;
    if (rejected.includes(e.sid) || s.segments.some((g) => g.sid === e.sid)) continue;
    if (e.eventMs < session.startAttemptMs - CLOCK_SKEW_MS) continue;
    return e.sid;
  }
  return undefined;
}
