/**
 * The manifest activity: lists the capture's storage prefix, merges it with the callback
 * record the workflow kept, writes manifest.json beside the screenshots, and returns only
 * counts, coverage and the manifest's key — never the whole key list (history stays small: 2 MB
 * payload limit); a capture with a webhook gets, at its end, the few files its callbacks did not
 * announce (bounded). Safe to retry: the manifest is rebuilt and overwritten.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { type CaptureRecord, type ManifestSummary, summarize } from '../storage/manifest';
import type { StorageProfile } from '../storage/profile';
import { reconcileCapture } from '../storage/reconcile';
import { unannouncedFiles } from '../storage/unannounced';
import { S3Clients } from '../storage/s3-clients';
import { configFailure } from './failures';

export type { CaptureRecord as ReconcileManifestInput, ManifestSummary };

/**
 * S3 answers that a retry cannot fix: credentials (wrong, expired, malformed), permissions, a
 * missing or misnamed bucket, the wrong region or endpoint (PermanentRedirect,
 * AuthorizationHeaderMalformed), an account S3 refuses. Codes:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */
const PERMANENT = new Set([
  'AccessDenied',
  'AccountProblem',
  'AllAccessDisabled',
  'AuthorizationHeaderMalformed',
  'ExpiredToken',
  'Forbidden',
  'InvalidAccessKeyId',
  'InvalidBucketName',
  'InvalidToken',
  'NoSuchBucket',
  'PermanentRedirect',
  'SignatureDoesNotMatch',
]);

/** S3 errors as failures the workflow can read; the S3 message holds no credential. Exported for tests. */
export function storageFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const name = err instanceof Error ? err.name : 'Error';
  const message = `storage: ${name}: ${err instanceof Error ? err.message : String(err)}`;
  return PERMANENT.has(name)
    ? ApplicationFailure.nonRetryable(message, 'StorageAccessError')
    : ApplicationFailure.create({ type: 'StorageError', message });
}

/**
 * Heartbeats when running as an ordinary activity (listing a long capture takes many pages); a
 * local activity cannot heartbeat (sdk-core keeps its workflow task alive instead).
 */
function heartbeat(listed: number): void {
  try {
    const ctx = Context.current();
    if (!ctx.info.isLocal) ctx.heartbeat({ listed });
  } catch {
    /* not in an activity: plain tests */
  }
}

export interface ManifestDeps {
  storageProfiles: Record<string, StorageProfile>;
  /** S3 clients reused across reconciliations (storage/s3-clients.ts). Default: a pool of its own. */
  s3Clients?: S3Clients;
  /** Clock of generatedAt and of open intervals. Default Date.now. */
  now?: () => number;
}

export function createManifestActivities({
  storageProfiles,
  s3Clients = new S3Clients(),
  now = Date.now,
}: ManifestDeps) {
  return {
    /** Reconciles bucket and callbacks into manifest.json; returns its summary. */
    async reconcileManifest(record: CaptureRecord): Promise<ManifestSummary> {
      const profile = storageProfiles[record.storageProfile];
      if (!profile)
        throw configFailure(
          `storage profile "${record.storageProfile}" is not configured on this worker`,
          'StorageProfileNotFound',
        );
      try {
        const { manifest, manifestKey } = await reconcileCapture(record, profile, {
          nowMs: now(),
          onProgress: heartbeat,
          clients: s3Clients,
        });
        const summary = summarize(manifest, manifestKey);
        // Only listed files can be announced: a callback-only record has nothing new to say.
        if (record.announce && manifest.source === 'listed+callbacks')
          summary.unannounced = unannouncedFiles(manifest, record.callbackRecord, record.announce.max);
        return summary;
      } catch (err) {
        throw storageFailure(err);
      }
    },
  };
}

export type ManifestActivities = ReturnType<typeof createManifestActivities>;
