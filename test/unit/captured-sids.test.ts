import { describe, expect, it } from 'vitest';
import { CAPTURE_SIDS_MAX_BYTES, capturedSidsValue } from '../../workflows/search-attributes';

const sid = (i: number) => i.toString(16).padStart(32, '0');
const sids = (n: number) => Array.from({ length: n }, (_, i) => sid(i));

describe('the CaptureSids value', () => {
  it('lists every sid of a capture with few segments, the recording session last', () => {
    expect(capturedSidsValue(sids(3), 'r'.repeat(32))).toEqual([...sids(3), 'r'.repeat(32)]);
    expect(capturedSidsValue([])).toEqual([]);
  });

  it('keeps the newest sids within the size Temporal accepts, however many segments ran', () => {
    const value = capturedSidsValue(sids(200), 'r'.repeat(32));
    expect(JSON.stringify(value).length).toBeLessThanOrEqual(CAPTURE_SIDS_MAX_BYTES);
    expect(JSON.stringify(value).length).toBeGreaterThan(CAPTURE_SIDS_MAX_BYTES - 40);
    expect(value.at(-1)).toBe('r'.repeat(32));
    expect(value.at(-2)).toBe(sid(199)); // the current segment's
    expect(value.slice(0, -1)).toEqual(sids(200).slice(200 - (value.length - 1)));
  });
});
