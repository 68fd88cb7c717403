/** Moves received callbacks through ordering and de-duplication into the state. Workflow-safe, pure. */
import { applyEvent } from './apply-event';
import { admit, releaseExpiredGaps } from './event-order';
import type { CaptureEvent } from './messages';
import type { CaptureRequest } from './request';
import type { CaptureState } from './state';
import { emitWebhook } from './webhooks/emit';

/**
 * Whether an event is this capture's: one of its sessions' sids. (A session whose sid is not
 * known yet learns it in session.ts recoverSid, which checks the callback belongs to its start.)
 */
function belongsHere(s: CaptureState, e: CaptureEvent): boolean {
  return s.segments.some((g) => g.sid === e.sid);
}

export function drainInbox(s: CaptureState, request: CaptureRequest, nowMs: number): void {
  const ready: CaptureEvent[] = [];
  for (const e of s.inbox.splice(0)) {
    if (!belongsHere(s, e)) s.counters.otherSid += 1;
    else {
      // A rollover segment's bot starts under the second recorder uid (rollover.ts).
      const bot = s.segments.find((g) => g.sid === e.sid)?.botUid ?? request.recorderUid;
      ready.push(...admit(s.order, e, nowMs, s.counters, bot));
    }
  }
  ready.push(...releaseExpiredGaps(s.order, nowMs, request.timings.eventGapSeconds * 1000, s.counters));
  for (const e of ready) {
    const shot = e.eventType === 45 ? e.details.screenshot : undefined;
    const before = shot ? (s.screenshots[shot.uid]?.count ?? 0) : 0;
    applyEvent(s, request, e, nowMs);
    s.counters.applied += 1;
    // A file counted for the first time goes to the customer's webhook (batched there).
    if (shot && e.details.fileName && (s.screenshots[shot.uid]?.count ?? 0) > before)
      emitWebhook('screenshots.uploaded', {
        uid: shot.uid,
        fileName: e.details.fileName,
        at: new Date(shot.capturedAtMs).toISOString(),
      });
  }
}
