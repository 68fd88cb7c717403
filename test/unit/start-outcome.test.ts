/** When a synchronous start answers, and when a second start is refused (workflows/start-outcome.ts). */
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { refuseStart, startSettled } from '../../workflows/start-outcome';
import { type CaptureRequest, validateCaptureRequest } from '../../workflows/request';
import { type CaptureState, initialState } from '../../workflows/state';
import { captureRequest } from '../helpers/fixtures';

function validated(over: Parameters<typeof captureRequest>[0] = {}): CaptureRequest {
  const v = validateCaptureRequest(captureRequest({ channel: 'room42', ...over }));
  if (!v.ok) throw new Error('fixture invalid');
  return v.request;
}

const seg = { index: 0, resourceId: 'r1', uid: '1', startedAtMs: 0, failovers: 0 };
const state = (over: Partial<CaptureState>): CaptureState => ({ ...initialState('capture/a/1'), ...over });

describe('synchronous start: when Agora has answered', () => {
  it.each(['QUEUED', 'ACQUIRING', 'STARTING'] as const)('waits while %s', (phase) => {
    expect(startSettled(state({ phase }))).toBe(false);
  });

  it('answers once CAPTURING with the sid of the session', () => {
    expect(startSettled(state({ phase: 'CAPTURING', segments: [{ ...seg, sid: 's1' }] }))).toBe(true);
  });

  it('waits while a start is being reconciled (CAPTURING is never set without a sid, but a segment can lack one)', () => {
    expect(startSettled(state({ phase: 'STARTING', segments: [{ ...seg }] }))).toBe(false);
  });

  it('answers when the capture failed or ends', () => {
    expect(startSettled(state({ phase: 'FAILED', endReason: 'failed' }))).toBe(true);
    expect(startSettled(state({ phase: 'ACQUIRING', endReason: 'cancelled' }))).toBe(true);
    expect(startSettled(state({ phase: 'STOPPING' }))).toBe(true);
  });
});

describe('synchronous start: a second start of a running capture', () => {
  it('is accepted with the identical request', () => {
    const r = validated();
    expect(() => refuseStart(r, { request: validated(), waitSeconds: 20, startToken: 't' })).not.toThrow();
  });

  it('is refused with CaptureConflict naming each differing field', () => {
    const theirs = validated();
    const mine = validated({ durationSeconds: 7200 });
    let thrown: unknown;
    try {
      refuseStart(theirs, { request: mine, waitSeconds: 20, startToken: 't' });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ApplicationFailure);
    expect(thrown).toMatchObject({ type: 'CaptureConflict', details: [{ fields: ['durationSeconds'] }] });
  });

  it('is refused, for good (CommandRefused, not retryable), with a wait outside (0, 600] seconds', () => {
    const r = validated();
    for (const waitSeconds of [0, 601, 'x', 1e308]) {
      let thrown: unknown;
      try {
        refuseStart(r, { request: r, waitSeconds: waitSeconds as number, startToken: 't' });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toMatchObject({
        type: 'CommandRefused',
        nonRetryable: true,
        message: expect.stringContaining('waitSeconds must be within (0, 600]'),
      });
    }
  });
});
