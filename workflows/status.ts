/** What a capture reports about itself: phases, status (query) and result. Pure types. */

/**
 * Lifecycle (workflows/machine.ts `transition` is the only place that changes it):
 * [QUEUED ⇄] ACQUIRING → STARTING → CAPTURING ⇄ PAUSED → STOPPING → STOPPED, or FAILED.
 * QUEUED: Agora's concurrent-task quota is full (406); acquire is retried until a slot frees.
 * A resumed segment goes PAUSED → ACQUIRING → STARTING → CAPTURING.
 */
export type Phase =
  'QUEUED' | 'ACQUIRING' | 'STARTING' | 'CAPTURING' | 'PAUSED' | 'STOPPING' | 'STOPPED' | 'FAILED';

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
  /** stop: we stopped it; agora: Agora ended it (exit, leave, idle); operator-pause: released on pause. */
  endedBy?: 'stop' | 'agora' | 'operator-pause';
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
  /** The recording session, when the request records too. */
  recording?: RecordingStatus;
}

/** The workflow's return value when a capture ends without failing or being cancelled. */
export interface CaptureResult {
  workflowId: string;
  channel: string;
  recorderUid: string;
  reason: EndReason;
  stopReason?: string;
  sid?: string;
  resourceId?: string;
  startedAt?: string;
  endedAt: string;
  /** Seconds between Agora's first start and the end of the capture. */
  capturedSeconds: number;
  stopOutcome: StopOutcome;
  uploadingStatus?: string;
  segments: number;
  screenshots: Record<string, ScreenshotTally>;
  pauses: PauseTotals;
  failovers: number;
  /** The recording session and its files, when the request records too. */
  recording?: RecordingStatus;
}
