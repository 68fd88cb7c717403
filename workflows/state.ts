/** The capture's state. Carried whole into the next run on continue-as-new, so every part is bounded. */
import type { CaptureEvent } from './messages';
import type { EndReason, EventCounters, LastError, ManifestResult, Phase, StopOutcome } from './status';
import type { OrderState } from './event-order';
import type { PauseLog } from './manifest-record';
import type { RecordingProgress, SessionKind } from './recording-state';
import { uidRecord } from './uid-record';

export interface Segment {
  index: number;
  resourceId: string;
  sid?: string;
  uid: string;
  startedAtMs: number;
  endedAtMs?: number;
  /** `rollover`: stopped once the next segment was capturing (rollover.ts). */
  endedBy?: 'stop' | 'agora' | 'operator-pause' | 'rollover';
  failovers: number;
  /** The recorder uid this segment's bot started with (`uid` follows failovers). Unset: recorderUid. */
  botUid?: string;
  /**
   * With an App Certificate: workflow time by which the bot's RTC token has expired for sure
   * (start scheduled + the lifetime the start activity reports). Agora cannot renew it.
   */
  tokenValidUntilMs?: number;
  /**
   * The workflow learned of this session's start late (a retried start answered 201/7 after
   * the first attempt's answer was lost, or a worker crash delayed the workflow task that
   * received Agora's answer): `startedAtMs` is then Agora's time, not the time the workflow
   * heard (session.ts backdateStart), and the capture's deadline counts from it.
   */
  startLearnedLate?: true;
  /** Its end is known only from Agora's callback (11/41), not from a REST answer: confirm-end.ts. */
  endHeardFromCallback?: true;
  /** Why Agora ended this session, the most telling evidence seen (agora-end.ts). */
  agoraEnd?: { why: string; rank: number };
}

/** A rollover whose new segment could not start (rollover.ts): the old one ran on to its end. */
export interface RolloverFailure {
  atMs: number;
  /** The segment that kept running. */
  segment: number;
  error: string;
  /** The loop checked the session once its token had expired. */
  expiryChecked?: boolean;
}

/**
 * A session that may bill at Agora: from the moment its start is scheduled until its stop
 * settled or Agora ended it. Published as the CaptureOpenSessions search attribute, so a run
 * that ends without compensation (terminate, reset) leaves it listed for the sweeper.
 */
export interface OpenSession {
  resourceId: string;
  /** Unknown while the start's outcome is unknown or its sid not yet learned. */
  sid?: string;
  /** Workflow time the start was scheduled: a callback older than this is not this session's. */
  startAttemptMs: number;
  /** After this Agora can no longer bill it (the resource's resourceExpiredHour). */
  billableUntilMs: number;
  /** First time Agora answered 404 for it (query or stop): the failover window runs from here. */
  missingSinceMs?: number;
  /** The recorder uid it was started with, when not the request's recorderUid (rollover.ts). */
  uid?: string;
  /** The screenshot session (absent: state from before issue 13) or the recording session. */
  kind?: SessionKind;
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
  /** Sessions that may bill (see OpenSession); the compensation stops every one. */
  sessions: OpenSession[];
  /** The customer's webhook was told capture.paused and not yet capture.resumed. */
  pauseAnnounced?: boolean;
  /** Workflow time stop began to fail for a session that may still bill (alerting). */
  stopFailingSinceMs?: number;
  segments: Segment[];
  /** The recording session beside the screenshots, when the request asks for one (recording.ts). */
  recording?: RecordingProgress;
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
  /** Operator intent (updates) and what the loop has carried out. */
  operatorPauseWanted: boolean;
  operatorPaused: boolean;
  operatorPausedSinceMs?: number;
  /** The reason the operator gave with the pause (shown in status while paused). */
  operatorPauseReason?: string;
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
  /** Stretches without video, for the manifest's coverage (manifest-record.ts); bounded. */
  pauseLog?: PauseLog;
  /** The latest reconciled manifest's summary (manifest.ts); never its key list. */
  manifest?: ManifestResult;
  /** Unprocessed callbacks, in arrival order (handlers only append here). */
  inbox: CaptureEvent[];
  order: OrderState;
  counters: EventCounters;
  endReason?: EndReason;
  endedAtMs?: number;
  stopOutcome?: StopOutcome;
  uploadingStatus?: string;
  lastError?: LastError;
  /** Set when a rollover's new segment failed to start: no further rollover is tried. */
  rolloverFailed?: RolloverFailure;
  runs: number;
}

export function initialState(workflowId: string): CaptureState {
  return {
    workflowId,
    phase: 'ACQUIRING',
    sessions: [],
    segments: [],
    sessionGone: false,
    healthCheckDue: false,
    operatorPauseWanted: false,
    operatorPaused: false,
    operatorPausedMs: 0,
    streams: uidRecord(),
    videoLostMs: 0,
    pauseCount: 0,
    screenshots: uidRecord(),
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

/** The current segment's session runs (as far as the loop knows): started, not ended by us or by Agora. */
export function sessionActive(s: CaptureState): boolean {
  const seg = currentSegment(s);
  return !!seg && seg.endedAtMs === undefined && !s.sessionGone;
}

/** PAUSED: released by an operator, or every stream Agora reported on has no video. */
export function isPaused(s: CaptureState): boolean {
  return s.operatorPaused || s.videoLostSinceMs !== undefined;
}
