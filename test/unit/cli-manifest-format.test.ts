import { describe, expect, it } from 'vitest';
import { formatManifest } from '../../client/cli/commands/manifest';
import { manifestText } from '../../client/cli/format';
import { buildManifest } from '../../storage/build-manifest';
import type { CaptureRecord } from '../../storage/manifest';
import { screenshotKey } from '../helpers/screenshot-keys';

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

describe('agora-capture manifest, as text', () => {
  const SID = 'a'.repeat(32);
  const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);
  const key = (sid: string, s: number) => screenshotKey({ sid, uid: '1001', ms: T0 + s * 1000 });
  const record: CaptureRecord = {
    workflowId: 'capture/room/1',
    channel: 'room',
    storageProfile: 'default',
    captureIntervalSeconds: 10,
    segments: [
      { index: 0, sid: SID, startedAtMs: T0, endedAtMs: T0 + 60_000 },
      { index: 1, startedAtMs: T0 + 70_000, endedAtMs: T0 + 100_000 }, // its sid never learned
    ],
    pauses: [{ kind: 'video-lost', startMs: T0 + 25_000, endMs: T0 + 35_000 }],
    failovers: [],
    callbackRecord: {},
  };
  const text = formatManifest(
    buildManifest(record, {
      nowMs: T0 + 200_000,
      prefix: ['p'],
      listedPrefixes: ['p/'],
      listing: [key(SID, 10), key(SID, 20), key(SID, 40), key('c'.repeat(32), 80)].map((k) => ({
        key: k,
        size: 1,
      })),
    }),
    's3://b/p/manifest.json',
  );

  it('tells the capture-wide stretch without capture from the time between two files of a uid', () => {
    expect(text).toMatch(/\nno capture {2}video-lost .*\(10s\)/);
    expect(text).toMatch(/\n {2}no screenshot .* \(20s between two files; likely video-lost\)/);
  });

  it('says why the files taken while a segment without a sid ran were not counted', () => {
    expect(text).toMatch(/uid 1001: 3 found/);
    expect(text).toContain(
      `1 file of this channel (sid ${'c'.repeat(32)}) was taken while a segment whose sid was never learned ran`,
    );
  });
});
