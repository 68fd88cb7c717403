/**
 * What a start activity's earlier attempts may have done, carried from attempt to attempt in
 * the activity's heartbeat details. Temporal gives the workflow only the last attempt's
 * failure. Say attempt 1's request reached Agora and its answer was lost (a timeout, a reset
 * connection), and the last attempt then failed with a definite refusal (429, a 401 after a
 * secret rotation, a worker's configuration error). That last failure alone would read as
 * "nothing started", and the workflow and the sweeper would drop a session that bills. So
 * every attempt records, before it sends its request, that a start may have reached Agora.
 * When it fails, it records whether one still may have: this attempt's outcome was unknown, or
 * an earlier one's was. A later attempt's failure then says "outcome unknown" whenever an
 * earlier attempt may have started a session, and the workflow keeps the resourceId to
 * resolve (repeat the start to learn the sid, then stop it).
 *
 * A worker that dies mid-request records nothing more: its "may have started" stands, as it
 * should. The SDK sends the last heartbeat's details with the attempt's failure, so the next
 * attempt reads the final word of the one before.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { outcomeUnknown } from '../workflows/failure-type';
import type { AgoraFailureDetails } from './failures';

interface AttemptsRecord {
  /** A start request of this activity, in this or an earlier attempt, may have created a session. */
  mayHaveStarted: boolean;
}

/** Whether an earlier attempt of this activity may have started a session. */
export function earlierAttemptMayHaveStarted(): boolean {
  const details = Context.current().info.heartbeatDetails as Partial<AttemptsRecord> | undefined;
  return details?.mayHaveStarted === true;
}

/** Records, for the next attempt, whether a start may have reached Agora so far. */
export function recordMayHaveStarted(mayHaveStarted: boolean): void {
  Context.current().heartbeat({ mayHaveStarted } satisfies AttemptsRecord);
}

/**
 * `failure` as the workflow must read it when an earlier attempt may have started a session:
 * its type, message and retry behaviour unchanged, its outcome unknown.
 */
export function asOutcomeUnknown(failure: ApplicationFailure): ApplicationFailure {
  if (outcomeUnknown(failure)) return failure;
  const details = failure.details?.[0] as AgoraFailureDetails | undefined;
  return ApplicationFailure.create({
    type: failure.type ?? undefined,
    message: `${failure.message} (an earlier attempt's start may have reached Agora: outcome unknown)`,
    details: [{ ...(details ?? { endpoint: 'start' }), outcomeUnknown: true } satisfies AgoraFailureDetails],
    nonRetryable: failure.nonRetryable ?? undefined,
    ...(failure.nextRetryDelay !== undefined ? { nextRetryDelay: failure.nextRetryDelay } : {}),
    ...(failure.cause !== undefined ? { cause: failure.cause } : {}),
  });
}
