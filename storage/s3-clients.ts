/**
 * S3 clients kept for reuse, one per bucket endpoint and key pair. Building an `S3Client`
 * resolves its whole configuration and middleware stack, and each client owns its connection
 * pool: a client per capture paid both, plus a new connection (a TLS handshake, against real
 * S3) for every capture's final reconciliation. A worker keeps one pool for all its captures.
 */
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3ClientFor } from './s3-client';
import type { S3Target } from './s3-target';

/** How many clients a pool keeps by default: distinct buckets' endpoints and keys in use. */
export const DEFAULT_MAX_CLIENTS = 16;

export class S3Clients {
  /** Most recently used last (a Map keeps insertion order). */
  private readonly clients = new Map<string, S3Client>();

  constructor(private readonly max = DEFAULT_MAX_CLIENTS) {}

  /** The pool's client for `target`; never destroy it (the pool does, on eviction or `destroy`). */
  for(target: S3Target): S3Client {
    const key = clientKey(target);
    const found = this.clients.get(key);
    if (found) {
      this.clients.delete(key);
      this.clients.set(key, found);
      return found;
    }
    const client = s3ClientFor(target);
    this.clients.set(key, client);
    // A rotated key makes a new client; the least recently used one goes (its idle sockets too).
    for (const [k, c] of this.clients) {
      if (this.clients.size <= this.max) break;
      this.clients.delete(k);
      c.destroy();
    }
    return client;
  }

  /** How many clients are kept (for tests and metrics). */
  get size(): number {
    return this.clients.size;
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}

/**
 * Everything the client is built from; the secret only as a digest, so that no secret sits in
 * the pool's keys (heap snapshots, debuggers).
 */
function clientKey(t: S3Target): string {
  const secret = createHash('sha256')
    .update(`${t.credentials.secretAccessKey}\0${t.credentials.sessionToken ?? ''}`)
    .digest('hex');
  return JSON.stringify([
    t.endpoint ?? '',
    t.region,
    t.forcePathStyle,
    t.requestTimeoutMs,
    t.credentials.accessKeyId,
    secret,
  ]);
}
