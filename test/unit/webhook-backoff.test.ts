import { describe, expect, it } from 'vitest';
import { afterFailure, retryDelayMs } from '../../workflows/webhooks/backoff';

const retry = { initialIntervalMs: 5_000, maximumIntervalMs: 3_600_000, giveUpAfterMs: 26 * 3_600_000 };
const happened = '2026-11-29T00:00:00.000Z';
const t0 = Date.parse(happened);

describe('webhook retry schedule', () => {
  it('doubles from the initial interval up to the maximum', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, retry))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(retryDelayMs(30, retry)).toBe(3_600_000);
    expect(retryDelayMs(10_000, retry)).toBe(3_600_000);
  });

  it('keeps retrying inside the window and places the last attempt on its end', () => {
    expect(afterFailure(happened, 1, t0 + 1_000, retry)).toEqual({ giveUp: false, delayMs: 5_000 });
    const nearEnd = t0 + retry.giveUpAfterMs - 60_000;
    expect(afterFailure(happened, 40, nearEnd, retry)).toEqual({ giveUp: false, delayMs: 60_000 });
  });

  it('gives up once the window since the event happened has passed, not before 24 h', () => {
    expect(afterFailure(happened, 40, t0 + 24 * 3_600_000, retry).giveUp).toBe(false);
    expect(afterFailure(happened, 41, t0 + retry.giveUpAfterMs, retry)).toEqual({ giveUp: true });
  });

  it('counts a year of attempts without overflowing the backoff', () => {
    expect(afterFailure(happened, 5_000, t0, retry)).toEqual({ giveUp: false, delayMs: 3_600_000 });
  });
});
