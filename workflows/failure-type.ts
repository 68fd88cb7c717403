/**
 * Reads the classified type out of an activity failure. From `@temporalio/common` (the classes
 * `@temporalio/workflow` re-exports), so the start activity reads "outcome unknown" with the
 * same function as the workflow (activities/start-attempts.ts).
 */
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/common';

export function failureType(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return cause.type ?? undefined;
  if (cause instanceof TimeoutFailure) return 'ActivityTimeout';
  return undefined;
}

/**
 * Whether the failed call may still have acted at Agora (a start that may have created a
 * session): the Agora client's own `outcomeUnknown`, carried by activities/failures.ts in the
 * failure's details. Anything that is not a classified Agora answer — an activity timeout, a
 * worker crash mid-call, an unexpected error, a cancellation — is unknown too.
 */
export function outcomeUnknown(err: unknown): boolean {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (!(cause instanceof ApplicationFailure)) return true;
  const details = cause.details?.[0] as { outcomeUnknown?: unknown } | undefined;
  if (details && typeof details.outcomeUnknown === 'boolean') return details.outcomeUnknown;
  // Classified failures raised before any Agora call (configuration) carry no details.
  return cause.type === 'UnexpectedActivityError';
}

export function failureMessage(err: unknown): string {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}
