/**
 * Scenarios (scripted channel timelines) and the admin routes of the simulation.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseScenario, type AgoraEmulator, type ScenarioStep } from '../../emulator';
import { Api, CNAME } from './helpers';
import { Receiver, simForTest, until } from './sim-helpers';

let emu: AgoraEmulator;
let api: Api;
let receiver: Receiver;
afterEach(async () => {
  await emu.close();
  await receiver.close();
});

const states = (uid: string) =>
  receiver
    .events(44)
    .filter((b) => b.payload.details.streamUid === uid)
    .map((b) => b.payload.details.state);

describe('runScenario', () => {
  it('plays a timeline relative to the first session in each channel (times × timeScale)', async () => {
    ({ emu, api, receiver } = await simForTest());
    emu.runScenario([
      { afterMs: 0, action: 'join', uid: '1001' },
      { afterMs: 2000, action: 'video-off', uid: '1001' },
      { afterMs: 4000, action: 'video-on', uid: '1001' },
      { afterMs: 0, cname: 'elsewhere', action: 'join', uid: '1009' },
    ]);
    expect(emu.channel(CNAME).publishers()).toEqual([]);
    const { sid } = await api.startSession();
    await until('0 → 1 → 0', () => states('1001').length === 3);
    expect(states('1001')).toEqual([0, 1, 0]);
    const times = receiver.events(44).map((b) => b.payload.details.UtcMs as number);
    const started = emu.ledger().find((e) => e.sid === sid)?.startedAt ?? 0;
    expect((times[1] ?? 0) - started).toBeGreaterThanOrEqual(190);
    expect((times[2] ?? 0) - started).toBeGreaterThanOrEqual(390);
    // Steps for another cname wait for a session there.
    expect(emu.channel('elsewhere').publishers()).toEqual([]);
  });

  it('failover and end-session steps act on the running sessions of the channel', async () => {
    ({ emu, api, receiver } = await simForTest({ autoPublishers: ['1001'] }));
    const { sid } = await api.startSession();
    // A session already running: the timeline counts from its start.
    emu.runScenario([
      { afterMs: 500, action: 'failover', windowMs: 1000 },
      { afterMs: 3000, action: 'end-session' },
    ]);
    await until('12', () => receiver.events(12).length);
    await until('ended', () => emu.ledger().find((e) => e.sid === sid)?.endedBy === 'agora');
    await until('11', () => receiver.events(11).length);
    expect(receiver.events(11)[0]?.payload.details.exitStatus).toBe(1);
  });

  it('cancel stops pending steps', async () => {
    ({ emu, api, receiver } = await simForTest());
    const run = emu.runScenario([{ afterMs: 1000, action: 'join', uid: '1001' }]);
    await api.startSession();
    run.cancel();
    await new Promise((r) => setTimeout(r, 250));
    expect(emu.channel(CNAME).publishers()).toEqual([]);
  });

  it('validates steps; the shipped demo scenario is valid', () => {
    expect(() => parseScenario([{ afterMs: 0, action: 'join' }])).toThrow(/uid is required/);
    expect(() => parseScenario([{ afterMs: -1, action: 'failover' }])).toThrow(/afterMs/);
    expect(() => parseScenario([{ afterMs: 0, action: 'dance', uid: '1' }])).toThrow(/action/);
    const demo = JSON.parse(
      readFileSync(resolve(__dirname, '../../emulator/scenarios/demo.json'), 'utf8'),
    ) as ScenarioStep[];
    expect(parseScenario(demo).map((s) => [s.afterMs, s.action, s.uid])).toEqual([
      [0, 'join', '1001'],
      [12000, 'video-off', '1001'],
      [20000, 'video-on', '1001'],
    ]);
  });
});

describe('simulation admin API', () => {
  const admin = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) =>
    api.send(method, `/__emulator/${path}`, body, { auth: null });

  it('drives publishers over HTTP and shows the channel with its sessions', async () => {
    ({ emu, api, receiver } = await simForTest());
    const { sid } = await api.startSession();
    expect(await admin('POST', `channels/${CNAME}/publishers`, { uid: '1001' })).toMatchObject({
      status: 200,
      body: { cname: CNAME, publishers: [{ uid: '1001', video: true }] },
    });
    expect((await admin('POST', `channels/${CNAME}/publishers/1001/video`, { on: false })).status).toBe(200);
    expect((await admin('GET', `channels/${CNAME}`)).body).toEqual({
      cname: CNAME,
      publishers: [{ uid: '1001', video: false }],
      sessions: [sid],
    });
    expect((await admin('DELETE', `channels/${CNAME}/publishers/1001`)).status).toBe(200);
    await until('0 then 1', () => states('1001').length === 2);
    expect(states('1001')).toEqual([0, 1]);
    expect((await admin('POST', 'scenario', [{ afterMs: 0, action: 'join', uid: '1002' }])).status).toBe(200);
    await until('1002 joined', () => emu.channel(CNAME).publishers().length === 1);
    const notify = await admin('POST', 'notify', { sid, eventType: 33, details: { progress: 10000 } });
    expect(notify.status).toBe(200);
    await until('33', () => receiver.events(33).length);
    expect(receiver.events(33)[0]?.payload.details).toEqual({
      msgName: 'uploading_progress',
      progress: 10000,
    });
  });

  it('answers 400 for bad input and 404 for unknown uids, sids and routes', async () => {
    ({ emu, api, receiver } = await simForTest());
    expect((await admin('POST', 'channels/c/publishers', { uid: 1001 })).status).toBe(400);
    expect((await admin('POST', 'channels/c/publishers', { uid: '0' })).status).toBe(400);
    expect((await admin('POST', 'channels/c/publishers/1001/video', { on: true })).status).toBe(404);
    expect((await admin('POST', 'channels/c/publishers/1001/video', {})).status).toBe(400);
    expect((await admin('GET', 'channels/c/publishers')).status).toBe(404);
    expect((await admin('POST', 'scenario', [{ afterMs: 0, action: 'join' }])).status).toBe(400);
    expect((await admin('POST', 'notify', { sid: 'nope', eventType: 2 })).status).toBe(404);
    const { sid } = await api.startSession();
    expect((await admin('POST', 'notify', { sid, eventType: 999 })).status).toBe(400);
  });
});
