import { describe, expect, it } from 'vitest';
import { S3Clients } from '../../../storage/s3-clients';
import type { S3Target } from '../../../storage/s3-target';

/** A bucket target; `over` changes one thing. */
const target = (over: Partial<S3Target> = {}): S3Target => ({
  bucket: 'capture-bucket',
  endpoint: 'http://127.0.0.1:9000',
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-1' },
  presign: false,
  presignSeconds: 3600,
  requestTimeoutMs: 10_000,
  ...over,
});

describe('the S3 client pool', () => {
  it('hands the same client to every reconciliation of the same bucket endpoint and key', () => {
    const pool = new S3Clients();
    const a = pool.for(target());
    // Another bucket behind the same endpoint and key: the client is per endpoint and key.
    expect(pool.for(target({ bucket: 'other-bucket' }))).toBe(a);
    expect(pool.size).toBe(1);
    pool.destroy();
  });

  it('builds a new client when the secret rotates', () => {
    const pool = new S3Clients();
    const before = pool.for(target());
    const after = pool.for(
      target({ credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-2' } }),
    );
    expect(after).not.toBe(before);
    expect(pool.size).toBe(2);
    pool.destroy();
  });

  it('builds a new client for another request timeout (the client is built with it)', () => {
    const pool = new S3Clients();
    expect(pool.for(target({ requestTimeoutMs: 2_000 }))).not.toBe(pool.for(target()));
    pool.destroy();
  });

  it('builds a new client for another endpoint', () => {
    const pool = new S3Clients();
    expect(pool.for(target({ endpoint: 'http://127.0.0.1:9001' }))).not.toBe(pool.for(target()));
    pool.destroy();
  });

  it('keeps at most its limit, dropping the least recently used client', () => {
    const pool = new S3Clients(2);
    const one = pool.for(target({ region: 'r1' }));
    const two = pool.for(target({ region: 'r2' }));
    expect(pool.for(target({ region: 'r1' }))).toBe(one); // r1 is now the most recent
    pool.for(target({ region: 'r3' }));
    expect(pool.size).toBe(2);
    expect(pool.for(target({ region: 'r1' }))).toBe(one);
    expect(pool.for(target({ region: 'r2' }))).not.toBe(two); // r2 was dropped
    pool.destroy();
    expect(pool.size).toBe(0);
  });
});
