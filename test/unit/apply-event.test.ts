import { describe, expect, it } from 'vitest';
import { drainInbox } from '../../workflows/inbox';
import { toStatus } from '../../workflows/report';
import { type CaptureRequest, validateCaptureRequest } from '../../workflows/request';
import { type CaptureState, initialState, isPaused } from '../../workflows/state';
import { EventScript, SID, shuffledWithDuplicates } from '../helpers/capture-events';
import { captureRequest } from '../helpers/fixtures';

function request(rc: Record<string, unknown> = { subscribeVideoUids: ['1001', '1002'] }): CaptureRequest {
  const v = validateCaptureRequest(captureRequest({ channel: 'room42', recorderUid: '527841' }, rc));
  if (!v.ok) throw new Error('fixture invalid');
  return v.request;
}

function capturing(): CaptureState {
  const s = initialState('capture/room42/527841');
  s.segments.push({ index: 0, resourceId: 'rid', sid: SID, uid: '527841', startedAtMs: 0, failovers: 0 });
  s.sid = SID;
  return s;
}

function deliver(events: EventScript['events'], req = request()): CaptureState {
  const s = capturing();
  s.inbox.push(...events);
  drainInbox(s, req, 0);
  return s;
}

const ids = { channel: 'room42', recorderUid: '527841' };

describe('what callbacks mean for a capture', () => {
  it('is PAUSED only when every reported stream lost its video', () => {
    const s = capturing();
    const req = request();
    const script = new EventScript().video('1001', true, 1).video('1002', true, 1).video('1001', false, 10);
    s.inbox.push(...script.events);
    drainInbox(s, req, 0);
    expect(isPaused(s)).toBe(false);
    s.inbox.push(...script.video('1002', false, 20).events.slice(-1));
    drainInbox(s, req, 0);
    expect(isPaused(s)).toBe(true);
    s.inbox.push(...script.video('1001', true, 50).events.slice(-1));
    drainInbox(s, req, 0);
    expect(isPaused(s)).toBe(false);
    expect(s.videoLostMs).toBe(30_000);
    expect(s.pauseCount).toBe(1);
  });

  it('ignores video changes of streams it did not subscribe to', () => {
    const s = deliver(new EventScript().video('1001', true, 1).video('7777', false, 2).events);
    expect(Object.keys(s.streams)).toEqual(['1001']);
  });

  it('counts screenshots per uid with the first and last capture time, once per file', () => {
    const script = new EventScript().shot('1001', 5).shot('1001', 10).shot('1002', 7);
    const s = deliver([
      ...script.events,
      { ...script.events[0]!, noticeId: 'resend-with-new-id', sequence: 99 },
    ]);
    expect(toStatus(s, ids, request(), 0).screenshots).toEqual({
      '1001': {
        count: 2,
        first: expect.stringContaining('12:00:05'),
        last: expect.stringContaining('12:00:10'),
      },
      '1002': {
        count: 1,
        first: expect.stringContaining('12:00:07'),
        last: expect.stringContaining('12:00:07'),
      },
    });
  });

  it('follows a failover: new bot uid, later events with that uid still count', () => {
    const script = new EventScript().shot('1001', 5).failover('88001', 30).shot('1001', 40, 0);
    const s = deliver(script.events);
    expect(s.segments[0]).toMatchObject({ uid: '88001', failovers: 1 });
    expect(s.screenshots['1001']?.count).toBe(2);
    expect(s.failovers).toEqual([{ atMs: expect.any(Number), sid: SID, newUid: '88001' }]);
  });

  it('takes session_exit as Agora ending the session', () => {
    const s = deliver(new EventScript().exit(60).events);
    expect(s.sessionGone).toBe(true);
    expect(s.segments[0]).toMatchObject({ endedBy: 'agora' });
  });

  it('ends the segment when Agora says the session ended, not when the capture heard of it', () => {
    const s = capturing();
    const script = new EventScript().exit(60);
    s.segments[0]!.startedAtMs = script.events[0]!.eventMs - 60_000;
    s.inbox.push(...script.events);
    // Heard 27 s late (a worker was down): the segment still ends at Agora's time.
    drainInbox(s, request(), script.events[0]!.eventMs + 27_000);
    expect(s.segments[0]).toMatchObject({ endedAtMs: script.events[0]!.eventMs, endedBy: 'agora' });
  });

  it("ignores another session's events", () => {
    const s = deliver(new EventScript('room42', '527841', 'f'.repeat(32)).exit(60).shot('1001', 5).events);
    expect(s.sessionGone).toBe(false);
    expect(s.counters.otherSid).toBe(2);
  });

  it.each(Array.from({ length: 30 }, (_, i) => i + 1))(
    'ends in the same status after a shuffled, duplicated delivery as after a clean one (seed %i)',
    (seed) => {
      const script = new EventScript();
      for (let i = 0; i < 10; i++) script.shot('1001', i * 5).shot('1002', i * 5 + 1);
      script
        .video('1001', true, 0)
        .video('1002', true, 0)
        .video('1001', false, 12)
        .video('1002', false, 13)
        .video('1002', true, 33);
      script.failover('88001', 40).shot('1001', 45, 0).video('1001', true, 46);
      const clean = toStatus(deliver(script.events), ids, request(), 0);
      const messy = toStatus(deliver(shuffledWithDuplicates(script.events, seed)), ids, request(), 0);
      expect({ ...messy, events: undefined }).toEqual({ ...clean, events: undefined });
      expect(messy.events.applied).toBe(clean.events.applied);
    },
  );
});
