import { describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../client/receiver/parse-envelope';
import { routeEvent } from '../../client/receiver/route-event';
import { ID_MAX, checkEvent, readAgoraEvents } from '../../workflows/event-shape';
import type { CaptureEvent } from '../../workflows/messages';
import { ncsEnvelope, ncsEvent } from '../helpers/ncs';

const target = { cname: 'room-1', uid: '527841', sid: 'a'.repeat(32) };

/** What the receiver signals for an envelope (through its real parser and router). */
function forwarded(value: unknown): CaptureEvent {
  const p = parseEnvelope(Buffer.from(JSON.stringify(value)));
  if (!p.ok) throw new Error(p.error);
  const action = routeEvent(p.envelope);
  if (action.kind !== 'signal') throw new Error(`not forwarded: ${JSON.stringify(action)}`);
  return action.arg;
}

const good = (): Record<string, unknown> =>
  structuredClone(forwarded(ncsEvent.snapshotFile(target))) as unknown as Record<string, unknown>;

describe('the events an agoraEvent signal may carry', () => {
  it('keeps every event the receiver forwards, exactly as it was sent', () => {
    const events = [
      forwarded(ncsEvent.snapshotFile(target)),
      forwarded(ncsEvent.videoState(target, '1001', 1)),
      forwarded(ncsEvent.failover(target, 9999)),
      forwarded(ncsEvent.error(target, 32)),
      forwarded(ncsEnvelope(11, target, { msgName: 'session_exit', exitStatus: 0 })),
      forwarded(ncsEnvelope(41, target, { msgName: 'recorder_leave', leaveCode: 4 })),
    ];
    expect(readAgoraEvents({ events })).toEqual({ events, malformed: 0 });
  });

  it('keeps only the fields the capture reads', () => {
    const base = good();
    const e = { ...base, extra: 'x', details: { ...(base.details as object), more: 1 } };
    const c = checkEvent(e);
    expect(c.ok && c.event).toEqual(base);
  });

  it.each([
    ['sid', (e: Record<string, unknown>) => delete e.sid, 'sid: must be a non-empty string'],
    ['noticeId', (e: Record<string, unknown>) => (e.noticeId = 'n'.repeat(ID_MAX + 1)), 'noticeId: must be'],
    ['eventType', (e: Record<string, unknown>) => (e.eventType = '45'), 'eventType: must be an integer'],
    ['eventMs', (e: Record<string, unknown>) => (e.eventMs = null), 'eventMs: must be a number'],
    ['sequence', (e: Record<string, unknown>) => (e.sequence = -1), 'sequence: must be an integer ≥ 0'],
    ['details', (e: Record<string, unknown>) => (e.details = [1]), 'details: must be an object'],
    [
      'details.screenshot',
      (e: Record<string, unknown>) => ((e.details as Record<string, unknown>).screenshot = 'x'),
      'details.screenshot: must be',
    ],
    [
      'details.state',
      (e: Record<string, unknown>) => ((e.details as Record<string, unknown>).state = 'off'),
      'details.state: must be a number',
    ],
  ])('drops an event whose %s is wrong, naming it', (_field, breakIt, problem) => {
    const e = good();
    breakIt(e);
    const c = checkEvent(e);
    expect(c.ok).toBe(false);
    expect(!c.ok && c.problem).toContain(problem);
  });

  it('keeps the good events of a signal and counts the others', () => {
    const ok = good();
    const r = readAgoraEvents({ events: [null, ok, 5, { ...ok, details: null }] });
    expect(r).toMatchObject({ events: [ok], malformed: 3, problem: 'event: must be an object' });
  });

  it.each([[{ events: 5 }], [{ events: { 0: {} } }], [null], ['events'], [[{}]]])(
    'counts a signal whose argument has no events list as one dropped: %j',
    (arg) => {
      expect(readAgoraEvents(arg)).toEqual({ events: [], malformed: 1, problem: 'events: must be an array' });
    },
  );
});

describe('the receiver', () => {
  it('answers 400 for a callback the capture would drop, naming the field', () => {
    const tooLong = ncsEvent.snapshotFile(target, undefined, { noticeId: 'n'.repeat(ID_MAX + 1) });
    const p = parseEnvelope(Buffer.from(JSON.stringify(tooLong)));
    if (!p.ok) throw new Error(p.error);
    expect(routeEvent(p.envelope)).toMatchObject({
      kind: 'reject',
      error: expect.stringContaining('the callback as an event: noticeId: must be a non-empty string'),
    });
  });
});
