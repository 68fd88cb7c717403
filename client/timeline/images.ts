/**
 * Image sources for the timeline: presigned GET URLs (no request made; the browser fetches
 * each image from the bucket), or the objects read now and embedded as data: URIs (the page
 * then works offline, and where the bucket is not reachable from the browser).
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Target } from '../../storage/s3-target';

export interface ImageSources {
  images: Map<string, string>;
  /** Why some keys have no source (the first read error), when any. */
  missingReason?: string;
}

/** Objects read at once when embedding. */
const EMBED_CONCURRENCY = 6;

/** A presigned GET URL per key, valid `target.presignSeconds`. */
export async function presignedSources(
  client: S3Client,
  target: S3Target,
  keys: string[],
): Promise<ImageSources> {
  const images = new Map<string, string>();
  for (const key of keys)
    images.set(
      key,
      await getSignedUrl(client, new GetObjectCommand({ Bucket: target.bucket, Key: key }), {
        expiresIn: target.presignSeconds,
      }),
    );
  return { images };
}

/** The image type of `bytes` by its magic number; undefined when it is no image we show. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  return undefined;
}

/** Each key's object as a data: URI; a key that cannot be read or is not an image gets none. */
export async function embeddedSources(
  client: S3Client,
  target: S3Target,
  keys: string[],
): Promise<ImageSources> {
  const images = new Map<string, string>();
  let missingReason: string | undefined;
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: target.bucket, Key: key }));
        const bytes = await res.Body!.transformToByteArray();
        const type = sniffImageType(bytes);
        if (type) images.set(key, `data:${type};base64,${Buffer.from(bytes).toString('base64')}`);
        else missingReason ??= `${key} is not a JPEG or PNG image`;
      } catch (e) {
        // The S3 error's name and message carry no credential.
        missingReason ??= `reading ${key}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(EMBED_CONCURRENCY, keys.length) }, worker));
  return { images, ...(missingReason !== undefined ? { missingReason } : {}) };
}
