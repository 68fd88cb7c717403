import { describe, expect, it } from 'vitest';
import type { NcsEnvelope } from '../../agora/notifications';
import { ERROR_MSG_MAX, pickDetails } from '../../client/receiver/capture-event';
import { parseEnvelope } from '../../client/receiver/parse-envelope';
import { routeEvent } from '../../client/receiver/route-event';
import { ncsEnvelope, ncsEvent, omitPath } from '../helpers/ncs';

const target = { cname: 'room-1', uid: '527841', sid: 'a'.repeat(32) };

/** Through the real parser, as the server does it. */
function envelope(value: unknown): NcsEnvelope {
  const p = parseEnvelope(Buffer.from(JSON.stringify(value)));
  if (!p.ok) throw new Error(p.error);
  return p.envelope;
}
const route = (value: Record<string, unknown>) => routeEvent(envelope(value));

describe('routeEvent', () => {
  it('acknowledges other products without looking at the payload', () => {
    expect(route(ncsEnvelope(45, target, {}, { productId: 1, payload: { sid: undefined } }))).toEqual({
      kind: 'ignore',
      verdict: 'ignored-product',
    });
  });

  it('acknowledges cloud recording events the capture does not act on, even without ids', () => {
    expect(route(omitPath(ncsEvent.uploadingProgress(target, 5000), 'payload.sid'))).toEqual({
      kind: 'ignore',
      verdict: 'ignored-event',
    });
    expect(route(ncsEnvelope(999, target, {}))).toEqual({ kind: 'ignore', verdict: 'ignored-event' });
  });

  it('forwards a screenshot file as agoraEvent with only the listed fields', () => {
    const env = ncsEvent.snapshotFile(target, 'snaps/x.jpg', {
      payload: { details: { msgName: 'recorder_snapshot_file', fileName: 'snaps/x.jpg', extra: 'dropped' } },
    });
    const action = route(env);
    expect(action).toMatchObject({ kind: 'signal', signal: 'agoraEvent', target });
    if (action.kind !== 'signal') throw new Error('not a signal');
    const payload = env.payload as { sendts: number; sequence: number };
    expect(action.arg).toEqual({
      noticeId: env.noticeId,
      eventType: 45,
      ...target,
      sequence: payload.sequence,
      eventMs: payload.sendts,
      details: { fileName: 'snaps/x.jpg' },
    });
  });

  it('sends event 44 as an agoraEvent like every Agora fact, timed by UtcMs, with stream and state', () => {
    expect(route(ncsEvent.videoState(target, '1001', 1, 1_700_000_000_123))).toMatchObject({
      kind: 'signal',
      signal: 'agoraEvent',
      arg: { eventType: 44, eventMs: 1_700_000_000_123, details: { streamUid: '1001', state: 1 } },
    });
    expect(route(ncsEvent.videoState(target, '1001', 0))).toMatchObject({
      kind: 'signal',
      signal: 'agoraEvent',
      arg: { eventType: 44, details: { streamUid: '1001', state: 0 } },
    });
  });

  it('rejects event 44 with a state other than 0/1, naming the field', () => {
    const env = ncsEnvelope(44, target, { streamUid: '1', state: 7, UtcMs: 1 });
    expect(route(env)).toEqual({ kind: 'reject', error: expect.stringContaining('payload.details.state') });
  });

  it('sends newUid as a string although Agora sends a number', () => {
    expect(route(ncsEvent.failover(target, 4242))).toMatchObject({
      kind: 'signal',
      arg: { details: { newUid: '4242' } },
    });
  });

  it('accepts a numeric payload uid and forwards it as a string', () => {
    expect(route(ncsEvent.snapshotFile(target, 'k.jpg', { payload: { uid: 527841 } }))).toMatchObject({
      target: { uid: '527841' },
    });
  });

  it(`truncates errorMsg to ${ERROR_MSG_MAX} characters`, () => {
    const action = route(ncsEvent.error(target, 47, 'x'.repeat(5000)));
    expect(action).toMatchObject({ kind: 'signal', signal: 'agoraEvent' });
    if (action.kind === 'signal')
      expect((action.arg as { details: { errorMsg: string } }).details.errorMsg).toHaveLength(ERROR_MSG_MAX);
  });

  it('falls back to notifyMs when sendts is absent', () => {
    const env = omitPath(ncsEvent.snapshotFile(target, 'k.jpg', { notifyMs: 42 }), 'payload.sendts');
    expect(route(env)).toMatchObject({ arg: { eventMs: 42 } });
  });

  it.each(['cname', 'uid', 'sid'])('rejects a routed event without payload.%s', (field) => {
    expect(route(omitPath(ncsEvent.snapshotFile(target), `payload.${field}`))).toEqual({
      kind: 'reject',
      error: `payload.${field}: required`,
    });
  });

  it('rejects a routed event whose details lack what the capture needs', () => {
    expect(route(omitPath(ncsEvent.snapshotFile(target), 'payload.details.fileName'))).toEqual({
      kind: 'reject',
      error: 'payload.details.fileName: required',
    });
    expect(route(omitPath(ncsEvent.snapshotFile(target), 'payload.details'))).toEqual({
      kind: 'reject',
      error: 'payload.details: required',
    });
  });

  it('forwards event 40 (no details read) with empty details', () => {
    expect(route(ncsEnvelope(40, target, { msgName: 'recorder_started', status: 0 }))).toMatchObject({
      kind: 'signal',
      arg: { eventType: 40, details: {} },
    });
  });
});

describe('parseEnvelope', () => {
  it('names the missing envelope field', () => {
    const p = parseEnvelope(Buffer.from(JSON.stringify(omitPath(ncsEvent.snapshotFile(target), 'noticeId'))));
    expect(p).toEqual({ ok: false, kind: 'bad-envelope', error: 'noticeId: required' });
  });

  it('names a wrongly typed field without echoing its value', () => {
    const p = parseEnvelope(
      Buffer.from(JSON.stringify({ ...ncsEvent.snapshotFile(target), eventType: 'SECRET-VALUE' })),
    );
    expect(p).toMatchObject({
      ok: false,
      kind: 'bad-envelope',
      error: expect.stringMatching(/^eventType: expected number/),
    });
    if (!p.ok) expect(p.error).not.toContain('SECRET-VALUE');
  });

  it('calls a non-object body a bad envelope', () => {
    expect(parseEnvelope(Buffer.from('[]'))).toMatchObject({
      ok: false,
      kind: 'bad-envelope',
      error: expect.stringMatching(/^\(envelope\): /),
    });
  });

  it('calls malformed JSON and invalid UTF-8 bad JSON', () => {
    expect(parseEnvelope(Buffer.from('{"noticeId":'))).toMatchObject({ ok: false, kind: 'bad-json' });
    expect(parseEnvelope(Buffer.from([0x7b, 0xff, 0x7d]))).toMatchObject({
      ok: false,
      kind: 'bad-json',
      error: expect.stringContaining('UTF-8'),
    });
  });
});

describe('pickDetails', () => {
  it('keeps only listed fields of the expected types', () => {
    expect(pickDetails({ state: '1', errorCode: 32, fileName: 7, streamUid: 12, unknown: 1 })).toEqual({
      errorCode: 32,
      streamUid: '12',
    });
  });
});
