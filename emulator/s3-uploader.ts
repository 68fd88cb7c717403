/**
 * Uploads screenshot JPGs with the S3 API (PutObject, SigV4), as Agora's recorder does to the
 * bucket of the session's storageConfig. One client per endpoint and key pair, kept until the
 * emulator closes.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3UploadTarget } from './upload-target';

export class S3Uploader {
  private clients = new Map<string, S3Client>();

  /** Puts `body` at `key` in the target's bucket; rejects with the S3 error (no secret in it). */
  async put(target: S3UploadTarget, key: string, body: Buffer, contentType = 'image/jpeg'): Promise<void> {
    await this.client(target).send(
      new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  /** Releases every client's sockets. */
  close(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }

  private client(t: S3UploadTarget): S3Client {
    const id = JSON.stringify([t.endpoint, t.region, t.accessKey, t.secretKey, t.stsToken ?? '']);
    let c = this.clients.get(id);
    if (!c) {
      c = new S3Client({
        endpoint: t.endpoint,
        region: t.region,
        forcePathStyle: true,
        credentials: {
          accessKeyId: t.accessKey,
          secretAccessKey: t.secretKey,
          ...(t.stsToken ? { sessionToken: t.stsToken } : {}),
        },
        requestChecksumCalculation: 'WHEN_REQUIRED',
        maxAttempts: 3,
      });
      this.clients.set(id, c);
    }
    return c;
  }
}
