/** The capture's state and the pure functions that read it. Deterministic code only. */
import type { CaptureRequest } from './request';
import type { CaptureResult, CaptureStatus, EndReason, LastError, Phase, StopOutcome } from './status';

/** Everything a run knows; carried whole into the next run on continue-as-new. */
export interface CaptureState {
  workflowId: string;
  phase: Phase;
  resourceId?: string;
  sid?: string;
  /** resourceIds whose start may have created a session we hold no sid for. */
  unsettledStarts: string[];
  startedAtMs?: number;
  deadlineMs?: number;
  lastHealthCheckMs?: number;
  /** First time `query` answered 404 in a row; Agora's failover window runs from here. */
  missingSinceMs?: number;
  /** Agora ended the session itself: nothing left to stop. */
  sessionGone: boolean;
  agoraStatus?: number;
  stopRequested?: string;
  endReason?: EndReason;
  endedAtMs?: number;
  stopOutcome?: StopOutcome;
  uploadingStatus?: string;
  lastError?: LastError;
  runs: number;
}

export function initialState(workflowId: string): CaptureState {
  return { workflowId, phase: 'ACQUIRING', unsettledStarts: [], sessionGone: false, runs: 1 };
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function toStatus(s: CaptureState, request: Pick<CaptureRequest, 'channel' | 'recorderUid'>): CaptureStatus {
  return {
    workflowId: s.workflowId,
    channel: request.channel,
    recorderUid: request.recorderUid,
    phase: s.phase,
    resourceId: s.resourceId,
    sid: s.sid,
    startedAt: iso(s.startedAtMs),
    deadline: iso(s.deadlineMs),
    endedAt: iso(s.endedAtMs),
    endReason: s.endReason,
    stopReason: s.stopRequested,
    stopOutcome: s.stopOutcome,
    uploadingStatus: s.uploadingStatus,
    agoraStatus: s.agoraStatus,
    lastError: s.lastError,
    runs: s.runs,
  };
}

export function toResult(s: CaptureState, request: Pick<CaptureRequest, 'channel' | 'recorderUid'>, nowMs: number): CaptureResult {
  const endedAtMs = s.endedAtMs ?? nowMs;
  return {
    workflowId: s.workflowId,
    channel: request.channel,
    recorderUid: request.recorderUid,
    reason: s.endReason ?? 'failed',
    stopReason: s.stopRequested,
    sid: s.sid,
    resourceId: s.resourceId,
    startedAt: iso(s.startedAtMs),
    endedAt: new Date(endedAtMs).toISOString(),
    capturedSeconds: s.startedAtMs === undefined ? 0 : Math.max(0, Math.round((endedAtMs - s.startedAtMs) / 1000)),
    stopOutcome: s.stopOutcome ?? 'not-started',
    uploadingStatus: s.uploadingStatus,
  };
}

/** One line for the Temporal UI's "current details". */
export function describe(s: CaptureState, channel: string): string {
  const parts = [`**${s.phase}** · channel \`${channel}\``];
  if (s.sid) parts.push(`sid \`${s.sid}\``);
  if (s.deadlineMs !== undefined && !s.endReason) parts.push(`ends ${new Date(s.deadlineMs).toISOString()}`);
  if (s.endReason) parts.push(`ended: ${s.endReason}${s.stopOutcome ? ` (stop: ${s.stopOutcome})` : ''}`);
  if (s.lastError) parts.push(`last error: ${s.lastError.type}`);
  return parts.join(' · ');
}
