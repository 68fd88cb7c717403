/**
 * Where a storage profile's bucket is on the S3 API: vendor 1 (Amazon S3, or a local stand-in
 * through `s3.endpoint`) and vendor 11 (S3-compatible, `extensionParams.endpoint`). Other vendors
 * have their own APIs that this product does not speak; for them there is no target, and a
 * capture keeps its callback-only record.
 */
import { STORAGE_REGIONS, STORAGE_VENDORS } from '../agora/storage-regions';
import type { StorageProfile } from './profile';

/** Everything an S3 client needs for one bucket. Holds credentials: never log or return it. */
export interface S3Target {
  bucket: string;
  /** Undefined: Amazon's own regional endpoint. */
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  presign: boolean;
  presignSeconds: number;
  /** One request's limit (the profile's s3.requestTimeoutSeconds). */
  requestTimeoutMs: number;
}

/** Why a profile's bucket cannot be reached over S3 (a sentence for status and the manifest). */
export interface NoS3Target {
  reason: string;
}

const VENDOR_NAMES: Record<number, string> = {
  2: 'Alibaba Cloud',
  3: 'Tencent Cloud',
  5: 'Microsoft Azure',
  6: 'Google Cloud',
  7: 'Huawei Cloud',
  8: 'Baidu AI Cloud',
};

/** `127.0.0.1`, `localhost`, `[::1]`: hosts that are only ever local. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * The URL of a vendor-11 `extensionParams.endpoint` (Agora documents a host name): https, except
 * for a loopback host, which can only be a local server and gets http.
 */
export function s3CompatibleUrl(endpoint: string): string {
  if (/^https?:\/\//i.test(endpoint)) return endpoint.replace(/\/+$/, '');
  const host = endpoint.replace(/:\d+$/, '').replace(/\/.*$/, '');
  return `${isLoopbackHost(host) ? 'http' : 'https'}://${endpoint.replace(/\/+$/, '')}`;
}

/** AWS's region name of a vendor-1 region code: 0 (US_EAST_1) → us-east-1. */
export function awsRegionName(code: number): string | undefined {
  return STORAGE_REGIONS[STORAGE_VENDORS.AMAZON_S3][code]?.toLowerCase().replace(/_/g, '-');
}

/** The S3 target of a profile, or why there is none. */
export function s3Target(profile: StorageProfile): S3Target | NoS3Target {
  const s3 = profile.s3 ?? {};
  const common = {
    bucket: profile.bucket,
    credentials: {
      accessKeyId: profile.accessKey,
      secretAccessKey: profile.secretKey,
      ...(profile.stsToken ? { sessionToken: profile.stsToken } : {}),
    },
    presign: s3.presign ?? true,
    presignSeconds: s3.presignSeconds ?? 3600,
    requestTimeoutMs: (s3.requestTimeoutSeconds ?? 10) * 1000,
  };
  if (profile.vendor === STORAGE_VENDORS.AMAZON_S3) {
    const region = s3.signingRegion ?? awsRegionName(profile.region) ?? 'us-east-1';
    return {
      ...common,
      ...(s3.endpoint ? { endpoint: s3.endpoint.replace(/\/+$/, '') } : {}),
      region,
      forcePathStyle: s3.forcePathStyle ?? s3.endpoint !== undefined,
    };
  }
  if (profile.vendor === STORAGE_VENDORS.S3_COMPATIBLE) {
    const host = profile.extensionParams?.endpoint;
    if (!host && !s3.endpoint) return { reason: 'vendor 11 profile has no extensionParams.endpoint' };
    return {
      ...common,
      endpoint: s3.endpoint?.replace(/\/+$/, '') ?? s3CompatibleUrl(host!),
      region: s3.signingRegion ?? 'us-east-1',
      forcePathStyle: s3.forcePathStyle ?? true,
    };
  }
  const name = VENDOR_NAMES[profile.vendor] ?? `vendor ${profile.vendor}`;
  return {
    reason: `storage vendor ${profile.vendor} (${name}) is not listable by agora-capture (S3 API only: vendors 1 and 11); the record comes from event-45 callbacks alone`,
  };
}

/** Narrows {@link s3Target}'s answer. */
export function hasS3Target(t: S3Target | NoS3Target): t is S3Target {
  return 'bucket' in t;
}
