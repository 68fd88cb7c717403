/** The capture's state. Carried whole into the next run on continue-as-new, so every part is bounded. */
import type { CaptureEvent } from './messages';
import type { EndReason, LastError, Phase, StopOutcome } from '../status';
import type { OrderState } from './event-order';

export interface Segment {
  index: number;
  resourceId: string;
  sid?: string;
  uid: string;
  startedAtMs: number;
  endedAtMs?: number;
  endedBy?: 'stop' | 'agora' | 'operator-pause';
  failovers: number;
}

export interface Stream {
  receiving: boolean;
  /** Event time of the last change applied (later events win, whatever their arrival order). */
  sinceMs: number;
}

export interface Tally {
  count: number;
  firstMs: number;
  lastMs: number;
}

export interface CaptureState {
  workflowId: string;
  phase: Phase;
  resourceId?: string;
  sid?: string;
  /** resourceIds whose start may have created a session we hold no sid for. */
  unsettledStarts: string[];
  segments: Segment[];
  startedAtMs?: number;
  deadlineMs?: number;
  lastHealthCheckMs?: number;
  missingSinceMs?: number;
  /** Agora ended the current session itself: nothing left to stop. */
  sessionGone: boolean;
  agoraStatus?: number;
  /** A fatal Agora error callback asks for an immediate health check. */
  healthCheckDue: boolean;
  stopRequested?: string;
  /** Operator intent (signals) and what the loop has carried out. */
  operatorPauseWanted: boolean;
  operatorPaused: boolean;
  operatorPausedSinceMs?: number;
  operatorPausedMs: number;
  streams: Record<string, Stream>;
  /** Event time at which the last subscribed video went away; undefined while some video arrives. */
  videoLostSinceMs?: number;
  /** Workflow time of the same moment (policy timers run on workflow time). */
  videoLostSinceWfMs?: number;
  videoLostMs: number;
  pauseCount: number;
  screenshots: Record<string, Tally>;
  failovers: { atMs: number; sid: string; newUid: string }[];
  /** Unprocessed callbacks, in arrival order (handlers only append here). */
  inbox: CaptureEvent[];
  order: OrderState;
  counters: { applied: number; duplicates: number; late: number; lost: number; otherSid: number };
  endReason?: EndReason;
  endedAtMs?: number;
  stopOutcome?: StopOutcome;
  uploadingStatus?: string;
  lastError?: LastError;
  runs: number;
}

export function initialState(workflowId: string): CaptureState {
  return {
    workflowId,
    phase: 'ACQUIRING',
    unsettledStarts: [],
    segments: [],
    sessionGone: false,
    healthCheckDue: false,
    operatorPauseWanted: false,
    operatorPaused: false,
    operatorPausedMs: 0,
    streams: {},
    videoLostMs: 0,
    pauseCount: 0,
    screenshots: {},
    failovers: [],
    inbox: [],
    order: { streams: {}, recentNoticeIds: [], recentFiles: [] },
    counters: { applied: 0, duplicates: 0, late: 0, lost: 0, otherSid: 0 },
    runs: 1,
  };
}

export function currentSegment(s: CaptureState): Segment | undefined {
  return s.segments.at(-1);
}

/** A session may be running at Agora: started, not ended by us or by Agora. */
export function sessionActive(s: CaptureState): boolean {
  const seg = currentSegment(s);
  return !!seg && seg.endedAtMs === undefined && !s.sessionGone;
}

/** PAUSED: released by an operator, or every stream Agora reported on has no video. */
export function isPaused(s: CaptureState): boolean {
  return s.operatorPaused || s.videoLostSinceMs !== undefined;
}
