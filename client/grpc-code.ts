/**
 * The gRPC status of a Temporal client error, however the client wrapped it (some calls throw
 * the gRPC error itself, others a ServiceError whose cause it is). @grpc/grpc-js is only a
 * transitive dependency, so the codes are numbers here.
 */
import { isGrpcServiceError, ServiceError } from '@temporalio/client';

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
