import { describe, expect, it } from 'vitest';
import { isRecorderLeaving, isRecorderUp, sliceStartTimeMs } from '../../../agora/query-status';

describe('query status helpers', () => {
  it('4 and 5 mean the bot is up; 6+ that it is leaving', () => {
    expect([3, 4, 5, 6].map(isRecorderUp)).toEqual([false, true, true, false]);
    expect([5, 6, 8, 20].map(isRecorderLeaving)).toEqual([false, true, true, true]);
  });
  it('sliceStartTime: ms stays ms, seconds become ms, junk is undefined', () => {
    expect(sliceStartTimeMs(1_700_000_000_123)).toBe(1_700_000_000_123);
    expect(sliceStartTimeMs(1_700_000_000)).toBe(1_700_000_000_000);
    expect(sliceStartTimeMs(0)).toBeUndefined();
    expect(sliceStartTimeMs(undefined)).toBeUndefined();
  });
});
