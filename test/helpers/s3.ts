/**
 * The run's S3 server from the tests' side: an independent ListObjectsV2 (the SDK directly, none
 * of the product's storage code) and a storage profile that reaches the server.
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { TestS3 } from './global-setup-s3';
import { storageProfile } from './fixtures';

/** An S3 client with the run's enforced credentials. */
export function testS3Client(s3: TestS3): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
}

/** Every key under `prefix` in the run's bucket, sorted (paginated ListObjectsV2). */
export async function listKeys(s3: TestS3, prefix: string, bucket = s3.bucket): Promise<string[]> {
  const client = testS3Client(s3);
  try {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  } finally {
    client.destroy();
  }
}

/**
 * A vendor-1 storage profile for the run's S3 server: the enforced key pair, and the product-only
 * `s3.endpoint` (the emulator gets the same endpoint as its Amazon S3 stand-in).
 */
export function s3StorageProfile(s3: TestS3, over: Record<string, unknown> = {}) {
  return storageProfile({
    accessKey: s3.accessKeyId,
    secretKey: s3.secretAccessKey,
    s3: { endpoint: s3.endpoint },
    ...over,
  });
}

/** The same server as a vendor-11 (S3-compatible) profile: Agora's `extensionParams.endpoint` host. */
export function s3CompatibleProfile(s3: TestS3, over: Record<string, unknown> = {}) {
  return storageProfile({
    vendor: 11,
    accessKey: s3.accessKeyId,
    secretKey: s3.secretAccessKey,
    extensionParams: { endpoint: new URL(s3.endpoint).host },
    ...over,
  });
}
