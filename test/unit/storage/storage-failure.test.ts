import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { storageFailure } from '../../../activities/manifest';

/** An error as the AWS SDK throws it: its name is S3's error code. */
const s3Error = (name: string, message = 'refused') => Object.assign(new Error(message), { name });

describe('S3 errors as the manifest activity reports them', () => {
  it.each([
    'AccessDenied',
    'AuthorizationHeaderMalformed',
    'PermanentRedirect',
    'InvalidAccessKeyId',
    'SignatureDoesNotMatch',
    'NoSuchBucket',
    'ExpiredToken',
  ])('%s is a storage configuration error no retry can fix', (name) => {
    const f = storageFailure(s3Error(name));
    expect(f).toMatchObject({ type: 'StorageAccessError', nonRetryable: true });
    expect(f.message).toBe(`storage: ${name}: refused`);
  });

  it.each(['InternalError', 'SlowDown', 'ServiceUnavailable', 'TimeoutError', 'Error'])(
    '%s is retried',
    (name) => {
      expect(storageFailure(s3Error(name))).toMatchObject({ type: 'StorageError', nonRetryable: false });
    },
  );

  it('passes a failure the activity classified itself through unchanged', () => {
    const own = ApplicationFailure.nonRetryable('no such profile', 'StorageProfileNotFound');
    expect(storageFailure(own)).toBe(own);
  });
});
