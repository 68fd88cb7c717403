/** What a capture reports about itself: phases, status (query) and result. Pure types. */

/**
 * Lifecycle (workflows/machine.ts `transition` is the only place that changes it):
 * [QUEUED ⇄] ACQUIRING → STARTING → CAPTURING ⇄ PAUSED → STOPPING → STOPPED, or FAILED.
 * QUEUED: Agora's concurrent-task quota is full (406); acquire is retried until a slot frees.
 * A resumed segment goes PAUSED → ACQUIRING → STARTING → CAPTURING.
 */
export const PHASES = [
  'QUEUED',
  'ACQUIRING',
  'STARTING',
  'CAPTURING',
  'PAUSED',
  'STOPPING',
  'STOPPED',
  'FAILED',
] as const;
export type Phase = (typeof PHASES)[number];

/** Why a capture ended. */
export type EndReason = 'duration' | 'stopped' | 'cancelled' | 'agora-ended' | 'video-lost' | 'failed';

/**
 * What the final stop found: a session we stopped, one Agora had already ended, none, a stop
 * that failed until the session could no longer bill, or `unknown`: a session may run whose sid
 * was never learned, so it could not be stopped (it stays in CaptureOpenSessions for the sweeper).
 */
export type StopOutcome =
  'stopped' | 'already-stopped' | 'no-recorded-data' | 'not-started' | 'failed' | 'unknown';

export interface LastError {
  type: string;
  message: string;
  at: string;
}

/** One Agora session of the capture: the first start, and one per operator resume. */
export interface SegmentStatus {
  index: number;
  resourceId: string;
  sid?: string;
  /** The bot's uid now (Agora gives it a new one on each failover). */
  uid: string;
  startedAt: string;
  endedAt?: string;
  /**
   * stop: we stopped it; agora: Agora ended it (exit, leave, idle); operator-pause: released on
   * pause; rollover: stopped once the next segment captured (its token was about to expire).
   */
  endedBy?: 'stop' | 'agora' | 'operator-pause' | 'rollover';
  /** What Agora said of this session's end (a fatal error, the bot's leave code, an exit), when it did. */
  agoraEnd?: string;
  failovers: number;
}

export interface StreamStatus {
  video: 'receiving' | 'stopped';
  /** Agora's time of the last change (event 44 UtcMs). */
  since: string;
}

export interface ScreenshotTally {
  count: number;
  first: string;
  last: string;
}

export interface PauseTotals {
  /** Event-time milliseconds during which no subscribed video was received. */
  videoLostMs: number;
  /** Milliseconds the capture spent operator-paused (session released). */
  operatorMs: number;
  count: number;
}

export interface EventCounters {
  applied: number;
  duplicates: number;
  /** Arrived after the gap they belonged to was given up on. */
  late: number;
  /** Sequence numbers never received (skipped after the gap timeout). */
  lost: number;
  /** Events of a sid that is not this capture's. */
  otherSid: number;
  /** Signalled events that were not Agora callbacks as the receiver forwards them (sent by hand), dropped. */
  malformed?: number;
}

/** Whose pause a PAUSED capture is in. */
export interface PauseState {
  /** operator: released by an operator until resume; video-lost: no subscribed video arrives. */
  by: 'operator' | 'video-lost';
  /** Since when (operator: workflow time of the release; video-lost: Agora's time the last video went). */
  since: string;
  /** The reason the operator gave, if any. */
  reason?: string;
  /** video-lost: each uid whose video Agora reported stopped, since when (Agora's time). */
  videoLost?: { uid: string; since: string }[];
}

/**
 * The reconciled manifest's summary (storage/manifest.ts ManifestSummary, plus how it came
 * about). Never the key list: that stays in manifest.json (history stays small).
 * - `written`: the prefix was listed and manifest.json written at `manifestKey`
 *   (source `listed+callbacks`);
 * - `callbacks-only`: the profile's vendor cannot be listed (only 1 and 11 speak S3); the
 *   record is the event-45 callbacks alone and `note` says why; nothing written;
 * - `unavailable`: the reconciliation failed (storage unreachable, refused, …); `note` says
 *   why; the per-uid figures are the callbacks only.
 */
export interface ManifestResult {
  status: 'written' | 'callbacks-only' | 'unavailable';
  source: 'listed+callbacks' | 'callbacks-only';
  manifestKey?: string;
  note?: string;
  /** When it was reconciled, and after what: a segment's end or the capture's. */
  at: string;
  after: 'segment' | 'capture';
  /** Screenshots the interval and the unpaused time allow per uid (absent when unavailable). */
  expectedPerUid?: number;
  found?: number;
  callbacks: number;
  foundWithoutCallback?: number;
  uids: Record<string, { found?: number; callbacks: number; expected?: number; coverage?: number }>;
}

/** The recording session beside the screenshots (issue 13): its ids, how it ended, its files. */
export interface RecordingStatus {
  recorderUid: string;
  resourceId?: string;
  sid?: string;
  startedAt?: string;
  endedAt?: string;
  /** stop: we stopped it; agora: Agora ended it (the capture goes on unless recording.ifOneEnds says otherwise). */
  endedBy?: 'stop' | 'agora';
  failovers: number;
  stopOutcome?: string;
  uploadingStatus?: string;
  /** Agora stop's fileList: m3u8 (and mp4) names; absent until stopped. */
  files?: {
    fileName: string;
    trackType?: string;
    uid?: string;
    isPlayable?: boolean;
    sliceStartTime?: number;
  }[];
}

/** Returned by the `status` query, live or after the capture ended. Holds no secret. */
export interface CaptureStatus {
  workflowId: string;
  channel: string;
  recorderUid: string;
  phase: Phase;
  resourceId?: string;
  sid?: string;
  startedAt?: string;
  /** When the capture is due to end (moves while paused if paused time does not count). */
  deadline?: string;
  endedAt?: string;
  endReason?: EndReason;
  stopReason?: string;
  /** With endReason agora-ended: what Agora said of the end, when it said something (SegmentStatus.agoraEnd). */
  agoraReason?: string;
  stopOutcome?: StopOutcome;
  uploadingStatus?: string;
  /** Agora's last `query` status code (4/5 = running; 8/20 = exited). */
  agoraStatus?: number;
  lastError?: LastError;
  segments: SegmentStatus[];
  streams: Record<string, StreamStatus>;
  pauses: PauseTotals;
  screenshots: Record<string, ScreenshotTally>;
  failovers: { at: string; sid: string; newUid: string }[];
  events: EventCounters;
  /** Runs of this capture so far (continue-as-new keeps history bounded). */
  runs: number;
  /** Sessions that may still bill, as `resourceId:sid` (`resourceId:` while the sid is unknown). */
  openSessions?: string[];
  /** Since when stop keeps failing (Agora may still bill); lastError says why. */
  stopFailingSince?: string;
  /** Whether an operator pause is in effect (session released until resume). */
  operatorPaused?: boolean;
  /** While PAUSED: whose pause it is (operator with its reason, or which uids lost video since when). */
  pause?: PauseState;
  /** The latest reconciled manifest (after a segment ended, or the capture). */
  manifest?: ManifestResult;
  /** A rollover whose next segment failed to start: the old segment ran on to its token's end. */
  rolloverFailure?: RolloverFailureStatus;
  /** The recording session, when the request records too. */
  recording?: RecordingStatus;
}

export interface RolloverFailureStatus {
  at: string;
  /** Index of the segment that kept running. */
  segment: number;
  error: string;
}

/** The workflow's return value when a capture ends without failing or being cancelled. */
export interface CaptureResult {
  workflowId: string;
  channel: string;
  recorderUid: string;
  reason: EndReason;
  stopReason?: string;
  /** With reason agora-ended: what Agora said of the end, when it said something. */
  agoraReason?: string;
  sid?: string;
  resourceId?: string;
  startedAt?: string;
  endedAt: string;
  /** Seconds between Agora's first start and the end of the capture. */
  capturedSeconds: number;
  stopOutcome: StopOutcome;
  uploadingStatus?: string;
  segments: number;
  /** See CaptureStatus.rolloverFailure. */
  rolloverFailure?: RolloverFailureStatus;
  screenshots: Record<string, ScreenshotTally>;
  pauses: PauseTotals;
  failovers: number;
  /** The manifest reconciled after the stop (absent for captures from before it existed). */
  manifest?: ManifestResult;
  /** The recording session and its files, when the request records too. */
  recording?: RecordingStatus;
}
