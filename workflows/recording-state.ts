/**
 * The recording session's own progress (issue 13), kept beside the screenshot segments rather
 * than in them: `currentSegment(s)` is the screenshot session everywhere. The session's
 * billing bookkeeping is the shared open-session list (`s.sessions`, kind 'recording'), so
 * every path that stops sessions (compensation, sweeper) stops it too. Pure types.
 */

/** Which Agora session an open session is. Absent in state carried from before issue 13: screenshots. */
export type SessionKind = 'screenshots' | 'recording';

/** One recorded file as Agora's stop lists it (serverResponse.fileList, individual mode). */
export interface RecordingFile {
  fileName: string;
  trackType?: string;
  uid?: string;
  isPlayable?: boolean;
  sliceStartTime?: number;
}

export interface RecordingProgress {
  recorderUid: string;
  resourceId?: string;
  sid?: string;
  startedAtMs?: number;
  endedAtMs?: number;
  /** stop: we stopped it; agora: Agora ended it (exit, leave, idle). */
  endedBy?: 'stop' | 'agora';
  /** Its end is known only from Agora's callback (11/41), not from a REST answer: confirm-end.ts. */
  endHeardFromCallback?: true;
  failovers: number;
  /** From stop's answer. */
  uploadingStatus?: string;
  fileList?: RecordingFile[];
  /** The stop's outcome for this session (the capture's stopOutcome covers all sessions). */
  stopOutcome?: string;
}
