/** An `@aws-sdk/client-s3` client for one {@link S3Target}. */
import { S3Client } from '@aws-sdk/client-s3';
import type { S3Target } from './s3-target';

/** A client for `target`; the caller destroys it when done. */
export function s3ClientFor(target: S3Target): S3Client {
  return new S3Client({
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    forcePathStyle: target.forcePathStyle,
    credentials: target.credentials,
    // Checksums only where S3 requires them: S3-compatible servers differ in the newer ones.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    // A server that accepts no connection or never answers must fail, not hang: a capture's
    // result waits for its final reconciliation.
    requestHandler: {
      connectionTimeout: Math.min(5_000, target.requestTimeoutMs),
      requestTimeout: target.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
}
