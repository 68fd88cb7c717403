/** Reads and writes manifest.json objects. */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Manifest } from './manifest';

/** Writes (or overwrites: reconciling again is idempotent) the manifest at `key`. */
export async function writeManifest(
  client: S3Client,
  bucket: string,
  key: string,
  m: Manifest,
): Promise<void> {
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: `${JSON.stringify(m, null, 2)}\n`,
      ContentType: 'application/json',
    }),
  );
}

/** The manifest at `key`, or undefined when there is none. */
export async function readManifest(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<Manifest | undefined> {
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await res.Body!.transformToString()) as Manifest;
  } catch (e) {
    if (e instanceof NoSuchKey) return undefined;
    throw e;
  }
}
