/** Lists every object under a prefix with ListObjectsV2, page by page. */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/** One listed object. */
export interface ListedObject {
  key: string;
  size: number;
  lastModified?: Date;
}

/**
 * All objects whose key starts with `prefix` (no delimiter: deeper levels included).
 * `onPage` runs after each page (activities heartbeat there).
 */
export async function listAllObjects(
  client: S3Client,
  bucket: string,
  prefix: string,
  onPage: (listedSoFar: number) => void = () => {},
): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined) continue;
      out.push({
        key: o.Key,
        size: o.Size ?? 0,
        ...(o.LastModified ? { lastModified: o.LastModified } : {}),
      });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
    onPage(out.length);
  } while (token);
  return out;
}
