/** status says whose pause it is: the operator's (with the reason given) or lost video per uid. */
import { describe, expect, it } from 'vitest';
import { pauseText } from '../../client/cli/format';
import { pauseState, toStatus } from '../../workflows/report';
import { type CaptureState, initialState } from '../../workflows/state';

const at = (iso: string) => Date.parse(iso);

function state(over: Partial<CaptureState>): CaptureState {
  return { ...initialState('capture/room/1'), phase: 'PAUSED', ...over };
}

describe('pause reasons in status', () => {
  it('an operator pause says operator, since when, and the reason given', () => {
    const s = state({
      operatorPaused: true,
      operatorPausedSinceMs: at('2026-11-29T10:00:00Z'),
      operatorPauseReason: 'room maintenance',
    });
    expect(pauseState(s)).toEqual({
      by: 'operator',
      since: '2026-11-29T10:00:00.000Z',
      reason: 'room maintenance',
    });
    expect(pauseText({ pause: pauseState(s) }, at('2026-11-29T10:02:00Z'))).toBe(
      'operator since 2026-11-29 10:00:00Z (2m ago): room maintenance',
    );
  });

  it('a video-lost pause names each uid whose video stopped and since when', () => {
    const s = state({
      videoLostSinceMs: at('2026-11-29T10:00:30Z'),
      streams: {
        '1001': { receiving: false, sinceMs: at('2026-11-29T10:00:10Z') },
        '1002': { receiving: false, sinceMs: at('2026-11-29T10:00:30Z') },
      },
    });
    const p = pauseState(s);
    expect(p).toEqual({
      by: 'video-lost',
      since: '2026-11-29T10:00:30.000Z',
      videoLost: [
        { uid: '1001', since: '2026-11-29T10:00:10.000Z' },
        { uid: '1002', since: '2026-11-29T10:00:30.000Z' },
      ],
    });
    expect(pauseText({ pause: p }, at('2026-11-29T10:01:30Z'))).toBe(
      'video lost: 1001 since 2026-11-29 10:00:10Z (1m20s ago), 1002 since 2026-11-29 10:00:30Z (1m ago)',
    );
  });

  it('an operator pause outranks lost video (the session is released either way)', () => {
    const s = state({
      operatorPaused: true,
      operatorPausedSinceMs: at('2026-11-29T10:00:00Z'),
      videoLostSinceMs: at('2026-11-29T09:59:00Z'),
    });
    expect(pauseState(s)?.by).toBe('operator');
  });

  it('a capture that is not paused, or has ended, has no pause in status', () => {
    const ids = { channel: 'room', recorderUid: '1' };
    expect(toStatus(state({ phase: 'CAPTURING' }), ids, undefined, 0).pause).toBeUndefined();
    const ended = state({ operatorPaused: true, operatorPausedSinceMs: 0, endReason: 'stopped' });
    expect(toStatus(ended, ids, undefined, 0).pause).toBeUndefined();
  });
});
