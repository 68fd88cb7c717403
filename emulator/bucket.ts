/**
 * Where screenshot files go: the session's S3 bucket (vendor 1 with the emulator's S3 endpoint,
 * vendor 11) or the local "bucket" folder, where object keys become relative paths. Local files
 * are written synchronously so that event 45 for a file is sequenced before anything the session
 * emits afterwards; S3 uploads are awaited by the recorder before it reports the session's end.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { colourFor, solidJpeg } from './jpeg';
import { S3Uploader } from './s3-uploader';
import type { UploadTarget } from './upload-target';

/** Writes screenshot files to S3 or under one root folder (created on first write). */
export class SnapshotStore {
  private readonly s3 = new S3Uploader();

  constructor(readonly dir: string) {}

  /**
   * Stores a JPG of `uid`'s colour at `key`: synchronously (returns undefined) for the local
   * folder, or a promise that settles when the S3 upload has.
   */
  put(target: UploadTarget, key: string, uid: string): Promise<void> | undefined {
    const jpg = solidJpeg(colourFor(uid), `agora-emulator ${key}`);
    if (target.kind === 's3') return this.s3.put(target, key, jpg);
    this.writeLocal(key, jpg);
    return undefined;
  }

  /** Stores any object (recording files): like `put`, with the given bytes and content type. */
  putFile(target: UploadTarget, key: string, body: Buffer, contentType: string): Promise<void> | undefined {
    if (target.kind === 's3') return this.s3.put(target, key, body, contentType);
    this.writeLocal(key, body);
    return undefined;
  }

  /** Closes the S3 clients. */
  close(): void {
    this.s3.close();
  }

  private writeLocal(key: string, bytes: Buffer): void {
    const root = resolve(this.dir);
    const path = resolve(join(root, key));
    // Keys come from fileNamePrefix, which is validated, but never write outside the bucket.
    if (!path.startsWith(root + sep)) throw new Error(`object key escapes the bucket folder: ${key}`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
}
