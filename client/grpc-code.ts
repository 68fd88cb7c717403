/**
 * The gRPC status of a Temporal client error, however the client wrapped it (some calls throw
 * the gRPC error itself, others a ServiceError whose cause it is). @grpc/grpc-js is only a
 * transitive dependency, so the codes are numbers here.
 */
import {
  isGrpcServiceError,
  NamespaceNotFoundError,
  ServiceError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { google } from '@temporalio/proto';

export const GRPC = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
} as const;

/** The status code, or undefined for an error that is not a gRPC one. */
export function grpcCode(e: unknown): number | undefined {
  const grpc = e instanceof ServiceError && e.cause ? e.cause : e;
  return isGrpcServiceError(grpc) ? Number(grpc.code) : undefined;
}

/** Temporal's message for a namespace that does not exist: "Namespace xyz is not found." */
const NAMESPACE_NOT_FOUND = /^namespace .* is not found/i;

/**
 * True when Temporal answered that the namespace itself does not exist: the SDK's
 * NamespaceNotFoundError, or, from a raw service call (`client.workflowService.*`, which the SDK
 * does not translate), a NOT_FOUND carrying Temporal's NamespaceNotFoundFailure detail or its
 * message ("Namespace xyz is not found."). Any other NOT_FOUND is about the workflow.
 */
export function isNamespaceNotFound(e: unknown): boolean {
  if (e instanceof NamespaceNotFoundError) return true;
  // A NOT_FOUND without the detail becomes WorkflowNotFoundError, with the server's message.
  if (e instanceof WorkflowNotFoundError) return NAMESPACE_NOT_FOUND.test(e.message);
  if (grpcCode(e) !== GRPC.NOT_FOUND) return false;
  const grpc = (e instanceof ServiceError && e.cause ? e.cause : e) as {
    details?: string;
    metadata?: { get?(key: string): unknown[] | undefined };
  };
  const bin = grpc.metadata?.get?.('grpc-status-details-bin')?.[0];
  if (
    bin instanceof Uint8Array &&
    statusDetailTypes(bin).some((t) => t.endsWith('.NamespaceNotFoundFailure'))
  )
    return true;
  return NAMESPACE_NOT_FOUND.test(grpc.details ?? '');
}

/** The type URLs of a gRPC status's details (`grpc-status-details-bin`); none when it does not decode. */
function statusDetailTypes(bin: Uint8Array): string[] {
  try {
    return google.rpc.Status.decode(bin).details.map((d) => d.type_url ?? '');
  } catch {
    return [];
  }
}
