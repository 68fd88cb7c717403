import { describe, expect, it } from 'vitest';
import { manifestText } from '../../client/cli/format';

describe('the manifest line of status and result', () => {
  it('names the written manifest and per uid found, expected, coverage and callbacks', () => {
    expect(
      manifestText({
        status: 'written',
        source: 'listed+callbacks',
        manifestKey: 'p/manifest_w.json',
        at: '2026-11-29T12:00:00.000Z',
        after: 'capture',
        expectedPerUid: 10,
        found: 9,
        callbacks: 6,
        uids: { '1001': { found: 9, callbacks: 6, expected: 10, coverage: 0.9 } },
      }),
    ).toBe(
      'written p/manifest_w.json (listed+callbacks, after capture); 1001: 9 found/10 expected 90%, 6 callbacks',
    );
  });

  it('says why there is no manifest and shows only what the callbacks say', () => {
    expect(
      manifestText({
        status: 'unavailable',
        source: 'callbacks-only',
        note: 'StorageError: storage: connect ECONNREFUSED',
        at: '2026-11-29T12:00:00.000Z',
        after: 'segment',
        callbacks: 4,
        uids: { '1001': { callbacks: 4 } },
      }),
    ).toBe('unavailable after segment: StorageError: storage: connect ECONNREFUSED; 1001: 4 callbacks');
  });
});
