/**
 * The synchronous start's answer (awaitStart update, machine.ts): when Agora's start has
 * answered, what to tell the caller, and when a second start must be refused. Workflow code.
 */
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import type { AwaitStartArgs, StartOutcome } from './messages';
import type { CaptureRequest } from './request';
import { requestDifferences } from './request-diff';
import { type CaptureState, currentSegment } from './state';

/** Agora answered the start (a session with a sid runs or is paused), or the capture ended or ends. */
export function startSettled(s: CaptureState): boolean {
  if (s.endReason !== undefined) return true;
  if (['STOPPING', 'STOPPED', 'FAILED'].includes(s.phase)) return true;
  return (s.phase === 'CAPTURING' || s.phase === 'PAUSED') && currentSegment(s)?.sid !== undefined;
}

/**
 * Validator: a caller with a different request than the running capture's is refused
 * (nothing changes; the client raises CaptureConflictError with the fields), as is a wait
 * outside (0, 600] seconds.
 */
export function refuseStart(request: CaptureRequest, a: AwaitStartArgs): void {
  if (!(a?.waitSeconds > 0 && a.waitSeconds <= 600))
    throw ApplicationFailure.nonRetryable(
      `awaitStart: waitSeconds must be within (0, 600], got ${String(a?.waitSeconds)}`,
      'CommandRefused',
    );
  const fields = requestDifferences(request, a.request);
  if (fields.length > 0)
    throw ApplicationFailure.nonRetryable(
      `already running with different settings (${fields.join(', ')})`,
      'CaptureConflict',
      { fields },
    );
}

/** Whether the caller holding `startToken` started this run: the run's memo holds the starter's token. */
export function startedBy(memo: Record<string, unknown> | undefined, startToken: string): boolean {
  return (memo as { startToken?: unknown } | undefined)?.startToken === startToken;
}

/**
 * The answer once settled or after the wait: a failed capture throws its classified failure
 * (type of its last error, e.g. WorkerConfigError, AgoraUnauthorized) so the caller can name it.
 */
export function startOutcome(s: CaptureState, a: AwaitStartArgs): StartOutcome {
  const started = startedBy(workflowInfo().memo, a.startToken);
  if (s.endReason === 'failed' || s.phase === 'FAILED') {
    throw ApplicationFailure.nonRetryable(
      s.lastError?.message ?? 'the capture failed before Agora started it',
      s.lastError?.type ?? 'CaptureFailed',
      { phase: s.phase, started },
    );
  }
  const seg = currentSegment(s);
  return {
    phase: s.phase,
    ...(seg?.sid ? { sid: seg.sid, resourceId: seg.resourceId } : {}),
    started,
    ...(s.lastError && !seg?.sid ? { lastError: s.lastError } : {}),
  };
}
