import { describe, expect, it } from 'vitest';
import { captureRecord, MAX_STRETCHES, noteVideoState } from '../../workflows/manifest-record';
import { type CaptureRequest, validateCaptureRequest } from '../../workflows/request';
import { initialState } from '../../workflows/state';
import { captureRequest } from '../helpers/fixtures';

const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);

function request(): CaptureRequest {
  const v = validateCaptureRequest(
    captureRequest(
      { channel: 'room42', fileNamePrefix: ['a', 'b'] },
      { subscribeVideoUids: ['1001', '1002'] },
    ),
  );
  if (!v.ok) throw new Error('fixture request invalid');
  return v.request;
}

describe('the record the workflow hands to reconcileManifest', () => {
  it('turns a segment released for an operator pause and the next start into an operator pause', () => {
    const s = initialState('capture/room42/527841');
    s.segments = [
      {
        index: 0,
        resourceId: 'r0',
        sid: 's0',
        uid: '1',
        startedAtMs: T0,
        endedAtMs: T0 + 10_000,
        endedBy: 'operator-pause',
        failovers: 0,
      },
      { index: 1, resourceId: 'r1', sid: 's1', uid: '1', startedAtMs: T0 + 25_000, failovers: 0 },
    ];
    const r = captureRecord(s, request(), T0 + 40_000);
    expect(r).toMatchObject({
      channel: 'room42',
      storageProfile: 'default',
      fileNamePrefix: ['a', 'b'],
      captureIntervalSeconds: 5,
      asOfMs: T0 + 40_000,
      segments: [
        { index: 0, sid: 's0', startedAtMs: T0, endedAtMs: T0 + 10_000 },
        { index: 1, sid: 's1', startedAtMs: T0 + 25_000 },
      ],
      pauses: [{ kind: 'operator', startMs: T0 + 10_000, endMs: T0 + 25_000 }],
    });
  });

  it('keeps video-off stretches per uid and capture-wide, open until video returns', () => {
    const s = initialState('w');
    noteVideoState(s, '1001', false, false, T0 + 1_000);
    noteVideoState(s, '1002', false, true, T0 + 2_000);
    noteVideoState(s, '1001', true, false, T0 + 5_000);
    const r = captureRecord(s, request(), T0 + 9_000);
    expect(r.uidPauses).toEqual({
      '1001': [{ startMs: T0 + 1_000, endMs: T0 + 5_000 }],
      '1002': [{ startMs: T0 + 2_000 }],
    });
    expect(r.pauses).toEqual([{ kind: 'video-lost', startMs: T0 + 2_000, endMs: T0 + 5_000 }]);
  });

  it('numbers failovers per session, as the bak<n>_ files are', () => {
    const s = initialState('w');
    s.failovers = [
      { atMs: T0 + 1, sid: 'x', newUid: '2' },
      { atMs: T0 + 2, sid: 'y', newUid: '3' },
      { atMs: T0 + 3, sid: 'x', newUid: '4' },
    ];
    expect(captureRecord(s, request(), T0 + 9).failovers.map((f) => [f.sid, f.index])).toEqual([
      ['x', 0],
      ['y', 0],
      ['x', 1],
    ]);
  });

  it('stays bounded when video flaps: the oldest stretches go first', () => {
    const s = initialState('w');
    for (let i = 0; i < MAX_STRETCHES + 50; i++) {
      noteVideoState(s, '1001', false, true, T0 + i * 10);
      noteVideoState(s, '1001', true, false, T0 + i * 10 + 5);
    }
    expect(s.pauseLog!.uids['1001']).toHaveLength(MAX_STRETCHES);
    expect(s.pauseLog!.all).toHaveLength(MAX_STRETCHES);
    expect(s.pauseLog!.all[0]).toEqual([T0 + 500, T0 + 505]);
  });
});
