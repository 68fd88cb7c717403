import { describe, expect, it } from 'vitest';
import { callbackErrorMessage } from '../../workflows/callback-error';

describe("Agora's cloud_recording_error (event 1) in words", () => {
  it('says the storage refused the files for the uploader error 32, naming what to check', () => {
    expect(
      callbackErrorMessage({ module: 1, errorLevel: 3, errorCode: 32, errorMsg: 'bad storage config' }),
    ).toBe(
      'Agora uploader error 32 (level 3): Agora could not write to your storage, bad storage config: check the storage profile (keys, bucket, region) ("bad storage config")',
    );
  });

  it('names the module of an error that is not the uploader’s, with Agora’s own message', () => {
    expect(
      callbackErrorMessage({ module: 2, errorLevel: 5, errorCode: 0, errorMsg: 'task ended by Agora' }),
    ).toBe('Agora cloud recording service error 0 (level 5): task ended by Agora');
  });

  it('keeps what is missing visible rather than guessing', () => {
    expect(callbackErrorMessage({})).toBe('Agora module ? error ? (level ?)');
    expect(callbackErrorMessage({ module: 9, errorCode: 7 })).toBe('Agora module 9 error 7 (level ?)');
  });
});
