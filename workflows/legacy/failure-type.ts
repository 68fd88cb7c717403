/** Reads the classified type out of an activity failure. */
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';

export function failureType(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return cause.type ?? undefined;
  if (cause instanceof TimeoutFailure) return 'ActivityTimeout';
  return undefined;
}

export function failureMessage(err: unknown): string {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}
