/** Periodic `query` of a running session: how the capture learns Agora ended it. Workflow code. */
import { proxyActivities } from '@temporalio/workflow';
import type { CaptureActivities } from '../activities';
import { failureMessage, failureType } from './failure-type';
import { queryOptions } from './policies';
import type { CaptureRequest } from './request';
import { settle } from './open-sessions';
import { EVIDENCE, noteAgoraEnd, queryExitText } from './agora-end';
import { type CaptureState, currentSegment } from './state';

const querier = proxyActivities<CaptureActivities>(queryOptions);

/** Agora's query status codes for a session that has exited (normally or not). */
const EXITED = [8, 20];

/** While 404s come in, look again sooner (Agora: 5 s, 10 s, 15 s) to judge the failover window. */
const MISSING_RECHECK_MS = 5_000;

export function nextHealthCheckMs(s: CaptureState, request: CaptureRequest): number {
  const every = request.timings.healthCheckSeconds * 1000;
  const last = s.lastHealthCheckMs ?? s.startedAtMs ?? Date.now();
  return last + (s.missingSinceMs === undefined ? every : Math.min(every, MISSING_RECHECK_MS));
}

/** Queries the session; marks it gone after an exit status or 404s outlasting the failover window. */
export async function checkHealth(s: CaptureState, request: CaptureRequest): Promise<void> {
  if (!s.sid || !s.resourceId) return;
  s.lastHealthCheckMs = Date.now();
  try {
    const { status } = await querier.query({
      channel: request.channel,
      recorderUid: request.recorderUid,
      resourceId: s.resourceId,
      sid: s.sid,
    });
    s.agoraStatus = status;
    s.missingSinceMs = undefined;
    if (EXITED.includes(status)) {
      noteAgoraEnd(currentSegment(s), queryExitText(status), EVIDENCE.ended);
      markGone(s);
      settle(s, s.resourceId); // Agora says it exited: it bills no more
    }
  } catch (err) {
    const type = failureType(err) ?? 'Error';
    // After Agora's fatal error its 404 is the expected sequel: the fatal error stays the one shown.
    const fatalSeen = currentSegment(s)?.agoraEnd?.rank === EVIDENCE.fatal;
    if (!(fatalSeen && type === 'AgoraNotFound'))
      s.lastError = { type, message: failureMessage(err), at: new Date(Date.now()).toISOString() };
    if (type !== 'AgoraNotFound') return; // a flaky query is no reason to end a paid capture
    s.missingSinceMs ??= s.lastHealthCheckMs;
    const open = s.sessions.find((o) => o.resourceId === s.resourceId);
    if (open) open.missingSinceMs ??= s.missingSinceMs;
    // Gone past the window: the capture ends, but the session stays listed, so the compensation
    // still sends it one final stop (a 404 then settles it at once).
    const missingMs = s.lastHealthCheckMs - s.missingSinceMs;
    if (missingMs >= request.timings.failoverWindowSeconds * 1000) {
      const window = request.timings.failoverWindowSeconds;
      noteAgoraEnd(
        currentSegment(s),
        `Agora's query found no such session (404) for ${Math.round(missingMs / 1000)}s, past the ${window}s failover window`,
        EVIDENCE.ended,
      );
      markGone(s);
    }
  }
}

function markGone(s: CaptureState): void {
  s.sessionGone = true;
  const seg = currentSegment(s);
  if (seg && seg.endedAtMs === undefined) {
    seg.endedAtMs = Date.now();
    seg.endedBy = 'agora';
  }
}
