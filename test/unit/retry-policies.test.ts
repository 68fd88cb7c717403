import { describe, expect, it } from 'vitest';
import { AGORA_ERROR_RETRYABLE, AGORA_ERROR_TYPES, NON_RETRYABLE_AGORA_ERROR_TYPES } from '../../agora';
import { NON_RETRYABLE_TYPES, START_OUTCOME_UNKNOWN_TYPES, stopOptions } from '../../workflows/policies';

// The workflow cannot import agora/ at runtime (sandbox), so its lists are copies: keep them honest.
describe('retry policies agree with the Agora error classification', () => {
  it('never retries a type the classifier calls non-retryable', () => {
    for (const type of NON_RETRYABLE_AGORA_ERROR_TYPES) expect(NON_RETRYABLE_TYPES).toContain(type);
  });

  it('retries every type the classifier calls retryable', () => {
    for (const type of AGORA_ERROR_TYPES.filter((t) => AGORA_ERROR_RETRYABLE[t]))
      expect(NON_RETRYABLE_TYPES).not.toContain(type);
  });

  it('treats only retryable or ambiguous failures as a start that may have landed', () => {
    for (const type of START_OUTCOME_UNKNOWN_TYPES.filter((t) => t.startsWith('Agora'))) {
      expect(AGORA_ERROR_TYPES).toContain(type);
    }
  });

  it('keeps retrying stop for everything but a 404 (the workflow waits out failover) and a mismatched resource', () => {
    expect(stopOptions.retry?.nonRetryableErrorTypes).toEqual(['AgoraNotFound', 'AgoraResourceMismatch']);
    expect(stopOptions.retry?.maximumAttempts).toBeUndefined();
  });
});
