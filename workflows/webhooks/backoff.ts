/**
 * When to try an undelivered event again, and when to stop. Every non-2xx answer, a redirect,
 * a timeout or a refused connection counts as a failure and is retried, 4xx included: that
 * is Svix's practice (the reference Standard Webhooks sender), since a consumer's 4xx is most
 * often a passing misconfiguration (a deploy, a secret being rotated), and the consumer
 * deduplicates by `webhook-id`. An event is given up only once its retry window (counted
 * from when it happened, at least 24 h) has passed. Pure module.
 */
import type { DeliveryRetry } from './types';

/** Exponential backoff: initial × 2^(failures−1), capped at the maximum interval. */
export function retryDelayMs(failures: number, retry: DeliveryRetry): number {
  const exp = retry.initialIntervalMs * 2 ** Math.max(0, Math.min(failures - 1, 40));
  return Math.min(exp, retry.maximumIntervalMs);
}

export type AfterFailure = { giveUp: true } | { giveUp: false; delayMs: number };

/**
 * What to do after an event's `failures`-th failed attempt at `nowMs`. The last attempt falls
 * on the window's end, so an event is tried for the whole window and never past it.
 */
export function afterFailure(
  eventTimestamp: string,
  failures: number,
  nowMs: number,
  retry: DeliveryRetry,
): AfterFailure {
  const deadline = Date.parse(eventTimestamp) + retry.giveUpAfterMs;
  if (!(nowMs < deadline)) return { giveUp: true };
  return { giveUp: false, delayMs: Math.min(retryDelayMs(failures, retry), deadline - nowMs) };
}
