/** The state machine's pure rules: which commands apply, which sessions may bill, whose sid to adopt. */
import {
  ActivityFailure,
  ApplicationFailure,
  RetryState,
  TimeoutFailure,
  TimeoutType,
} from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import {
  keptReason,
  REASON_MAX,
  whyNotPause,
  whyNotArgs,
  whyNotReason,
  whyNotResume,
  whyNotStop,
} from '../../workflows/commands';
import { outcomeUnknown } from '../../workflows/failure-type';
import { migrateCarried } from '../../workflows/migrate';
import { learnSid, resourceExpiredHour, sessionKey, settle, trackStart } from '../../workflows/open-sessions';
import { validateCaptureRequest, type CaptureRequest } from '../../workflows/request';
import { requestDifferences } from '../../workflows/request-diff';
import { CLOCK_SKEW_MS, sidCandidate } from '../../workflows/sid-adoption';
import { type CaptureState, initialState } from '../../workflows/state';
import type { Phase } from '../../workflows/status';
import { captureRequest } from '../helpers/fixtures';

const request = (over: Parameters<typeof captureRequest>[0] = {}): CaptureRequest => {
  const v = validateCaptureRequest(captureRequest({ channel: 'room', ...over }));
  if (!v.ok) throw new Error('fixture invalid');
  return v.request;
};
const state = (phase: Phase, over: Partial<CaptureState> = {}): CaptureState => ({
  ...initialState('capture/room/1'),
  phase,
  ...over,
});

describe('operator commands', () => {
  it('pauses only a capture whose session runs, naming the phase otherwise', () => {
    expect(whyNotPause(state('CAPTURING'))).toBeUndefined();
    expect(whyNotPause(state('PAUSED'))).toBeUndefined(); // paused for lost video: the operator may release it
    expect(whyNotPause(state('STARTING'))).toBe(
      'cannot pause: no Agora session runs yet (phase STARTING); pause once it is CAPTURING',
    );
    expect(whyNotPause(state('PAUSED', { operatorPauseWanted: true, operatorPaused: true }))).toBe(
      'cannot pause: the capture is already operator-paused (phase PAUSED)',
    );
    expect(whyNotPause(state('STOPPING', { endReason: 'duration' }))).toBe(
      'cannot pause: the capture is ending (phase STOPPING, duration)',
    );
    expect(whyNotPause(state('CAPTURING', { stopRequested: 'operator' }))).toMatch(
      /^cannot pause: the capture is ending/,
    );
  });

  it('resumes only an operator-paused capture', () => {
    expect(
      whyNotResume(state('PAUSED', { operatorPauseWanted: true, operatorPaused: true })),
    ).toBeUndefined();
    expect(whyNotResume(state('CAPTURING'))).toBe(
      'cannot resume: the capture is not operator-paused (phase CAPTURING)',
    );
    expect(whyNotResume(state('PAUSED'))).toBe(
      'cannot resume: the capture is not operator-paused (phase PAUSED)',
    );
    expect(whyNotResume(state('STOPPED', { endReason: 'stopped' }))).toBe(
      'cannot resume: the capture is ending (phase STOPPED, stopped)',
    );
  });

  it('says a pause whose stop Agora keeps failing is still pausing, not ending', () => {
    const pausing = state('STOPPING', {
      operatorPauseWanted: true,
      lastError: { type: 'AgoraServerError', message: 'Agora 500', at: '2026-12-01T00:00:00.000Z' },
    });
    expect(whyNotResume(pausing)).toBe(
      'cannot resume yet: the capture is still pausing: the stop of its Agora session has not landed yet (phase STOPPING, last error: Agora 500); resume once it is PAUSED',
    );
    expect(whyNotPause(pausing)).toMatch(/^cannot pause: the capture is still pausing/);
    // A stop asked meanwhile makes it an ending capture.
    expect(whyNotResume({ ...pausing, stopRequested: 'operator' })).toMatch(
      /^cannot resume: the capture is ending/,
    );
  });

  it('accepts a stop in any live phase, a stop already under way included', () => {
    for (const p of ['QUEUED', 'ACQUIRING', 'STARTING', 'CAPTURING', 'PAUSED', 'STOPPING'] as const)
      expect(whyNotStop(state(p))).toBeUndefined();
    expect(whyNotStop(state('FAILED'))).toBe('cannot stop: the capture already failed (phase FAILED)');
  });
});

describe('sessions that may bill', () => {
  it('lists a start before it is scheduled, learns its sid, and forgets it once settled', () => {
    const s = initialState('w');
    const req = request({ durationSeconds: 600 });
    trackStart(s, req, 'rid-1', 1000);
    expect(s.sessions.map(sessionKey)).toEqual(['rid-1:']);
    expect(s.sessions[0]!.billableUntilMs).toBe(1000 + 2 * 3_600_000 + 5 * 60_000);
    learnSid(s, 'rid-1', 'sid-1');
    expect(s.sessions.map(sessionKey)).toEqual(['rid-1:sid-1']);
    trackStart(s, req, 'rid-1', 2000); // a repeated start on the same resource is the same session
    expect(s.sessions).toHaveLength(1);
    settle(s, 'rid-1');
    expect(s.sessions).toEqual([]);
  });

  it('asks Agora to keep a resource for the latest possible end, paused time included', () => {
    expect(resourceExpiredHour(request({ durationSeconds: 600 }))).toBe(2);
    expect(resourceExpiredHour(request({ durationSeconds: 5 * 3600 }))).toBe(6);
    expect(resourceExpiredHour(request({ durationSeconds: 719 * 3600 }))).toBe(720);
    // Lost-video pauses move the deadline without bound when paused time does not count.
    expect(
      resourceExpiredHour(request({ durationSeconds: 600, policies: { pausedTimeCounts: false } })),
    ).toBe(720);
  });

  it('carries a legacy run’s running session and unsettled starts over as open sessions', () => {
    const legacy = {
      ...initialState('w'),
      sessions: undefined,
      unsettledStarts: ['rid-0'],
      segments: [{ index: 0, resourceId: 'rid-1', sid: 'sid-1', uid: '1', startedAtMs: 5, failovers: 0 }],
    } as unknown as CaptureState;
    const s = migrateCarried(legacy);
    expect(s.sessions.map(sessionKey)).toEqual(['rid-0:', 'rid-1:sid-1']);
    expect('unsettledStarts' in s).toBe(false);
  });
});

describe('adopting a sid from a callback', () => {
  const req = request();
  const event = (sid: string, eventMs: number, uid = req.recorderUid) => ({
    noticeId: `n-${sid}-${eventMs}`,
    eventType: 45,
    cname: req.channel,
    uid,
    sid,
    eventMs,
    details: {},
  });
  const waiting = (...inbox: ReturnType<typeof event>[]) => {
    const s = initialState('w');
    s.sessions.push({ resourceId: 'rid', startAttemptMs: 100_000, billableUntilMs: Infinity });
    s.segments.push({
      index: 0,
      resourceId: 'old',
      sid: 'old-sid',
      uid: req.recorderUid,
      startedAtMs: 0,
      failovers: 0,
    });
    s.inbox.push(...inbox);
    return s;
  };

  it('takes a callback of our channel and uid sent after the start', () => {
    const s = waiting(event('new-sid', 100_500));
    expect(sidCandidate(s, req, s.sessions[0]!, [])).toBe('new-sid');
  });

  it('ignores a callback sent before the start (beyond clock skew), another session’s sid, another uid, or a sid Agora denied', () => {
    const s = waiting(
      event('stale-sid', 100_000 - CLOCK_SKEW_MS - 1),
      event('old-sid', 200_000),
      event('other-uid', 200_000, '999'),
      event('denied', 200_000),
    );
    expect(sidCandidate(s, req, s.sessions[0]!, ['denied'])).toBeUndefined();
  });
});

describe('a second start of a running capture', () => {
  it('is the same capture when only defaults were written out', () => {
    const { storageProfile: _p, snapshotConfig: _s, ...bare } = captureRequest({ channel: 'room' });
    const v = validateCaptureRequest({ ...bare, snapshotConfig: { captureInterval: 10 } });
    const w = validateCaptureRequest({
      ...bare,
      storageProfile: 'default',
      mode: 'individual',
      snapshotConfig: { captureInterval: 10, fileType: ['jpg'] },
    });
    if (!v.ok || !w.ok) throw new Error('fixture invalid');
    expect(requestDifferences(v.request, w.request)).toEqual([]);
  });

  it('names every differing field by its dotted path', () => {
    expect(
      requestDifferences(
        request(),
        request({ durationSeconds: 900, snapshotConfig: { captureInterval: 30 } }),
      ),
    ).toEqual(['durationSeconds', 'snapshotConfig.captureInterval']);
  });
});

describe('whether a failed start may have created a session', () => {
  const agora = (outcome: boolean) =>
    new ActivityFailure(
      'start failed',
      'start',
      '1',
      RetryState.MAXIMUM_ATTEMPTS_REACHED,
      undefined,
      ApplicationFailure.create({ type: 'AgoraServerError', details: [{ outcomeUnknown: outcome }] }),
    );

  it('reads the Agora error’s own flag from the failure details', () => {
    expect(outcomeUnknown(agora(true))).toBe(true);
    expect(outcomeUnknown(agora(false))).toBe(false);
  });

  it('takes a timeout or an unexpected error as unknown, a configuration failure as known', () => {
    expect(outcomeUnknown(new TimeoutFailure('t', undefined, TimeoutType.START_TO_CLOSE))).toBe(true);
    expect(outcomeUnknown(ApplicationFailure.create({ type: 'UnexpectedActivityError' }))).toBe(true);
    expect(outcomeUnknown(ApplicationFailure.nonRetryable('no profile', 'StorageProfileNotFound'))).toBe(
      false,
    );
  });
});

describe("an operator's reason", () => {
  it('is kept as given when it is short text', () => {
    expect(whyNotReason(undefined)).toBeUndefined();
    expect(whyNotReason('room maintenance')).toBeUndefined();
  });

  it('is refused by the pause and stop validators when it carries control characters', () => {
    expect(whyNotReason('line1\nstop outcome  stopped')).toMatch(/control characters/);
    expect(whyNotReason('\u001b[2J')).toMatch(/control characters/);
    // A right-to-left override reverses what follows it on a terminal or in a log.
    expect(whyNotReason('maintenance \u202edeppots')).toMatch(/control characters/);
    expect(whyNotReason('isolated \u2066x\u2069')).toMatch(/control characters/);
  });

  it('comes in an object: a bare string argument is refused, not dropped', () => {
    expect(whyNotArgs(undefined)).toBeUndefined();
    expect(whyNotArgs({})).toBeUndefined();
    expect(whyNotArgs({ reason: 'x' })).toBeUndefined();
    expect(whyNotArgs('maintenance')).toMatch(/must be an object/);
    expect(whyNotArgs(['x'])).toMatch(/must be an object/);
  });

  it(`is refused when longer than ${REASON_MAX} characters`, () => {
    expect(whyNotReason('r'.repeat(REASON_MAX))).toBeUndefined();
    expect(whyNotReason('r'.repeat(REASON_MAX + 1))).toMatch(/at most 500 characters \(got 501\)/);
  });

  it('from a signal, which cannot be refused, is kept without control characters and cut to the limit', () => {
    expect(keptReason('a\nb\u001b')).toBe('a b ');
    expect(keptReason('r'.repeat(5000))).toHaveLength(REASON_MAX);
    expect(whyNotReason(keptReason('x\n'.repeat(400)))).toBeUndefined();
  });
});
