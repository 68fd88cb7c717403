/**
 * History → sessions that may still bill. Recorded histories (test/replay) cut where a
 * terminate would have cut them, and built facts for the cases no recording holds.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { type HistoryFact, historyFacts } from '../../activities/history-facts';
import { openSessions, parseOpenSessionValue } from '../../activities/open-sessions';
import { reapWorkflowId } from '../../workflows/reap-target';

const HISTORIES = path.join(__dirname, '..', 'replay', 'histories');

/** One callback as the receiver forwards it (agoraEvent's shape). */
const callback = (sid: string, eventType: number, details: Record<string, unknown> = {}) => ({
  noticeId: `n-${sid}-${eventType}`,
  eventType,
  cname: 'room',
  uid: '527841',
  sid,
  eventMs: 1,
  details,
});

function events(name: string): temporal.api.history.v1.IHistoryEvent[] {
  return historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES, name), 'utf8'))).events ?? [];
}

/** The history as a terminate right after event `lastEventId` would have left it. */
const cutAfter = (name: string, lastEventId: number) =>
  events(name).filter((e) => Number(e.eventId) <= lastEventId);

/** The first start's ids and event id, and the event id of the first stop's scheduling. */
function startOf(name: string): {
  resourceId: string;
  sid: string;
  startScheduled: number;
  stopScheduled: number;
} {
  const facts = historyFacts(events(name));
  const scheduled = facts.find((f) => f.kind === 'scheduled' && f.activity === 'start');
  const completed = facts.find(
    (f) => f.kind === 'completed' && scheduled?.kind === 'scheduled' && f.scheduledId === scheduled.eventId,
  );
  const stop = facts.find((f) => f.kind === 'scheduled' && f.activity === 'stop');
  return {
    resourceId: (scheduled as { input: { resourceId: string } }).input.resourceId,
    sid: (completed as { result: { sid: string } }).result.sid,
    startScheduled: (scheduled as { eventId: number }).eventId,
    stopScheduled: (stop as { eventId: number }).eventId,
  };
}

describe('sessions a closed capture run may have left billing', () => {
  it('none when the run stopped its session (duration elapsed, stop signal, cancel)', () => {
    for (const name of [
      'duration-elapsed.json',
      'stop-signal.json',
      'cancelled.json',
      'operator-pause-resume.json',
    ])
      expect(openSessions(historyFacts(events(name))), name).toEqual([]);
  });

  it('none when Agora ended the session itself (event 11 callback)', () => {
    expect(openSessions(historyFacts(events('callbacks-agora-ended.json')))).toEqual([]);
  });

  it('the started session, with its sid and request, when the run ended before its stop', () => {
    const { resourceId, sid, stopScheduled } = startOf('duration-elapsed.json');
    // Terminated while capturing: start completed, no stop scheduled yet.
    const open = openSessions(historyFacts(cutAfter('duration-elapsed.json', stopScheduled - 1)));
    expect(open).toEqual([
      expect.objectContaining({
        resourceId,
        sid,
        candidateSids: [],
        request: expect.objectContaining({ channel: expect.any(String) }),
      }),
    ]);
    expect(open[0]!.expiresAtMs).toBeGreaterThan(Date.parse('2026-01-01'));
  });

  it('the session when its stop was scheduled but never answered (stop in flight)', () => {
    const { sid, stopScheduled } = startOf('duration-elapsed.json');
    expect(openSessions(historyFacts(cutAfter('duration-elapsed.json', stopScheduled)))).toEqual([
      expect.objectContaining({ sid }),
    ]);
  });

  it('the resourceId with the sid unknown when the start was in flight', () => {
    const { resourceId, startScheduled } = startOf('duration-elapsed.json');
    const open = openSessions(historyFacts(cutAfter('duration-elapsed.json', startScheduled)));
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ resourceId, candidateSids: [] });
    expect(open[0]!.sid).toBeUndefined();
  });

  it('nothing while only acquire ran (no start was scheduled)', () => {
    const { startScheduled } = startOf('duration-elapsed.json');
    expect(openSessions(historyFacts(cutAfter('duration-elapsed.json', startScheduled - 1)))).toEqual([]);
  });
});

describe('captures past 24 h: rollover segments (workflows/rollover.ts)', () => {
  it('a run cut during the overlap leaves both sessions, each with the recorder uid it started under', () => {
    const facts = historyFacts(events('segments-72h.json'));
    const scheduled = (activity: string) =>
      facts.filter((f) => f.kind === 'scheduled' && f.activity === activity) as { eventId: number }[];
    const secondStart = scheduled('start')[1]!.eventId;
    const firstRolloverStop = scheduled('stop').find((f) => f.eventId > secondStart)!.eventId;
    const open = openSessions(historyFacts(cutAfter('segments-72h.json', firstRolloverStop - 1)));
    expect(open).toHaveLength(2);
    expect(open.map((o) => o.request?.recorderUid)).toEqual(['527841', '527842']);
    expect(open.every((o) => o.sid !== undefined)).toBe(true);
  });

  it("a continue-as-new run's carried rollover session is stopped under its own uid", () => {
    const request = { channel: 'room42', recorderUid: '527841', durationSeconds: 259200 };
    const carried = {
      sessions: [
        { resourceId: 'rid-old', sid: 'sid-old', startAttemptMs: 1, billableUntilMs: 9 },
        { resourceId: 'rid-new', sid: 'sid-new', startAttemptMs: 5, billableUntilMs: 9, uid: '527842' },
      ],
    };
    const open = openSessions([{ kind: 'started', input: [request, carried] }]);
    expect(open.map((o) => [o.sid, o.request?.recorderUid])).toEqual([
      ['sid-old', '527841'],
      ['sid-new', '527842'],
    ]);
  });

  it('none once every segment was stopped, including the last', () => {
    expect(openSessions(historyFacts(events('segments-72h.json')))).toEqual([]);
  });
});

describe('start outcomes (built facts)', () => {
  const request = {
    channel: 'room',
    recorderUid: '7',
    durationSeconds: 60,
    timings: { failoverWindowSeconds: 4 },
  };
  const started: HistoryFact = { kind: 'started', input: [request] };
  const start = (eventId: number, resourceId: string): HistoryFact => ({
    kind: 'scheduled',
    eventId,
    activity: 'start',
    input: { request, resourceId, durationSeconds: 60 },
    atMs: 1_000_000,
  });

  it('a start Agora definitively refused (outcomeUnknown false) leaves nothing', () => {
    const facts: HistoryFact[] = [
      started,
      start(5, 'rid-1'),
      {
        kind: 'failed',
        scheduledId: 5,
        failureType: 'AgoraTaskConflict',
        details: { outcomeUnknown: false },
      },
    ];
    expect(openSessions(facts)).toEqual([]);
  });

  it('a start that failed with an unknown outcome, or timed out, leaves its resourceId open', () => {
    for (const failed of [
      { kind: 'failed', scheduledId: 5, failureType: 'AgoraTimeout', details: { outcomeUnknown: true } },
      { kind: 'failed', scheduledId: 5 },
    ] as HistoryFact[]) {
      const open = openSessions([started, start(5, 'rid-1'), failed]);
      expect(open.map((o) => [o.resourceId, o.sid])).toEqual([['rid-1', undefined]]);
    }
  });

  it('a 201/7 failure carrying the sid names the session', () => {
    const facts: HistoryFact[] = [
      started,
      start(5, 'rid-1'),
      {
        kind: 'failed',
        scheduledId: 5,
        failureType: 'AgoraAlreadyStarted',
        details: { sid: 'sid-1', outcomeUnknown: false },
      },
    ];
    expect(openSessions(facts)).toEqual([expect.objectContaining({ resourceId: 'rid-1', sid: 'sid-1' })]);
  });

  it("callbacks' sids become candidates of a sid-less resourceId, except sessions that exited", () => {
    const facts: HistoryFact[] = [
      started,
      start(5, 'rid-1'),
      {
        kind: 'failed',
        scheduledId: 5,
        failureType: 'AgoraAlreadyStarted',
        details: { outcomeUnknown: false },
      },
      {
        kind: 'signal',
        name: 'agoraEvent',
        input: {
          events: [callback('cb-1', 40), callback('old', 11, { exitStatus: 0 })],
        },
      },
    ];
    // 201/7 without a sid: a session runs there; the callbacks' live sid is the candidate.
    expect(openSessions(facts)).toEqual([
      expect.objectContaining({ resourceId: 'rid-1', candidateSids: ['cb-1'] }),
    ]);
    const unknown: HistoryFact[] = [
      started,
      start(5, 'rid-1'),
      { kind: 'failed', scheduledId: 5, failureType: 'AgoraServerError', details: { outcomeUnknown: true } },
      {
        kind: 'signal',
        name: 'agoraEvent',
        input: {
          events: [callback('cb-1', 40), callback('old', 11, { exitStatus: 0 })],
        },
      },
    ];
    expect(openSessions(unknown)).toEqual([
      expect.objectContaining({ resourceId: 'rid-1', candidateSids: ['cb-1'] }),
    ]);
  });

  it('reads past an agoraEvent signal sent by hand that is not callbacks, as the capture did', () => {
    const facts: HistoryFact[] = [
      started,
      start(5, 'rid-1'),
      { kind: 'failed', scheduledId: 5, failureType: 'AgoraServerError', details: { outcomeUnknown: true } },
      { kind: 'signal', name: 'agoraEvent', input: { events: 5 } },
      { kind: 'signal', name: 'agoraEvent', input: { events: [null, { sid: 'typed', eventType: 11 }] } },
      { kind: 'signal', name: 'agoraEvent', input: 'hello' },
      { kind: 'signal', name: 'agoraEvent', input: { events: [callback('cb-1', 40)] } },
    ];
    expect(openSessions(facts)).toEqual([
      expect.objectContaining({ resourceId: 'rid-1', candidateSids: ['cb-1'] }),
    ]);
  });

  it("a continue-as-new run's carried segments and unsettled starts", () => {
    const carried = {
      segments: [
        { resourceId: 'rid-old', sid: 'sid-old', startedAtMs: 1, endedAtMs: 2 },
        { resourceId: 'rid-live', sid: 'sid-live', startedAtMs: 3 },
      ],
      unsettledStarts: ['rid-unsettled'],
      startedAtMs: 1,
    };
    const open = openSessions([{ kind: 'started', input: [request, carried] }]);
    expect(open.map((o) => [o.resourceId, o.sid])).toEqual([
      ['rid-live', 'sid-live'],
      ['rid-unsettled', undefined],
    ]);
  });

  it('CaptureOpenSessions values add sessions; a completed stop in history removes them', () => {
    const facts: HistoryFact[] = [
      started,
      {
        kind: 'scheduled',
        eventId: 9,
        activity: 'stop',
        input: { resourceId: 'rid-2', sid: 'sid-2' },
        atMs: 2,
      },
      { kind: 'completed', scheduledId: 9, result: { outcome: 'stopped' } },
    ];
    const open = openSessions(facts, ['rid-1:sid-1', 'rid-2:sid-2', 'rid-3:']);
    expect(open.map((o) => [o.resourceId, o.sid])).toEqual([
      ['rid-1', 'sid-1'],
      ['rid-3', undefined],
    ]);
  });
});

describe('helpers', () => {
  it('parses CaptureOpenSessions values, a resourceId may contain ":"', () => {
    expect(parseOpenSessionValue('a:b:sid')).toEqual({ resourceId: 'a:b', sid: 'sid' });
    expect(parseOpenSessionValue('rid:')).toEqual({ resourceId: 'rid' });
    expect(parseOpenSessionValue('nocolon')).toBeUndefined();
  });

  it('gives one reaper id per session, stable across processes', () => {
    expect(reapWorkflowId('rid', 'sid')).toBe(reapWorkflowId('rid', 'sid'));
    expect(reapWorkflowId('rid', 'sid')).not.toBe(reapWorkflowId('rid', undefined));
    expect(reapWorkflowId('rid', 'sid')).toMatch(/^reap\/[0-9a-f]{16}$/);
  });
});
