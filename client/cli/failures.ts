/**
 * Turns Temporal client errors into one readable line each. The raw errors are gRPC- or
 * failure-shaped and mostly meaningful to SDK developers, not to an operator at a terminal.
 */
import {
  ApplicationFailure,
  CancelledFailure,
  isGrpcDeadlineError,
  isGrpcServiceError,
  ServiceError,
  TemporalFailure,
  TerminatedFailure,
  TimeoutFailure,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { CliSettings } from './env';
import { CliFailure } from './errors';
import { GRPC, isNamespaceNotFound } from '../grpc-code';

/** How a capture ended when it did not complete: cancelled/terminated/timed-out are not bugs. */
export type EndKind = 'failed' | 'cancelled' | 'terminated' | 'timed-out';

/** The kind and a one-line message of a WorkflowFailedError (or any failure chain). */
export function describeWorkflowFailure(err: unknown): { kind: EndKind; message: string } {
  const cause =
    err instanceof WorkflowFailedError || err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (cause instanceof CancelledFailure) return { kind: 'cancelled', message: 'cancelled' };
  if (cause instanceof TerminatedFailure)
    return { kind: 'terminated', message: `terminated${cause.message ? `: ${cause.message}` : ''}` };
  if (cause instanceof TimeoutFailure)
    return { kind: 'timed-out', message: `timed out (${cause.timeoutType})` };
  return { kind: 'failed', message: failureChain(cause ?? err) };
}

/** "failed: <chain>", "cancelled", "terminated: <reason>": how an ended capture reads in a sentence. */
export function endPhrase(end: { kind: EndKind; message: string }): string {
  return end.kind === 'failed' ? `failed: ${end.message}` : end.message;
}

/** "ActivityFailure: ... ← AgoraError(bad_request): ..." — every level names what went wrong. */
function failureChain(err: unknown): string {
  const parts: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 6; depth++) {
    if (cur instanceof ApplicationFailure) parts.push(`${cur.type ?? 'Error'}: ${cur.message}`);
    else if (cur instanceof Error) parts.push(cur.message || cur.name);
    else parts.push(JSON.stringify(cur));
    cur = cur instanceof TemporalFailure || cur instanceof Error ? cur.cause : undefined;
  }
  return parts.filter((p, i) => p && parts.indexOf(p) === i).join(' ← ');
}

/** Maps an error from a command on `workflowId` to a CliFailure (or rethrows unknown ones). */
export function explainTemporalError(e: unknown, s: CliSettings, workflowId?: string): CliFailure {
  if (e instanceof CliFailure) return e;
  // Before "not found" of the workflow: a NOT_FOUND may be the namespace's (not always typed so).
  if (isNamespaceNotFound(e))
    return new CliFailure(`namespace ${s.namespace} does not exist on ${s.address}`);
  if (e instanceof WorkflowNotFoundError)
    return new CliFailure(`no capture ${workflowId ?? e.workflowId} in namespace ${s.namespace}`);
  if (e instanceof WorkflowUpdateFailedError || e instanceof WorkflowFailedError) {
    return new CliFailure(`${workflowId ?? 'capture'} ${endPhrase(describeWorkflowFailure(e))}`);
  }
  // The client wraps some gRPC errors in ServiceError; the status code is on the cause.
  const grpc = e instanceof ServiceError && e.cause ? e.cause : e;
  if (isGrpcDeadlineError(grpc)) {
    return new CliFailure(
      `Temporal did not answer in time${workflowId ? ` for ${workflowId}` : ''}: is a worker polling task queue "${s.taskQueue}"? (queries need a running worker)`,
    );
  }
  if (isGrpcServiceError(grpc)) {
    // The server went away after we connected.
    if (Number(grpc.code) === GRPC.UNAVAILABLE)
      return new CliFailure(`cannot reach Temporal at ${s.address}: ${grpc.details}`);
    const details = grpc.details || grpc.message;
    // A visibility query naming our search attributes on a namespace setup has not prepared.
    if (/not a valid search attribute|search attribute .* (is not defined|not found)/i.test(details))
      return new CliFailure(
        `Temporal: ${details}: is namespace ${s.namespace} prepared? run "agora-capture setup"`,
      );
    return new CliFailure(`Temporal: ${details}`);
  }
  const msg = e instanceof Error ? e.message : String(e);
  if (/workflow execution already completed/i.test(msg))
    return new CliFailure(`capture ${workflowId ?? ''} has already ended`);
  return new CliFailure(msg);
}
