/**
 * `storageConfig` as Agora's start/update accept it
 * (https://docs.agora.io/en/api-reference/api-ref/cloud-recording/start). Also reused by the worker config
 * for storage profiles, so a bad profile fails at worker start-up rather than
 * as a 400 code 2 in the middle of a capture. Issue messages never echo values: these
 * objects hold credentials.
 */
import { z } from 'zod';
import { STORAGE_VENDORS, STS_VENDORS, isValidStorageRegion } from './storage-regions';

/** Agora's limit on `fileNamePrefix.join('/')`. */
export const MAX_FILE_NAME_PREFIX_LENGTH = 128;

/**
 * Directory levels for uploaded files: each element letters and digits only (no `/`, `_`,
 * `-`, parentheses), at most 128 characters when joined with `/`.
 */
export const FileNamePrefix = z
  .array(
    z.string().regex(/^[A-Za-z0-9]+$/, 'each fileNamePrefix element must be 1+ characters of a-z, A-Z, 0-9'),
  )
  .min(1, 'fileNamePrefix must have at least one element when present')
  .refine((parts) => parts.join('/').length <= MAX_FILE_NAME_PREFIX_LENGTH, {
    message: `fileNamePrefix joined with "/" must be at most ${MAX_FILE_NAME_PREFIX_LENGTH} characters`,
  });
export type FileNamePrefix = z.infer<typeof FileNamePrefix>;

/**
 * Vendor extension parameters. Agora's reference marks `sse` and `tag` "required" inside the
 * object but its own examples send only `tag` (unconfirmed), so both stay optional here.
 */
export const StorageExtensionParams = z.strictObject({
  /** Server-side encryption, Amazon S3 only. */
  sse: z.enum(['kms', 'aes256']).optional(),
  /** Object tagging, S3 and Alibaba only. */
  tag: z.string().min(1).optional(),
  /** Host of an S3-compatible service; required for vendor 11. */
  endpoint: z.string().min(1).optional(),
});
export type StorageExtensionParams = z.infer<typeof StorageExtensionParams>;

const vendorCodes = Object.values(STORAGE_VENDORS);

/**
 * The fields of {@link StorageConfig}, exported so a schema that adds its own fields (the
 * worker's storage profiles) can reuse them with {@link refineStorageConfig}: zod cannot
 * extend an object schema that already carries refinements.
 */
export const storageConfigShape = {
  vendor: z.literal(vendorCodes, { message: `vendor must be one of ${vendorCodes.join(', ')}` }),
  region: z.number().int().nonnegative(),
  bucket: z.string().min(1),
  accessKey: z.string().min(1),
  secretKey: z.string().min(1),
  /** STS session token; vendors 1, 2, 3 only. */
  stsToken: z.string().min(1).optional(),
  /** STS expiry in Unix **seconds**. */
  stsExpiration: z
    .number()
    .int()
    .nonnegative()
    // 1e11 s is year 5138; anything larger is almost surely milliseconds passed by mistake.
    .max(99_999_999_999, 'stsExpiration is Unix seconds, not milliseconds')
    .optional(),
  fileNamePrefix: FileNamePrefix.optional(),
  extensionParams: StorageExtensionParams.optional(),
};

type StorageConfigFields = z.infer<z.ZodObject<typeof storageConfigShape>>;

/** The cross-field rules of Agora's storage table (vendor/region, STS, vendor-only extensions). */
export function refineStorageConfig(cfg: StorageConfigFields, ctx: z.RefinementCtx): void {
  const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (!isValidStorageRegion(cfg.vendor, cfg.region)) {
    issue(['region'], `region is not a documented region code for vendor ${cfg.vendor}`);
  }
  if (cfg.stsToken !== undefined && !STS_VENDORS.has(cfg.vendor)) {
    issue(['stsToken'], 'stsToken is only supported for vendors 1 (S3), 2 (Alibaba) and 3 (Tencent)');
  }
  const ext = cfg.extensionParams;
  if (cfg.vendor === STORAGE_VENDORS.S3_COMPATIBLE && !ext?.endpoint) {
    issue(['extensionParams', 'endpoint'], 'vendor 11 (S3-compatible) requires extensionParams.endpoint');
  }
  if (ext?.endpoint !== undefined && cfg.vendor !== STORAGE_VENDORS.S3_COMPATIBLE) {
    issue(['extensionParams', 'endpoint'], 'extensionParams.endpoint is only for vendor 11 (S3-compatible)');
  }
  if (ext?.sse !== undefined && cfg.vendor !== STORAGE_VENDORS.AMAZON_S3) {
    issue(['extensionParams', 'sse'], 'extensionParams.sse is only supported for vendor 1 (Amazon S3)');
  }
  if (
    ext?.tag !== undefined &&
    cfg.vendor !== STORAGE_VENDORS.AMAZON_S3 &&
    cfg.vendor !== STORAGE_VENDORS.ALIBABA_CLOUD
  ) {
    issue(
      ['extensionParams', 'tag'],
      'extensionParams.tag is only supported for vendors 1 (S3) and 2 (Alibaba)',
    );
  }
}

/** Where Agora uploads the JPGs: vendor, vendor-specific region code, bucket and credentials. */
export const StorageConfig = z.strictObject(storageConfigShape).superRefine(refineStorageConfig);
export type StorageConfig = z.infer<typeof StorageConfig>;
