/** Errors the client API raises before anything reaches Temporal or Agora. */
import type { RequestIssue } from '../workflows/request';
import { describeIssues } from '../workflows/request';

/** The capture request broke one or more rules; `issues` names each field and rule. */
export class InvalidCaptureRequestError extends Error {
  override name = 'InvalidCaptureRequestError';
  constructor(readonly issues: RequestIssue[]) {
    super(`invalid capture request: ${describeIssues(issues)}`);
  }
}

/**
 * A capture with this channel and recorder uid is already running with other settings:
 * nothing was started or changed. `fields` names each differing field (dotted path).
 */
export class CaptureConflictError extends Error {
  override name = 'CaptureConflictError';
  constructor(
    readonly workflowId: string,
    readonly fields: string[],
  ) {
    super(
      `capture ${workflowId} is already running with different settings (${fields.join(', ')}); stop it first or start it with the same request`,
    );
  }
}

/**
 * The capture ended before Agora's start answered with a session (synchronous start): it failed
 * (an unknown storage profile, an Agora 4xx such as 401 or code 2, … `failureType` the
 * classified type: WorkerConfigError, AgoraUnauthorized, …), or it was cancelled, terminated
 * or timed out while the call waited (`CaptureCancelled`, `CaptureTerminated`, …). `reason` is
 * the message (never a secret). `session` says what the capture knows of its Agora session when
 * the error was raised (e.g. "ended FAILED; no Agora session was started", "still ending: it
 * stops any Agora session it started …"), or is undefined when that could not be read.
 */
export class CaptureStartFailedError extends Error {
  override name = 'CaptureStartFailedError';
  constructor(
    readonly workflowId: string,
    readonly runId: string | undefined,
    readonly failureType: string,
    readonly reason: string,
    readonly session?: string,
  ) {
    super(`capture ${workflowId} failed to start: ${failureType}: ${reason}`);
  }
}

/**
 * The namespace lacks what `agora-capture setup` creates (search attributes the capture sets,
 * the sweep schedule): nothing was started. Run `agora-capture setup` against it.
 */
export class NamespaceNotPreparedError extends Error {
  override name = 'NamespaceNotPreparedError';
  constructor(
    readonly namespace: string,
    /** What is missing, e.g. "search attributes CaptureChannel, CapturePhase; sweep schedule …". */
    readonly missing: string,
  ) {
    super(
      `namespace ${namespace} is not prepared for agora-capture (missing ${missing}): run "agora-capture setup"`,
    );
  }
}
