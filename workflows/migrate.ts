/**
 * A legacy run (legacy/, before the state machine) that continues-as-new hands its state to
 * the state machine: the sessions that may bill are derived from what the legacy state held.
 * Pure.
 */
import type { CaptureState, OpenSession } from './state';

type LegacyState = Omit<CaptureState, 'sessions'> & { sessions?: OpenSession[]; unsettledStarts?: string[] };

const HOUR_MS = 3_600_000;

export function migrateCarried(carried: CaptureState): CaptureState {
  const legacy = carried as LegacyState;
  if (legacy.sessions) return carried;
  const now = Date.now();
  // The legacy state does not say when its sessions started: count from now, the longest a
  // request of this kind can run (720 h at most), so the stop never gives up too early.
  const until = now + 720 * HOUR_MS;
  const sessions: OpenSession[] = (legacy.unsettledStarts ?? []).map((resourceId) => ({
    resourceId,
    startAttemptMs: 0,
    billableUntilMs: until,
  }));
  const seg = carried.segments.at(-1);
  if (seg?.sid && seg.endedAtMs === undefined && !carried.sessionGone)
    sessions.push({
      resourceId: seg.resourceId,
      sid: seg.sid,
      startAttemptMs: seg.startedAtMs,
      billableUntilMs: until,
    });
  const { unsettledStarts: _dropped, ...rest } = legacy;
  return { ...rest, sessions };
}
