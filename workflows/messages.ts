/**
 * The capture's messages. Operators send them from the Temporal UI or
 * `temporal workflow signal|query|update`; every argument is one JSON object. Operator
 * commands are updates (pause, resume, stopCapture): a validator rejects what cannot apply,
 * naming the capture's state, and the caller learns the outcome. Agora's facts come only
 * through the `agoraEvent` signal.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaptureRequest } from './request';
import type { CaptureResult, CaptureStatus, LastError, Phase } from './status';

export interface StopArgs {
  /** Free text recorded as the stop reason (shown in status and result). */
  reason?: string;
}

/** Ask the capture to stop now; the Agora session is stopped and the run completes. */
export const stopSignal = defineSignal<[StopArgs?]>('stop');

/** Stop now and return the final result once Agora's session is stopped. */
export const stopUpdate = defineUpdate<CaptureResult, [StopArgs]>('stopCapture');

export interface PauseArgs {
  /** Free text, logged and kept in history. */
  reason?: string;
}

/**
 * Operator pause: release the Agora session (stop) until resume. Rejected unless the capture
 * is CAPTURING or paused for lost video. Returns the status once the session is released.
 */
export const pauseUpdate = defineUpdate<CaptureStatus, [PauseArgs]>('pause');

/**
 * Operator resume: start a new Agora session (segment). Rejected unless the capture is
 * operator-paused. Returns the status once the new session runs (or the capture ended).
 */
export const resumeUpdate = defineUpdate<CaptureStatus, [PauseArgs]>('resume');

export interface AwaitStartArgs {
  /** The validated request of the caller: a running capture with another one rejects (CaptureConflict). */
  request: CaptureRequest;
  /** How long to wait for Agora's start to answer before returning the phase the capture is in. */
  waitSeconds: number;
  /** The caller's token, also set as the start's memo `startToken`: equal means this call started the run. */
  startToken: string;
  /**
   * The caller bounds the wait itself (client/api.ts, since this field exists): the handler then
   * waits for the start to settle with no timer of its own — no timer events in the capture's
   * history and a lighter first workflow task. Absent (older callers, `temporal workflow update`),
   * the handler returns after `waitSeconds` by a workflow timer, as it always did.
   */
  callerBoundsWait?: boolean;
}

/** What the caller of a synchronous start learns (client/api.ts `startCapture`). */
export interface StartOutcome {
  phase: Phase;
  /** The session's sid once Agora's start answered; absent while the start is still retrying. */
  sid?: string;
  resourceId?: string;
  /** True when this call's start created the run; false when it joined a running capture. */
  started: boolean;
  /** Why the capture is waiting (QUEUED: Agora's quota), when known. */
  lastError?: LastError;
}

/**
 * Sent with the start (update-with-start): answers once Agora's start has (CAPTURING or PAUSED
 * with a sid), fails with the capture's classified failure (ApplicationFailure, its type the
 * failure's: WorkerConfigError, AgoraUnauthorized, …), or returns the phase after `waitSeconds`.
 * Its validator rejects a request that differs from the running capture's (CaptureConflict).
 */
export const awaitStartUpdate = defineUpdate<StartOutcome, [AwaitStartArgs]>('awaitStart');

/** The validated request the capture runs (defaults filled in): how a second start is compared. */
export const requestQuery = defineQuery<CaptureRequest | undefined>('request');

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

/** Events the receiver forwards as `agoraEvent`. */
export const FORWARDED_EVENT_TYPES = [1, 2, 11, 12, 40, 41, 44, 45] as const;

/**
 * Agora callbacks (errors, warnings, session exit, failover, recorder state, video state,
 * screenshot files), in arrival order. The receiver sends several at once when
 * callbacks for one capture arrive faster than one signal round trip (group commit): fewer
 * signals keep a busy capture's history, and its 10,000-signals-per-run limit, in check.
 */
export interface AgoraEventsArgs {
  events: CaptureEvent[];
}
export const agoraEventSignal = defineSignal<[AgoraEventsArgs]>('agoraEvent');

export const messageDescriptions = {
  awaitStart:
    'Sent with the start by startCapture: waits (bounded) for Agora to answer the start and returns the sid, or the failure.',
  agoraEvent:
    'Agora notifications forwarded by the receiver (not for operators): events that are not in its shape are dropped and counted (status events.malformed).',
  pause:
    'Operator pause (update): releases the Agora session (stop) until resume. Input: {"reason": "..."} (optional).',
  resume: 'Operator resume (update): starts a new Agora session (segment). Input: {} .',
  request: 'The validated capture request this capture runs (no secrets).',
  stop: 'Stop the capture now. Input: {"reason": "..."} (optional).',
  stopCapture: 'Stop the capture and wait for the final result. Input: {"reason": "..."} (optional).',
  status: 'Live status: phase, resourceId/sid, deadline, last error.',
} as const;
