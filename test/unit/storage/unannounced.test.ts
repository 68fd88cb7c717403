import { describe, expect, it } from 'vitest';
import { buildManifest } from '../../../storage/build-manifest';
import type { CaptureRecord } from '../../../storage/manifest';
import { unannouncedFiles } from '../../../storage/unannounced';
import { screenshotKey } from '../../helpers/screenshot-keys';

const SID = 'c'.repeat(32);
const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);
const key = (uid: string, s: number) =>
  screenshotKey({ sid: SID, uid, ms: T0 + s * 1000, cname: 'room', bak: '' });

/** A 60 s capture at a 10 s interval, uids 1001 and 1002 in the bucket at 10…60 s; callbacks as given. */
function manifestWith(callbackRecord: CaptureRecord['callbackRecord']) {
  const record: CaptureRecord = {
    workflowId: 'capture/room/1',
    channel: 'room',
    storageProfile: 'default',
    captureIntervalSeconds: 10,
    segments: [{ index: 0, sid: SID, startedAtMs: T0, endedAtMs: T0 + 60_000 }],
    pauses: [],
    failovers: [],
    callbackRecord,
  };
  const listing = ['1001', '1002'].flatMap((uid) =>
    [10, 20, 30, 40, 50, 60].map((s) => ({ key: key(uid, s), size: 100 })),
  );
  return buildManifest(record, { nowMs: T0 + 90_000, prefix: [], listedPrefixes: [''], listing });
}

describe('the files no callback announced', () => {
  it('are the files after each uid’s last callback, oldest first, named by key and capture time', () => {
    const cb = {
      '1001': { count: 5, firstMs: T0 + 10_000, lastMs: T0 + 50_000 },
      '1002': { count: 4, firstMs: T0 + 10_000, lastMs: T0 + 40_000 },
    };
    expect(unannouncedFiles(manifestWith(cb), cb, 500)).toEqual({
      files: [
        { uid: '1001', fileName: key('1001', 60), at: new Date(T0 + 60_000).toISOString() },
        { uid: '1002', fileName: key('1002', 50), at: new Date(T0 + 50_000).toISOString() },
        { uid: '1002', fileName: key('1002', 60), at: new Date(T0 + 60_000).toISOString() },
      ],
      more: 0,
    });
  });

  it('are every file of a uid whose callbacks never came', () => {
    const cb = { '1001': { count: 6, firstMs: T0 + 10_000, lastMs: T0 + 60_000 } };
    const { files } = unannouncedFiles(manifestWith(cb), cb, 500);
    expect(files.map((f) => f.fileName)).toEqual([10, 20, 30, 40, 50, 60].map((s) => key('1002', s)));
  });

  it('are none when the last callback of every uid is its last file', () => {
    const cb = {
      '1001': { count: 6, firstMs: T0 + 10_000, lastMs: T0 + 60_000 },
      '1002': { count: 6, firstMs: T0 + 10_000, lastMs: T0 + 60_000 },
    };
    expect(unannouncedFiles(manifestWith(cb), cb, 500)).toEqual({ files: [], more: 0 });
  });

  it('stop at the bound and count the rest, which manifest.json still lists', () => {
    const { files, more } = unannouncedFiles(manifestWith({}), {}, 5);
    expect(files).toHaveLength(5);
    expect(more).toBe(7);
  });
});
