/**
 * The capture's messages. Operators send them from the Temporal UI or
 * `temporal workflow signal|query|update`; every argument is one JSON object.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaptureResult, CaptureStatus } from '../status';

export interface StopArgs {
  /** Free text recorded as the stop reason (shown in status and result). */
  reason?: string;
}

/** Ask the capture to stop now; the Agora session is stopped and the run completes. */
export const stopSignal = defineSignal<[StopArgs?]>('stop');

/** Stop now and return the final result once Agora's session is stopped. */
export const stopUpdate = defineUpdate<CaptureResult, [StopArgs]>('stopCapture');

/** The capture's live status: phase, Agora ids, deadline, last error. */
export const statusQuery = defineQuery<CaptureStatus>('status');

/**
 * One Agora notification (NCS callback) as the receiver forwards it: the envelope's ids and
 * only the detail fields the capture reads, so nothing Agora adds later lands in history.
 */
export interface CaptureEvent {
  noticeId: string;
  eventType: number;
  cname: string;
  /** Bot uid in the payload: the new uid after a failover. */
  uid: string;
  sid: string;
  /** Per-session counter from 0 (absent in some test events). */
  sequence?: number;
  /** When the event happened, UTC ms (details.UtcMs for event 44, else payload.sendts). */
  eventMs: number;
  details: {
    streamUid?: string;
    state?: number;
    fileName?: string;
    /** Event 45's file key parsed by the receiver: whose screenshot, taken when, after which failover. */
    screenshot?: { uid: string; capturedAtMs: number; failoverIndex?: number };
    newUid?: string;
    exitStatus?: number;
    leaveCode?: number;
    errorCode?: number;
    errorLevel?: number;
    module?: number;
    warnCode?: number;
    errorMsg?: string;
  };
}

/** Events the receiver forwards as `agoraEvent` (44 goes as pause/resume). */
export const FORWARDED_EVENT_TYPES = [1, 2, 11, 12, 40, 41, 45] as const;

/**
 * Agora callbacks other than event 44 (errors, warnings, session exit, failover, recorder
 * state, screenshot files), in arrival order. The receiver sends several at once when
 * callbacks for one capture arrive faster than one signal round trip (group commit): fewer
 * signals keep a busy capture's history, and its 10,000-signals-per-run limit, in check.
 */
export interface AgoraEventsArgs {
  events: CaptureEvent[];
}
export const agoraEventSignal = defineSignal<[AgoraEventsArgs]>('agoraEvent');

/**
 * Pause / resume. From Agora (event 44, `event` set): one subscribed stream's video stopped or
 * came back. From an operator (no `event`): release the Agora session now / start a new segment.
 */
export interface PauseArgs {
  /** The stream whose video changed (event 44 `streamUid`). */
  streamUid?: string;
  event?: CaptureEvent;
  reason?: string;
}
export const pauseSignal = defineSignal<[PauseArgs?]>('pause');
export const resumeSignal = defineSignal<[PauseArgs?]>('resume');

export const messageDescriptions = {
  agoraEvent: 'An Agora notification forwarded by the receiver (not for operators).',
  pause:
    'Operator pause: releases the Agora session (stop) until resume. Input: {"reason": "..."} (optional).',
  resume: 'Operator resume: starts a new Agora session (segment). Input: {} .',
  stop: 'Stop the capture now. Input: {"reason": "..."} (optional).',
  stopCapture: 'Stop the capture and wait for the final result. Input: {"reason": "..."} (optional).',
  status: 'Live status: phase, resourceId/sid, deadline, last error.',
} as const;
