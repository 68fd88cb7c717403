/**
 * Where a session's screenshots go, read from its `storageConfig` as Agora would: vendor 1
 * (Amazon S3) and vendor 11 (S3-compatible, `extensionParams.endpoint`) are uploaded with the S3
 * API; everything else, and vendor 1 when no local S3 endpoint is configured (the emulator
 * never calls AWS), is written to the local bucket folder.
 */
import { z } from 'zod';

/** An S3 upload target. Holds credentials: never log it. */
export interface S3UploadTarget {
  kind: 's3';
  /** http(s)://host[:port], path-style requests. */
  endpoint: string;
  region: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  stsToken?: string;
}

export type UploadTarget = S3UploadTarget | { kind: 'local' };

/** The storageConfig fields uploads need (the REST handlers validated the body already). */
const storage = z.looseObject({
  vendor: z.number(),
  region: z.number(),
  bucket: z.string(),
  accessKey: z.string(),
  secretKey: z.string(),
  stsToken: z.string().optional(),
  extensionParams: z.looseObject({ endpoint: z.string().optional() }).optional(),
});

/**
 * AWS region names by Agora's vendor-1 region code
 * (https://github.com/AgoraIO/Docs-Source/blob/HEAD/cloud-recording/reference/region-vendor.mdx),
 * for SigV4's scope.
 */
// prettier-ignore
const S3_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
  'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ap-northeast-2', 'sa-east-1', 'ca-central-1',
  'ap-south-1', 'cn-north-1', 'cn-northwest-1', 'af-south-1', 'ap-east-1', 'ap-northeast-3', 'eu-north-1',
  'me-south-1', 'us-gov-east-1', 'ap-southeast-3', 'eu-south-1',
];

const isLoopback = (host: string) => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i.test(host);

/**
 * The URL of a vendor-11 endpoint. Agora documents a host name and presumably speaks https; a
 * loopback host can only be a local test server, so it gets http (a local-use accommodation).
 */
export function s3CompatibleUrl(endpoint: string): string {
  if (/^https?:\/\//i.test(endpoint)) return endpoint.replace(/\/+$/, '');
  const host = endpoint.replace(/\/.*$/, '').replace(/:\d+$/, '');
  return `${isLoopback(host) ? 'http' : 'https'}://${endpoint.replace(/\/+$/, '')}`;
}

/**
 * The upload target of a storageConfig. `s3Endpoint` is the emulator's stand-in for Amazon S3
 * (vendor 1); without it vendor-1 files go to the local folder.
 */
export function uploadTarget(storageConfig: unknown, s3Endpoint: string | undefined): UploadTarget {
  const parsed = storage.safeParse(storageConfig);
  if (!parsed.success) return { kind: 'local' };
  const s = parsed.data;
  const creds = {
    bucket: s.bucket,
    accessKey: s.accessKey,
    secretKey: s.secretKey,
    ...(s.stsToken ? { stsToken: s.stsToken } : {}),
  };
  if (s.vendor === 1 && s3Endpoint) {
    return { kind: 's3', endpoint: s3Endpoint, region: S3_REGIONS[s.region] ?? 'us-east-1', ...creds };
  }
  if (s.vendor === 11 && s.extensionParams?.endpoint) {
    return {
      kind: 's3',
      endpoint: s3CompatibleUrl(s.extensionParams.endpoint),
      region: 'us-east-1',
      ...creds,
    };
  }
  return { kind: 'local' };
}
