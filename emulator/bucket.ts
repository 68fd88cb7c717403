/**
 * The local "bucket": a folder where object keys become relative paths. Files are written
 * synchronously so that event 45 for a file is sequenced before anything the session emits
 * afterwards (a stop right after a capture must not see its 45 arrive after event 11).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { colourFor, solidJpeg } from './jpeg';

/** Writes screenshot files under one root folder, created on first write. */
export class LocalBucket {
  constructor(readonly dir: string) {}

  /** Writes a JPG of `uid`'s colour at `key`; returns the absolute path. */
  writeSnapshot(key: string, uid: string): string {
    const root = resolve(this.dir);
    const path = resolve(join(root, key));
    // Keys come from fileNamePrefix, which is validated, but never write outside the bucket.
    if (!path.startsWith(root + sep)) throw new Error(`object key escapes the bucket folder: ${key}`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, solidJpeg(colourFor(uid), `agora-emulator ${key}`));
    return path;
  }
}
