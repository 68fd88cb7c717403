/**
 * Built fixtures: credentials that are easy to find in a history scan, a storage profile,
 * and capture requests with one field changed at a time.
 */
import { randomBytes } from 'node:crypto';
import type { CaptureRequestInput } from '../../workflows/request';

/** Distinct, greppable secret values: none of them may ever appear in workflow history. */
export const SECRETS = {
  customerSecret: 'custsecret-DO-NOT-LEAK-7f3a',
  accessKey: 'AKSTORAGE-DO-NOT-LEAK-91c2',
  secretKey: 'sk-storage-DO-NOT-LEAK-55e0',
  appCertificate: '5cfd2fd1755d40ecb72977518be15d3b',
} as const;

export const APP_ID = '970ca35de60c44645bbae8a215061b33';
export const CUSTOMER_ID = 'test-customer-id';

/** The bucket the run's S3 server (test/helpers/global-setup-s3.ts) has. */
export const TEST_BUCKET = 'capture-bucket';

export const storageProfile = (over: Record<string, unknown> = {}) => ({
  vendor: 1,
  region: 0,
  bucket: TEST_BUCKET,
  accessKey: SECRETS.accessKey,
  secretKey: SECRETS.secretKey,
  fileNamePrefix: ['snaps'],
  ...over,
});

/**
 * The storage profile of tests without the run's S3 server: the product's own S3 calls (the
 * manifest's listing) go to a closed loopback port and fail at once, so no test reaches for
 * Amazon — with no network, name lookups can queue for minutes and keep activities running
 * after their captures ended. Those captures' manifests come out `unavailable`. The `s3` block
 * is the product's only (never sent to Agora), so the emulator sees the same profile as before.
 */
export const offlineStorageProfile = (over: Record<string, unknown> = {}) =>
  storageProfile({ s3: { endpoint: 'http://127.0.0.1:9' }, ...over });

let counter = 0;
/** A channel name no other test uses (workflow ids derive from it). */
export function uniqueChannel(prefix = 'room'): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(3).toString('hex')}`;
}

/** A valid capture request; `over` replaces top-level fields, `rc` merges into recordingConfig. */
export function captureRequest(
  over: Partial<CaptureRequestInput> = {},
  rc: Record<string, unknown> = {},
): CaptureRequestInput {
  const base = {
    channel: uniqueChannel(),
    recorderUid: '527841',
    durationSeconds: 3,
    storageProfile: 'default',
    recordingConfig: { subscribeUidGroup: 0, subscribeVideoUids: ['1001'], ...rc },
    snapshotConfig: { captureInterval: 5, fileType: ['jpg'] },
    timings: { failoverWindowSeconds: 4, healthCheckSeconds: 60 },
  } satisfies CaptureRequestInput;
  return { ...base, ...over };
}
