/**
 * A worker storage profile: Agora's `storageConfig` (sent to Agora as is) plus an optional
 * `s3` block that only this product reads, to reach the same bucket with the S3 API (list it,
 * write the manifest, presign URLs). The block never goes to Agora: {@link agoraStorageConfig}
 * strips it before a start body is built.
 */
import { z } from 'zod';
import { refineStorageConfig, storageConfigShape, type StorageConfig } from '../agora/storage-config';

/** How the product reaches the profile's bucket over the S3 API. */
export const S3Access = z.strictObject({
  /**
   * Base URL of the S3 API, e.g. `http://127.0.0.1:9000` for a local stand-in of Amazon S3.
   * Default: Amazon's regional endpoint (vendor 1) or `https://<extensionParams.endpoint>`
   * (vendor 11). The emulator's own endpoint override must point at the same server.
   */
  endpoint: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:9000' })
    .optional(),
  /** Path-style URLs (`endpoint/bucket/key`). Default: true with an endpoint, false on AWS. */
  forcePathStyle: z.boolean().optional(),
  /** Region name to sign with. Default: the AWS region of the vendor-1 code, else us-east-1. */
  signingRegion: z.string().min(1).optional(),
  /** Whether `agora-capture latest` may print presigned GET URLs with these credentials. Default true. */
  presign: z.boolean().optional(),
  /** Lifetime of presigned URLs in seconds (1 s to 7 days, SigV4's limit). Default 3600. */
  presignSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .optional(),
  /**
   * How long one S3 request may go unanswered before it fails (1 to 300 s; each is tried 3
   * times). Default 10: ample for one ListObjectsV2 page, and a capture's result waits for its
   * final reconciliation, so a server that never answers must not hold it long.
   */
  requestTimeoutSeconds: z.number().int().min(1).max(300).optional(),
});
export type S3Access = z.infer<typeof S3Access>;

/** A named profile: Agora's storage fields, plus the product-only `s3` block. */
export const StorageProfile = z
  .strictObject({ ...storageConfigShape, s3: S3Access.optional() })
  .superRefine(refineStorageConfig);
export type StorageProfile = z.infer<typeof StorageProfile>;

/** Profiles by name, as the JSON file named by AGORA_STORAGE_PROFILES holds them. */
export const StorageProfiles = z.record(
  z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'profile names use letters, digits, . _ -'),
  StorageProfile,
);
export type StorageProfiles = z.infer<typeof StorageProfiles>;

/** The part of a profile Agora receives in `storageConfig` (without the product-only `s3`). */
export function agoraStorageConfig(profile: StorageProfile): StorageConfig {
  const { s3: _s3, ...agora } = profile;
  return agora;
}
