import { describe, expect, it } from 'vitest';
import { sniffImageType } from '../../client/timeline/images';
import { recordFromStatus } from '../../client/timeline/record-from-status';
import { timelineWorkflowId } from '../../client/receiver/timeline-route';
import type { CaptureStatus } from '../../workflows/status';

const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

describe('recordFromStatus (a capture without manifest.json yet)', () => {
  const status = {
    workflowId: 'capture/room/1',
    channel: 'room',
    segments: [
      {
        index: 0,
        resourceId: 'r',
        sid: 's0',
        uid: '1',
        startedAt: iso(0),
        endedAt: iso(60),
        endedBy: 'operator-pause',
        failovers: 2,
      },
      { index: 1, resourceId: 'r', sid: 's1', uid: '1', startedAt: iso(120), failovers: 0 },
    ],
    failovers: [
      { at: iso(10), sid: 's0', newUid: '2' },
      { at: iso(30), sid: 's0', newUid: '3' },
    ],
    screenshots: { '1001': { count: 4, first: iso(5), last: iso(130) } },
  } as unknown as CaptureStatus;
  const r = recordFromStatus(
    status,
    { storageProfile: 'default', fileNamePrefix: ['p'], captureIntervalSeconds: 5 },
    T0 + 200_000,
  );

  it('places an operator pause between the segment released on pause and the next one', () => {
    expect(r.pauses).toEqual([{ kind: 'operator', startMs: T0 + 60_000, endMs: T0 + 120_000 }]);
  });

  it('numbers failovers per session as the bak<n> files do', () => {
    expect(r.failovers.map((f) => [f.sid, f.index])).toEqual([
      ['s0', 0],
      ['s0', 1],
    ]);
  });

  it('keeps the segments, the callback tallies, and closes a running capture at now', () => {
    expect(r.segments).toEqual([
      { index: 0, sid: 's0', startedAtMs: T0, endedAtMs: T0 + 60_000 },
      { index: 1, sid: 's1', startedAtMs: T0 + 120_000 },
    ]);
    expect(r.callbackRecord).toEqual({ '1001': { count: 4, firstMs: T0 + 5000, lastMs: T0 + 130_000 } });
    expect(r.asOfMs).toBe(T0 + 200_000);
    expect(r).toMatchObject({ storageProfile: 'default', fileNamePrefix: ['p'], captureIntervalSeconds: 5 });
  });
});

describe('timelineWorkflowId', () => {
  it('reads a percent-encoded or a raw workflow id with slashes', () => {
    expect(timelineWorkflowId('/captures/capture%2Froom%2F1/timeline')).toBe('capture/room/1');
    expect(timelineWorkflowId('/captures/capture/room/1/timeline')).toBe('capture/room/1');
  });
  it('is undefined for other paths and for broken encodings', () => {
    expect(timelineWorkflowId('/captures/x')).toBeUndefined();
    expect(timelineWorkflowId('/captures//timeline')).toBeUndefined();
    expect(timelineWorkflowId('/captures/%E0%A4%A/timeline')).toBeUndefined();
  });
});

describe('sniffImageType', () => {
  it('knows JPEG and PNG by their first bytes and nothing else', () => {
    expect(sniffImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImageType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]))).toBe('image/png');
    expect(sniffImageType(new TextEncoder().encode('<svg onload=alert(1)>'))).toBeUndefined();
  });
});
