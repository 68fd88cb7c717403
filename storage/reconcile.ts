/**
 * Reconciles a capture: lists its prefix in the bucket (ListObjectsV2; also `bak<n>_<prefix>`,
 * the other place the reference allows for failover files), merges the listing with the
 * callback record, and writes manifest.json beside the screenshots. A profile whose bucket is
 * not reachable over S3 gets a callback-only manifest that says so and is not written anywhere.
 */
import { buildManifest } from './build-manifest';
import { listAllObjects, type ListedObject } from './list-objects';
import { type CaptureRecord, type Manifest, manifestKeyFor, prefixPath } from './manifest';
import { writeManifest } from './manifest-store';
import type { StorageProfile } from './profile';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3ClientFor } from './s3-client';
import type { S3Clients } from './s3-clients';
import { hasS3Target, type S3Target, s3Target } from './s3-target';

export interface Reconciled {
  manifest: Manifest;
  /** Where it was written; undefined when the bucket cannot be reached over S3. */
  manifestKey?: string;
}

/**
 * Lists and merges without writing: the manifest as it would be written now (the timeline's
 * view of a capture whose manifest.json does not exist yet). `manifestKey` is where it belongs.
 */
export async function listAndBuild(
  record: CaptureRecord,
  profile: StorageProfile,
  opts: { nowMs: number; onProgress?: (listed: number) => void },
): Promise<Reconciled> {
  const target = s3Target(profile);
  if (!hasS3Target(target)) return { manifest: callbacksOnly(record, profile, opts.nowMs, target.reason) };
  const client = s3ClientFor(target);
  try {
    return await listWith(client, target, record, profile, opts);
  } finally {
    client.destroy();
  }
}

/**
 * Lists, merges and writes; `onProgress` runs after each listed page (heartbeats). With
 * `clients`, the listing and the write use the pool's client for the bucket (kept, with its
 * connection, for the next capture); without, a client of their own, destroyed at the end.
 */
export async function reconcileCapture(
  record: CaptureRecord,
  profile: StorageProfile,
  opts: { nowMs: number; onProgress?: (listed: number) => void; clients?: S3Clients },
): Promise<Reconciled> {
  const target = s3Target(profile);
  if (!hasS3Target(target)) return { manifest: callbacksOnly(record, profile, opts.nowMs, target.reason) };
  const client = opts.clients ? opts.clients.for(target) : s3ClientFor(target);
  try {
    const built = await listWith(client, target, record, profile, opts);
    await writeManifest(client, target.bucket, built.manifestKey, built.manifest);
    return built;
  } finally {
    if (!opts.clients) client.destroy();
  }
}

const prefixOf = (record: CaptureRecord, profile: StorageProfile) =>
  record.fileNamePrefix ?? profile.fileNamePrefix ?? [];

/** The manifest of a bucket that cannot be reached over S3: the callbacks, and why. */
function callbacksOnly(
  record: CaptureRecord,
  profile: StorageProfile,
  nowMs: number,
  note: string,
): Manifest {
  return buildManifest(record, { nowMs, prefix: prefixOf(record, profile), listedPrefixes: [], note });
}

async function listWith(
  client: S3Client,
  target: S3Target,
  record: CaptureRecord,
  profile: StorageProfile,
  opts: { nowMs: number; onProgress?: (listed: number) => void },
): Promise<Reconciled & { manifestKey: string }> {
  const prefix = prefixOf(record, profile);
  const main = prefixPath(prefix);
  // With a prefix, a failover file may also sit at bak<n>_<prefix>/… (placement unconfirmed).
  const failoverIndexes = new Set(record.failovers.map((f, i) => f.index ?? i));
  const bakPrefixes = main === '' ? [] : [...failoverIndexes].sort().map((n) => `bak${n}_${main}`);
  const listing: ListedObject[] = [];
  for (const p of [main, ...bakPrefixes]) {
    listing.push(
      ...(await listAllObjects(client, target.bucket, p, (n) => opts.onProgress?.(listing.length + n))),
    );
  }
  const manifest = buildManifest(record, {
    nowMs: opts.nowMs,
    prefix,
    bucket: target.bucket,
    listing,
    listedPrefixes: [main, ...bakPrefixes],
  });
  return { manifest, manifestKey: manifestKeyFor(prefix, record.workflowId, record.firstRunId) };
}
