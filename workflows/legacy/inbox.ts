/** Moves received callbacks through ordering and de-duplication into the state. Workflow-safe, pure. */
import { applyEvent } from './apply-event';
import { admit, releaseExpiredGaps } from './event-order';
import type { CaptureEvent } from './messages';
import type { CaptureRequest } from '../request';
import { type CaptureState, currentSegment } from './state';

/**
 * Whether an event is this capture's: one of its sessions' sids. A session whose start lost
 * its response has no sid yet; the first callback for our channel and recorder uid supplies it.
 */
function belongsHere(s: CaptureState, request: CaptureRequest, e: CaptureEvent): boolean {
  if (s.segments.some((g) => g.sid === e.sid)) return true;
  const seg = currentSegment(s);
  if (seg && seg.sid === undefined && e.cname === request.channel && e.uid === request.recorderUid) {
    seg.sid = e.sid;
    s.sid = e.sid;
    s.unsettledStarts = s.unsettledStarts.filter((rid) => rid !== seg.resourceId);
    return true;
  }
  return false;
}

export function drainInbox(s: CaptureState, request: CaptureRequest, nowMs: number): void {
  const ready: CaptureEvent[] = [];
  for (const e of s.inbox.splice(0)) {
    if (!belongsHere(s, request, e)) s.counters.otherSid += 1;
    else ready.push(...admit(s.order, e, nowMs, s.counters, request.recorderUid));
  }
  ready.push(...releaseExpiredGaps(s.order, nowMs, request.timings.eventGapSeconds * 1000, s.counters));
  for (const e of ready) {
    applyEvent(s, request, e, nowMs);
    s.counters.applied += 1;
  }
}

/** A callback our recorder sent for a session whose sid we are still missing. */
export function carriesOurSid(s: CaptureState, request: CaptureRequest): boolean {
  return s.inbox.some((e) => e.cname === request.channel && e.uid === request.recorderUid);
}
