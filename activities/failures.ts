/**
 * Turns errors from the Agora edge into Temporal failures. The Agora client classified the
 * error once; here its `type` becomes the ApplicationFailure type that the workflow's retry
 * policies read (`nonRetryableErrorTypes`). Details carry Agora's code, reason and
 * x-request-id for support — never a request body, so no credential reaches history.
 */
import { ApplicationFailure } from '@temporalio/common';
import { isAgoraError } from '../agora';

export interface AgoraFailureDetails {
  endpoint: string;
  httpStatus?: number;
  code?: number;
  reason?: string;
  requestId?: string;
  outcomeUnknown: boolean;
  sid?: string;
}

/** Rethrow-ready failure for anything an activity caught while calling Agora. */
export function toFailure(err: unknown): ApplicationFailure {
  if (isAgoraError(err)) {
    const details: AgoraFailureDetails = {
      endpoint: err.endpoint,
      httpStatus: err.httpStatus,
      code: err.code,
      reason: err.reason,
      requestId: err.requestId,
      outcomeUnknown: err.outcomeUnknown,
      sid: err.sid,
    };
    return ApplicationFailure.create({
      type: err.type,
      message: err.message,
      details: [details],
      nextRetryDelay: err.retryAfterMs,
    });
  }
  if (err instanceof ApplicationFailure) return err;
  const message = err instanceof Error ? err.message : String(err);
  return ApplicationFailure.create({ type: 'UnexpectedActivityError', message });
}

/** A problem in the worker's own configuration (storage profile, credentials): retrying won't help. */
export function configFailure(message: string, type = 'WorkerConfigError'): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type);
}
