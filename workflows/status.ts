/** What a capture reports about itself: phases, status (query) and result. Pure types. */

/** Lifecycle: ACQUIRING → STARTING → CAPTURING ⇄ PAUSED → STOPPING → STOPPED, or FAILED. */
export type Phase = 'ACQUIRING' | 'STARTING' | 'CAPTURING' | 'PAUSED' | 'STOPPING' | 'STOPPED' | 'FAILED';

/** Why a capture ended. */
export type EndReason = 'duration' | 'stopped' | 'cancelled' | 'agora-ended' | 'failed';

/** What the final stop call found: a session we stopped, one Agora had already ended, or none. */
export type StopOutcome = 'stopped' | 'already-stopped' | 'no-recorded-data' | 'not-started' | 'failed';

export interface LastError {
  type: string;
  message: string;
  at: string;
}

/** Returned by the `status` query, live or after the capture ended. Holds no secret. */
export interface CaptureStatus {
  workflowId: string;
  channel: string;
  recorderUid: string;
  phase: Phase;
  resourceId?: string;
  sid?: string;
  /** ISO time Agora's session started (first successful start). */
  startedAt?: string;
  /** ISO time the capture is due to end. */
  deadline?: string;
  endedAt?: string;
  endReason?: EndReason;
  stopReason?: string;
  stopOutcome?: StopOutcome;
  uploadingStatus?: string;
  /** Agora's last `query` status code (4/5 = running; 8/20 = exited). */
  agoraStatus?: number;
  lastError?: LastError;
  /** Runs of this capture so far (continue-as-new keeps history bounded). */
  runs: number;
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
  /** Seconds between Agora's start and the end of the capture. */
  capturedSeconds: number;
  stopOutcome: StopOutcome;
  uploadingStatus?: string;
}
