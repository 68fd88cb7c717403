/**
 * `storageConfig` (start and update). Checks follow the reference's storage table: vendor and
 * region enums, required credentials, STS only for vendors 1–3, fileNamePrefix characters and
 * total length, S3-only `sse`, `endpoint` for S3-compatible storage.
 */
import { z } from 'zod';
import { intIn } from './common';
import { isKnownVendor, isValidRegion, STS_VENDORS, VENDORS } from './regions';

const nonEmpty = z.string().min(1, 'must not be empty');
const PREFIX_ELEMENT_RE = /^[a-zA-Z0-9]+$/;
/** Total length of the prefix with `/` separators (reference: at most 128). */
const PREFIX_MAX = 128;

// The Go client sends `sse` and `tag` without omitempty, so "" must mean "not set".
const extensionParams = z.object({
  sse: z.enum(['kms', 'aes256', '']).optional(),
  tag: z.string().optional(),
  endpoint: z.string().min(1, 'must not be empty').optional(),
});

/** Schema of `storageConfig`. */
export const storageConfigSchema = z
  .object({
    vendor: z.number().int('must be an integer'),
    region: intIn(0, 0xffff),
    bucket: nonEmpty,
    accessKey: nonEmpty,
    secretKey: nonEmpty,
    stsToken: z.string().optional(),
    stsExpiration: z.number().int('must be an integer').min(0, 'must be >= 0').optional(),
    fileNamePrefix: z
      .array(
        z.string().regex(PREFIX_ELEMENT_RE, 'elements may only contain a-z, A-Z, 0-9 and must not be empty'),
      )
      .optional(),
    extensionParams: extensionParams.optional(),
  })
  .superRefine((s, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (!isKnownVendor(s.vendor)) {
      issue('vendor', `unknown vendor ${s.vendor} (valid: ${Object.keys(VENDORS).join(', ')})`);
      return;
    }
    if (!isValidRegion(s.vendor, s.region)) {
      issue('region', `region ${s.region} is not valid for vendor ${s.vendor} (${VENDORS[s.vendor]})`);
    }
    if (s.stsToken !== undefined && !STS_VENDORS.includes(s.vendor)) {
      issue('stsToken', `only allowed for vendors ${STS_VENDORS.join(', ')}`);
    }
    if (s.fileNamePrefix && s.fileNamePrefix.join('/').length > PREFIX_MAX) {
      issue('fileNamePrefix', `total length including "/" must be at most ${PREFIX_MAX}`);
    }
    if (s.extensionParams?.sse && s.vendor !== 1) {
      issue('extensionParams', 'sse is only supported for vendor 1 (Amazon S3)');
    }
    if (s.vendor === 11 && !s.extensionParams?.endpoint) {
      issue('extensionParams', 'endpoint is required for vendor 11 (S3-compatible)');
    }
  });

/** Parsed `storageConfig`. */
export type StorageConfig = z.output<typeof storageConfigSchema>;
