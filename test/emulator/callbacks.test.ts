/**
 * NCS callbacks: envelope and details per the reference, both signatures, the per-session
 * sequence, the event order of a session's life, and Agora's resend behaviour.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AgoraEmulator, EmulatorOptions } from '../../emulator';
import { Api, CNAME, UID } from './helpers';
import { Receiver, simForTest, until } from './sim-helpers';

let emu: AgoraEmulator;
let api: Api;
let receiver: Receiver;
async function setup(extra: Partial<EmulatorOptions> = {}) {
  ({ emu, api, receiver } = await simForTest(extra));
}
afterEach(async () => {
  await emu.close();
  await receiver.close();
});

describe('callback body and headers', () => {
  it('matches the reference envelope, with both signatures over the raw body', async () => {
    await setup();
    emu.channel(CNAME).join('1001');
    const { sid } = await api.startSession();
    await until('40 and 44', () => receiver.events(40).length && receiver.events(44).length);
    for (const got of receiver.got) {
      expect(got.sha1Ok).toBe(true);
      expect(got.sha256Ok).toBe(true);
      expect(got.headers['content-type']).toBe('application/json');
      expect(Object.keys(got.body)).toEqual(['noticeId', 'productId', 'eventType', 'notifyMs', 'payload']);
      expect(Object.keys(got.body.payload)).toEqual([
        'cname',
        'uid',
        'sid',
        'sequence',
        'sendts',
        'serviceType',
        'details',
      ]);
    }
    const [started] = receiver.events(40);
    expect(started).toEqual({
      noticeId: expect.any(String),
      productId: 3,
      eventType: 40,
      notifyMs: expect.any(Number),
      payload: {
        cname: CNAME,
        uid: UID,
        sid,
        sequence: 0,
        sendts: expect.any(Number),
        serviceType: 1,
        details: { msgName: 'recorder_started', status: 0 },
      },
    });
    expect(receiver.events(44)[0]?.payload.details).toEqual({
      msgName: 'recorder_video_stream_state_changed',
      streamUid: '1001',
      state: 0,
      UtcMs: expect.any(Number),
    });
  });

  it('a session sends 40, 44, one 45 per shot, then 41 (leaveCode 16) and 11 on stop, numbered from 0', async () => {
    await setup();
    emu.channel(CNAME).join('1001');
    const { resourceId, sid } = await api.startSession();
    await until('two screenshots', () => receiver.events(45).length >= 2);
    expect((await api.stop(resourceId, sid)).status).toBe(200);
    await until('session_exit', () => receiver.events(11).length);
    const bodies = receiver.delivered().sort((a, b) => a.payload.sequence - b.payload.sequence);
    expect(bodies.map((b) => b.payload.sequence)).toEqual(bodies.map((_, i) => i));
    const types = bodies.map((b) => b.eventType);
    expect(types.slice(0, 2)).toEqual([40, 44]);
    expect(types.slice(-2)).toEqual([41, 11]);
    expect(new Set(types.slice(2, -2))).toEqual(new Set([45]));
    expect(bodies.at(-2)?.payload).toMatchObject({
      serviceType: 1,
      details: { msgName: 'recorder_leave', leaveCode: 16 },
    });
    expect(bodies.at(-1)?.payload).toMatchObject({
      serviceType: 0,
      details: { msgName: 'session_exit', exitStatus: 0 },
    });
    expect(new Set(bodies.map((b) => `${b.payload.sid}/${b.payload.uid}/${b.payload.cname}`))).toEqual(
      new Set([`${sid}/${UID}/${CNAME}`]),
    );
    // Without faults notifications arrive in sequence order.
    expect(receiver.delivered().map((b) => b.payload.sequence)).toEqual(bodies.map((_, i) => i));
    expect(new Set(bodies.map((b) => b.noticeId)).size).toBe(bodies.length);
  });

  it('REST answers do not wait for callbacks', async () => {
    await setup({ callbackTimeoutMs: 5000 });
    receiver.answer = () => new Promise((r) => setTimeout(() => r(200), 1500));
    const t0 = Date.now();
    await api.startSession();
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('delivery and resends', () => {
  it('resends a notification answered 500, same noticeId, new notifyMs, until a 200', async () => {
    await setup();
    receiver.answer = (body, i) => (body.eventType === 40 && i < 2 ? 500 : 200);
    await api.startSession();
    // The emulator records an attempt once it has read the answer, just after the receiver sent it.
    const rec = await until('40 delivered', () =>
      emu.callbacks().find((c) => c.eventType === 40 && c.delivered),
    );
    const forty = receiver.got.filter((g) => g.body.eventType === 40);
    expect(forty.map((g) => g.status)).toEqual([500, 500, 200]);
    expect(new Set(forty.map((g) => g.body.noticeId)).size).toBe(1);
    const notify = forty.map((g) => g.body.notifyMs);
    expect(notify[1]).toBeGreaterThan(notify[0]!);
    expect(notify[2]).toBeGreaterThan(notify[1]!);
    expect(forty.every((g) => g.sha256Ok && g.sha1Ok)).toBe(true);
    expect(rec).toMatchObject({ delivered: true, sequence: 0 });
    expect(rec.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(rec.attempts.map((a) => a.at)).toEqual(notify);
  });

  it('gives up after 3 resends (4 attempts)', async () => {
    await setup();
    receiver.answer = (body) => (body.eventType === 40 ? 503 : 200);
    await api.startSession();
    const rec = await until('4 attempts', () =>
      emu.callbacks().find((c) => c.eventType === 40 && c.attempts.length === 4),
    );
    expect(rec.delivered).toBe(false);
    // The last resend delay (150 ms) passes without a fifth attempt.
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.got.filter((g) => g.body.eventType === 40)).toHaveLength(4);
  });

  it('does not resend after a 200', async () => {
    await setup();
    emu.channel(CNAME).join('1001');
    const { resourceId, sid } = await api.startSession();
    await until('a screenshot', () => receiver.events(45).length);
    await api.stop(resourceId, sid);
    await until('11 recorded', () => emu.callbacks().find((c) => c.eventType === 11 && c.delivered));
    for (const rec of emu.callbacks()) expect(rec.attempts.map((a) => a.status)).toEqual([200]);
    const ids = receiver.got.map((g) => g.body.noticeId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('an answer later than the timeout counts as a failure and is resent', async () => {
    await setup({ callbackTimeoutMs: 200 });
    receiver.answer = (body, i) =>
      body.eventType === 40 && i === 0 ? new Promise((r) => setTimeout(() => r(200), 600)) : 200;
    await api.startSession();
    const rec = await until('40 delivered', () =>
      emu.callbacks().find((c) => c.eventType === 40 && c.delivered),
    );
    expect(rec.attempts[0]).toMatchObject({ error: expect.stringMatching(/200 ms/) });
    expect(rec.attempts.at(-1)?.status).toBe(200);
  });

  it('without a callback URL nothing is sent or recorded', async () => {
    await setup({ callback: undefined });
    await api.startSession();
    expect(emu.callbacks()).toEqual([]);
  });
});
