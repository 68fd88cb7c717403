/**
 * Bookkeeping of the sessions that may bill (state.ts OpenSession). Pure: the state machine
 * calls these and then publishes the list (CaptureOpenSessions) in the same workflow task.
 */
import type { CaptureRequest } from './request';
import type { SessionKind } from './recording-state';
import type { CaptureState, OpenSession } from './state';

const HOUR_MS = 3_600_000;
const EXPIRY_MARGIN_MS = 5 * 60_000;

/**
 * resourceExpiredHour for acquire: the latest possible end of a session of this request. With
 * pausedTimeCounts the duration plus one hour to stop; without it, lost-video pauses move the
 * deadline without bound, so Agora's maximum (720 h), and clock.ts ends the capture an hour
 * before the resource expires. Within [1, 720].
 */
export function resourceExpiredHour(request: Pick<CaptureRequest, 'durationSeconds' | 'policies'>): number {
  if (request.policies && !request.policies.pausedTimeCounts) return 720;
  return Math.min(720, Math.max(1, Math.ceil(request.durationSeconds / 3600) + 1));
}

/** `resourceId:sid`, or `resourceId:` while the sid is unknown: the search attribute's value. */
export function sessionKey(o: Pick<OpenSession, 'resourceId' | 'sid'>): string {
  return `${o.resourceId}:${o.sid ?? ''}`;
}

/** Records a start about to be scheduled on `resourceId` (before it is, so a crash leaves it listed). */
export function trackStart(
  s: CaptureState,
  request: CaptureRequest,
  resourceId: string,
  nowMs: number,
  kind?: SessionKind,
): void {
  if (s.sessions.some((o) => o.resourceId === resourceId)) return;
  s.sessions.push({
    ...(kind === 'recording' ? { kind } : {}),
    resourceId,
    startAttemptMs: nowMs,
    billableUntilMs: billableUntilMs(request, nowMs),
  });
}

/** When Agora can no longer bill a session started at `startMs` (its resource has expired). */
export function billableUntilMs(request: CaptureRequest, startMs: number): number {
  // Agora counts the hours from the start it receives, a little after this moment.
  return startMs + resourceExpiredHour(request) * HOUR_MS + EXPIRY_MARGIN_MS;
}

/** The sid of the session on `resourceId` is known. */
export function learnSid(s: CaptureState, resourceId: string, sid: string): void {
  const o = s.sessions.find((x) => x.resourceId === resourceId);
  if (o) o.sid = sid;
}

/** The session on `resourceId` can no longer bill: never started, stopped, or ended by Agora. */
export function settle(s: CaptureState, resourceId: string): void {
  s.sessions = s.sessions.filter((o) => o.resourceId !== resourceId);
}

/** The open session with this sid, if any. */
export function sessionBySid(s: CaptureState, sid: string): OpenSession | undefined {
  return s.sessions.find((o) => o.sid === sid);
}
