/** Periodic `query` of a running session: how the capture learns Agora ended it. Workflow code. */
import { proxyActivities } from '@temporalio/workflow';
import type { CaptureActivities } from '../../activities';
import { failureMessage, failureType } from './failure-type';
import { queryOptions } from './policies';
import type { CaptureRequest } from '../request';
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
    if (EXITED.includes(status)) markGone(s);
  } catch (err) {
    const type = failureType(err) ?? 'Error';
    s.lastError = { type, message: failureMessage(err), at: new Date(Date.now()).toISOString() };
    if (type !== 'AgoraNotFound') return; // a flaky query is no reason to end a paid capture
    s.missingSinceMs ??= s.lastHealthCheckMs;
    if (s.lastHealthCheckMs - s.missingSinceMs >= request.timings.failoverWindowSeconds * 1000) markGone(s);
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
