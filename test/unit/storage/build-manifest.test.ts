import { describe, expect, it } from 'vitest';
import { buildManifest } from '../../../storage/build-manifest';
import type { CaptureRecord } from '../../../storage/manifest';
import { manifestKeyFor } from '../../../storage/manifest';
import { screenshotKey } from '../../helpers/screenshot-keys';

const SID = 'a'.repeat(32);
const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);
const key = (uid: string, ms: number, bak = '', sid = SID, cname = 'room') =>
  screenshotKey({ sid, uid, ms, cname, bak });

/** 120 s segment, 10 s interval, a video-lost pause from 40 s to 70 s. */
const record: CaptureRecord = {
  workflowId: 'capture/room/1',
  channel: 'room',
  storageProfile: 'default',
  captureIntervalSeconds: 10,
  segments: [{ index: 0, sid: SID, startedAtMs: T0, endedAtMs: T0 + 120_000 }],
  pauses: [{ kind: 'video-lost', startMs: T0 + 40_000, endMs: T0 + 70_000 }],
  failovers: [],
  callbackRecord: { '1001': { count: 2, firstMs: T0 + 10_000, lastMs: T0 + 20_000 } },
};
const shots = [10, 20, 30, 40, 70, 80, 90, 100, 110, 120].map((s) => key('1001', T0 + s * 1000));

describe('buildManifest', () => {
  const m = buildManifest(record, {
    nowMs: T0 + 200_000,
    prefix: ['p'],
    bucket: 'b',
    listedPrefixes: ['p/'],
    listing: [
      ...shots.map((k) => ({ key: k, size: 100 })),
      { key: key('1001', T0 + 50_000, '', 'b'.repeat(32)), size: 100 },
      { key: 'p/notes.txt', size: 1 },
    ],
  });

  it('expects one screenshot per interval of unpaused time, the same for every uid', () => {
    expect(m.unpausedSeconds).toBe(90);
    expect(m.expectedPerUid).toBe(9);
    // 10 found for 9 expected: coverage is capped at 1.
    expect(m.uids['1001']).toMatchObject({ found: 10, callbacks: 2, expected: 9, coverage: 1 });
  });

  it('expects fewer screenshots of a uid whose own video was off, outside the capture-wide pauses', () => {
    const withOff = buildManifest(
      // 1002's video off from 90 s to 120 s (30 s); its 1001 twin keeps the capture-wide figure.
      { ...record, uidPauses: { '1002': [{ startMs: T0 + 90_000, endMs: T0 + 120_000 }] } },
      { nowMs: T0 + 200_000, prefix: ['p'], listedPrefixes: ['p/'], listing: [] },
    );
    expect(withOff.expectedPerUid).toBe(9);
    expect(withOff.uids['1001']).toMatchObject({ found: 0, expected: 9, coverage: 0 });
    expect(withOff.uids['1002']).toBeUndefined(); // no file and no callback: not a captured uid
    const listed = buildManifest(
      { ...record, uidPauses: { '1002': [{ startMs: T0 + 30_000, endMs: T0 + 120_000 }] } },
      {
        nowMs: T0 + 200_000,
        prefix: ['p'],
        listedPrefixes: ['p/'],
        listing: [key('1002', T0 + 10_000), key('1002', T0 + 20_000)].map((k) => ({ key: k, size: 1 })),
      },
    );
    // 0–30 s unpaused for 1002 (its 30–120 s overlaps the capture-wide 40–70 s pause): 3 expected.
    expect(listed.uids['1002']).toMatchObject({ found: 2, expected: 3, coverage: 0.667 });
  });

  it('explains the gap in the files by the pause that overlaps it', () => {
    expect(m.uids['1001']!.gaps).toEqual([
      {
        kind: 'video-lost',
        start: new Date(T0 + 40_000).toISOString(),
        end: new Date(T0 + 70_000).toISOString(),
        seconds: 30,
      },
    ]);
  });

  it("explains a uid's gap by its own video being off, while other uids kept sending", () => {
    // 1002's video off from 80 s to 110 s; no capture-wide pause then.
    const own = buildManifest(
      { ...record, pauses: [], uidPauses: { '1002': [{ startMs: T0 + 80_000, endMs: T0 + 110_000 }] } },
      {
        nowMs: T0 + 200_000,
        prefix: ['p'],
        listedPrefixes: ['p/'],
        listing: [70, 80, 110, 120].map((s) => ({ key: key('1002', T0 + s * 1000), size: 1 })),
      },
    );
    expect(own.gaps).toEqual([]);
    expect(own.uids['1002']!.gaps).toEqual([
      {
        kind: 'video-lost',
        start: new Date(T0 + 80_000).toISOString(),
        end: new Date(T0 + 110_000).toISOString(),
        seconds: 30,
      },
    ]);
  });

  it('counts files of another session and non-screenshots apart from the capture', () => {
    expect(m.otherKeys).toBe(1);
    expect(m.unrecognisedKeys).toBe(1);
    expect(m.totals).toMatchObject({
      found: 10,
      callbacks: 2,
      foundWithoutCallback: 8,
      callbacksWithoutFile: 0,
    });
  });

  it("counts no file as the capture's when none of its sessions is known: one that never started", () => {
    // An earlier capture of the channel left its screenshots under the same prefix.
    const never = buildManifest(
      { ...record, segments: [], pauses: [], callbackRecord: {} },
      {
        nowMs: T0 + 200_000,
        prefix: ['p'],
        listedPrefixes: ['p/'],
        listing: shots.map((k) => ({ key: k, size: 1 })),
      },
    );
    expect(never.totals.found).toBe(0);
    expect(never.uids).toEqual({});
    expect(never.otherKeys).toBe(shots.length);
    expect(never.unattributed).toBeUndefined();
  });

  it('reports files taken while a segment without a sid ran apart, never counted as found', () => {
    const lost = 'c'.repeat(32);
    const m2 = buildManifest(
      {
        ...record,
        pauses: [],
        callbackRecord: {},
        segments: [{ index: 0, startedAtMs: T0, endedAtMs: T0 + 60_000 }], // its sid never learned
      },
      {
        nowMs: T0 + 200_000,
        prefix: ['p'],
        listedPrefixes: ['p/'],
        listing: [
          key('1001', T0 + 10_000, '', lost), // while the segment ran: perhaps its own
          key('1001', T0 + 20_000, '', lost),
          key('1001', T0 + 90_000, '', lost), // after it ended: another capture's
          key('1001', T0 + 20_000, '', SID, 'other-room'), // another channel
        ].map((k) => ({ key: k, size: 1 })),
      },
    );
    expect(m2.unattributed).toEqual({ keys: 2, sids: [lost] });
    expect(m2.otherKeys).toBe(2);
    expect(m2.totals.found).toBe(0);
    expect(m2.uids['1001']).toBeUndefined();
    expect(m2.segments).toEqual([
      { index: 0, startedAt: new Date(T0).toISOString(), endedAt: new Date(T0 + 60_000).toISOString() },
    ]);
  });

  it('without a listing, reports the callback record only and no found count', () => {
    const c = buildManifest(record, { nowMs: T0 + 200_000, prefix: ['p'], listedPrefixes: [], note: 'why' });
    expect(c.source).toBe('callbacks-only');
    expect(c.note).toBe('why');
    expect(c.uids['1001']).toMatchObject({ callbacks: 2, coverage: 0.222, keys: [] });
    expect(c.uids['1001']!.found).toBeUndefined();
  });

  it('names an unexplained gap when no pause or failover covers it', () => {
    const sparse = buildManifest(
      { ...record, pauses: [] },
      {
        nowMs: T0,
        prefix: ['p'],
        listedPrefixes: ['p/'],
        listing: [key('1001', T0 + 10_000), key('1001', T0 + 60_000)].map((k) => ({ key: k, size: 1 })),
      },
    );
    expect(sparse.uids['1001']!.gaps.map((g) => g.kind)).toEqual(['unexplained']);
    expect(sparse.uids['1001']!.coverage).toBe(0.167);
  });

  it('keeps one manifest per capture beside the screenshots, named for its run chain', () => {
    expect(manifestKeyFor(['a', 'b'], 'capture/room 1/42', 'r-1')).toBe(
      'a/b/manifest_capture%2Froom%201%2F42_r-1.json',
    );
    // Records of earlier workers carry no run id: the name they wrote.
    expect(manifestKeyFor(['a', 'b'], 'capture/room 1/42')).toBe('a/b/manifest_capture%2Froom%201%2F42.json');
    expect(manifestKeyFor(undefined, 'w')).toBe('manifest_w.json');
  });
});
