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
 * The capture failed before Agora started a session (synchronous start): an unknown storage
 * profile, an Agora 4xx such as 401 (credentials) or code 2 (invalid parameter), … `failureType`
 * is the classified type (WorkerConfigError, AgoraUnauthorized, …), `reason` its message
 * (never a secret). The capture's compensation already ran: nothing is left billing.
 */
export class CaptureStartFailedError extends Error {
  override name = 'CaptureStartFailedError';
  constructor(
    readonly workflowId: string,
    readonly runId: string | undefined,
    readonly failureType: string,
    readonly reason: string,
  ) {
    super(`capture ${workflowId} failed to start: ${failureType}: ${reason}`);
  }
}
