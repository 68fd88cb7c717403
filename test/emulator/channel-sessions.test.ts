/**
 * How the simulated channel drives a session: idle end after maxIdleTime (scaled), 206/435 on a
 * stop when nobody subscribed ever published, autoPublishers, and the REST-only default where an
 * empty channel has no consequences.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AgoraEmulator, EmulatorOptions } from '../../emulator';
import { Api, CNAME, emulatorForTest } from './helpers';
import { Receiver, simForTest, until } from './sim-helpers';

let emu: AgoraEmulator;
let api: Api;
let receiver: Receiver | undefined;
async function setup(extra: Partial<EmulatorOptions> = {}) {
  ({ emu, api, receiver } = await simForTest(extra));
}
afterEach(async () => {
  await emu.close();
  await receiver?.close();
  receiver = undefined;
});

const idle5s = (b: { clientRequest: { recordingConfig: { maxIdleTime: number } } }) =>
  (b.clientRequest.recordingConfig.maxIdleTime = 5);

describe('idle end (maxIdleTime)', () => {
  it('an empty channel ends the session after maxIdleTime × timeScale: 41 leaveCode 4, 11, then 49 and 404', async () => {
    await setup({ exitingMs: 300 });
    const t0 = Date.now();
    const { resourceId, sid } = await api.startSession(idle5s);
    await until('idle end', () => emu.ledger()[0]?.endedBy === 'idle');
    // 5 s × 0.1 = 500 ms (timers are never early).
    expect(Date.now() - t0).toBeGreaterThanOrEqual(480);
    expect(emu.ledger()[0]).toMatchObject({ active: false, stopCalls: 0 });
    await until('11', () => receiver?.events(11).length);
    const tail = receiver!.delivered().slice(-2);
    expect(tail.map((b) => [b.eventType, b.payload.details])).toEqual([
      [41, { msgName: 'recorder_leave', leaveCode: 4 }],
      [11, { msgName: 'session_exit', exitStatus: 0 }],
    ]);
    expect((await api.stop(resourceId, sid)).body.code).toBe(49);
    await until('404 after exitingMs', async () => (await api.stop(resourceId, sid)).status === 404);
  });

  it('a publisher keeps it alive; the idle clock restarts when the last one leaves', async () => {
    await setup();
    const ch = emu.channel(CNAME);
    ch.join('1001');
    const { sid } = await api.startSession(idle5s);
    await new Promise((r) => setTimeout(r, 700));
    expect(emu.ledger()[0]?.active).toBe(true);
    const left = Date.now();
    ch.leave('1001');
    await until('idle end', () => emu.ledger().find((e) => e.sid === sid)?.endedBy === 'idle');
    expect(Date.now() - left).toBeGreaterThanOrEqual(480);
  });

  it('without a callback or autoPublishers the channel is not simulated: no idle end, stop is 200', async () => {
    ({ emu, api } = await emulatorForTest({ now: Date.now, timeScale: 0.01 }));
    const { resourceId, sid } = await api.startSession(idle5s);
    await new Promise((r) => setTimeout(r, 200));
    expect(emu.ledger()[0]?.active).toBe(true);
    expect((await api.stop(resourceId, sid)).status).toBe(200);
  });
});

describe('stop when nothing was recorded', () => {
  it('is 206 code 435 when no subscribed uid ever published, and ends the session', async () => {
    await setup();
    const { resourceId, sid } = await api.startSession();
    const r = await api.stop(resourceId, sid);
    expect(r).toMatchObject({ status: 206, body: { code: 435, reason: 'no recorded data', sid } });
    expect(emu.ledger()[0]).toMatchObject({ active: false, endedBy: 'stop', stopCalls: 0 });
    await until('11', () => receiver?.events(11).length);
    expect((await api.stop(resourceId, sid)).body.code).toBe(49);
  });

  it('is 200 once a subscribed uid published, even if it left before the stop', async () => {
    await setup();
    const { resourceId, sid } = await api.startSession();
    emu.channel(CNAME).join('1001');
    emu.channel(CNAME).leave('1001');
    expect((await api.stop(resourceId, sid)).status).toBe(200);
  });

  it('a user recordedNothing hook still decides', async () => {
    await setup({ hooks: { recordedNothing: () => false } });
    const { resourceId, sid } = await api.startSession();
    expect((await api.stop(resourceId, sid)).status).toBe(200);
  });
});

describe('autoPublishers', () => {
  it('are in every channel with video from its first use, and make the channel simulated', async () => {
    ({ emu, api } = await emulatorForTest({ now: Date.now, autoPublishers: ['1001', '1002'] }));
    expect(emu.channel('another').publishers()).toEqual([
      { uid: '1001', video: true },
      { uid: '1002', video: true },
    ]);
    const { resourceId, sid } = await api.startSession();
    expect(
      emu
        .channel(CNAME)
        .publishers()
        .map((p) => p.uid),
    ).toEqual(['1001', '1002']);
    expect((await api.stop(resourceId, sid)).status).toBe(200);
  });

  it('reject an invalid uid at startup', async () => {
    await expect(emulatorForTest({ autoPublishers: ['0'] })).rejects.toThrow(/uid/);
    ({ emu } = await emulatorForTest());
  });
});

describe('channel handle', () => {
  it('join/leave/setVideo/publishers, with input checks', async () => {
    ({ emu, api } = await emulatorForTest());
    const ch = emu.channel('c1');
    ch.join('7');
    ch.join('8', { video: false });
    ch.setVideo('8', true);
    ch.setVideo('7', false);
    expect(ch.publishers()).toEqual([
      { uid: '7', video: false },
      { uid: '8', video: true },
    ]);
    ch.leave('7');
    ch.leave('7');
    expect(ch.publishers()).toEqual([{ uid: '8', video: true }]);
    expect(() => ch.setVideo('9', true)).toThrow(/not in channel/);
    expect(() => ch.join('abc')).toThrow(/uid/);
    expect(emu.channel('c1')).toBe(ch);
  });
});
