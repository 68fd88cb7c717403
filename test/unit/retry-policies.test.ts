import { describe, expect, it } from 'vitest';
import { AGORA_ERROR_RETRYABLE, AGORA_ERROR_TYPES, NON_RETRYABLE_AGORA_ERROR_TYPES } from '../../agora';
import { NON_RETRYABLE_TYPES, stopOptions } from '../../workflows/policies';

// The workflow cannot import agora/ at runtime (sandbox), so its lists are copies: keep them honest.
describe('retry policies agree with the Agora error classification', () => {
  it('never retries a type the classifier calls non-retryable', () => {
    for (const type of NON_RETRYABLE_AGORA_ERROR_TYPES) expect(NON_RETRYABLE_TYPES).toContain(type);
  });

  it('retries every type the classifier calls retryable', () => {
    for (const type of AGORA_ERROR_TYPES.filter((t) => AGORA_ERROR_RETRYABLE[t]))
      expect(NON_RETRYABLE_TYPES).not.toContain(type);
  });

  it('retries a stop round for everything but a 404 (the workflow waits out failover) and a mismatched resource, with no overall deadline (the workflow repeats rounds until the resource expires)', () => {
    expect(stopOptions.retry?.nonRetryableErrorTypes).toEqual(['AgoraNotFound', 'AgoraResourceMismatch']);
    expect(stopOptions.scheduleToCloseTimeout).toBeUndefined();
  });
});
