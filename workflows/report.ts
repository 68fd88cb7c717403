/** Views of the state for the outside world: the status query, the result, the UI's details line. */
import { durationDeadlineMs } from './clock';
import { sessionKey } from './open-sessions';
import { recordingDetail, recordingView } from './recording-report';
import type { CaptureRequest } from './request';
import { type CaptureState, currentSegment } from './state';
import type {
  CaptureResult,
  CaptureStatus,
  PauseState,
  PauseTotals,
  RolloverFailureStatus,
  ScreenshotTally,
} from './status';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
type Ids = Pick<CaptureRequest, 'channel' | 'recorderUid'>;

function screenshots(s: CaptureState): Record<string, ScreenshotTally> {
  return Object.fromEntries(
    Object.entries(s.screenshots).map(([uid, t]) => [
      uid,
      { count: t.count, first: iso(t.firstMs)!, last: iso(t.lastMs)! },
    ]),
  );
}

function pauses(s: CaptureState, nowMs: number): PauseTotals {
  // The operator's pause runs from the pause until a session runs again (a resume's acquire and start included).
  const ongoingOperator = s.operatorPausedSinceMs !== undefined ? nowMs - s.operatorPausedSinceMs : 0;
  const ongoingVideo =
    s.videoLostSinceWfMs !== undefined && s.operatorPausedSinceMs === undefined
      ? nowMs - s.videoLostSinceWfMs
      : 0;
  return {
    videoLostMs: s.videoLostMs + ongoingVideo,
    operatorMs: s.operatorPausedMs + ongoingOperator,
    count: s.pauseCount,
  };
}

/** Whose pause it is, while the capture is paused: the operator's, else lost video per uid. */
export function pauseState(s: CaptureState): PauseState | undefined {
  if (s.operatorPaused)
    return {
      by: 'operator',
      since: iso(s.operatorPausedSinceMs ?? Date.now())!,
      ...(s.operatorPauseReason ? { reason: s.operatorPauseReason } : {}),
    };
  if (s.videoLostSinceMs === undefined) return undefined;
  const lost = Object.entries(s.streams)
    .filter(([, st]) => !st.receiving)
    .map(([uid, st]) => ({ uid, since: iso(st.sinceMs)! }));
  return { by: 'video-lost', since: iso(s.videoLostSinceMs)!, videoLost: lost };
}

/** Agora's own words on an agora-ended capture: its last segment's (the one whose end ended it). */
function agoraReason(s: CaptureState): { agoraReason?: string } {
  const why = s.endReason === 'agora-ended' ? currentSegment(s)?.agoraEnd?.why : undefined;
  return why === undefined ? {} : { agoraReason: why };
}

export function toStatus(
  s: CaptureState,
  ids: Ids,
  request: CaptureRequest | undefined,
  nowMs: number,
): CaptureStatus {
  return {
    workflowId: s.workflowId,
    channel: ids.channel,
    recorderUid: ids.recorderUid,
    phase: s.phase,
    resourceId: s.resourceId,
    sid: s.sid,
    startedAt: iso(s.startedAtMs),
    deadline: iso(request && !s.endReason ? durationDeadlineMs(s, request, nowMs) : s.deadlineMs),
    endedAt: iso(s.endedAtMs),
    endReason: s.endReason,
    stopReason: s.stopRequested,
    ...agoraReason(s),
    stopOutcome: s.stopOutcome,
    uploadingStatus: s.uploadingStatus,
    agoraStatus: s.agoraStatus,
    lastError: s.lastError,
    segments: s.segments.map((g) => ({
      index: g.index,
      resourceId: g.resourceId,
      sid: g.sid,
      uid: g.uid,
      startedAt: iso(g.startedAtMs)!,
      endedAt: iso(g.endedAtMs),
      endedBy: g.endedBy,
      ...(g.agoraEnd ? { agoraEnd: g.agoraEnd.why } : {}),
      failovers: g.failovers,
    })),
    streams: Object.fromEntries(
      Object.entries(s.streams).map(([uid, st]) => [
        uid,
        { video: st.receiving ? 'receiving' : 'stopped', since: iso(st.sinceMs)! },
      ]),
    ),
    pauses: pauses(s, nowMs),
    screenshots: screenshots(s),
    failovers: s.failovers.map((f) => ({ at: iso(f.atMs)!, sid: f.sid, newUid: f.newUid })),
    events: { ...s.counters },
    runs: s.runs,
    openSessions: s.sessions.map(sessionKey),
    stopFailingSince: iso(s.stopFailingSinceMs),
    operatorPaused: s.operatorPaused,
    ...(s.endReason === undefined && pauseState(s) ? { pause: pauseState(s) } : {}),
    ...(s.manifest ? { manifest: s.manifest } : {}),
    ...rolloverFailure(s),
    ...recordingView(s),
  };
}

export function toResult(s: CaptureState, ids: Ids, nowMs: number): CaptureResult {
  const endedAtMs = s.endedAtMs ?? nowMs;
  return {
    workflowId: s.workflowId,
    channel: ids.channel,
    recorderUid: ids.recorderUid,
    reason: s.endReason ?? 'failed',
    stopReason: s.stopRequested,
    ...agoraReason(s),
    sid: s.sid,
    resourceId: s.resourceId,
    startedAt: iso(s.startedAtMs),
    endedAt: new Date(endedAtMs).toISOString(),
    capturedSeconds:
      s.startedAtMs === undefined ? 0 : Math.max(0, Math.round((endedAtMs - s.startedAtMs) / 1000)),
    stopOutcome: s.stopOutcome ?? 'not-started',
    uploadingStatus: s.uploadingStatus,
    segments: s.segments.length,
    ...rolloverFailure(s),
    screenshots: screenshots(s),
    pauses: pauses(s, endedAtMs),
    failovers: s.failovers.length,
    ...(s.manifest ? { manifest: s.manifest } : {}),
    ...recordingView(s),
  };
}

function rolloverFailure(s: CaptureState): { rolloverFailure?: RolloverFailureStatus } {
  const f = s.rolloverFailed;
  return f ? { rolloverFailure: { at: iso(f.atMs)!, segment: f.segment, error: f.error } } : {};
}

/** One line for the Temporal UI's "current details" (markdown). */
export function describe(s: CaptureState, request: CaptureRequest, nowMs: number): string {
  const channel = request.channel;
  const parts = [`**${s.phase}** · channel \`${channel}\``];
  if (s.sid) parts.push(`sid \`${s.sid}\``);
  const rec = recordingDetail(s);
  if (rec) parts.push(rec);
  if (s.segments.length > 1) parts.push(`segment ${s.segments.length}`);
  const shots = Object.values(s.screenshots).reduce((n, t) => n + t.count, 0);
  if (shots) parts.push(`${shots} screenshots`);
  const deadline = durationDeadlineMs(s, request, nowMs);
  if (!s.endReason)
    parts.push(
      deadline === undefined ? 'clock stopped while paused' : `ends ${new Date(deadline).toISOString()}`,
    );
  if (s.endReason) parts.push(`ended: ${s.endReason}${s.stopOutcome ? ` (stop: ${s.stopOutcome})` : ''}`);
  if (s.stopFailingSinceMs !== undefined) parts.push(`stop failing since ${iso(s.stopFailingSinceMs)}`);
  if (s.lastError) parts.push(`last error: ${s.lastError.type}`);
  return parts.join(' · ');
}
