/**
 * Failover as the channel simulation sees it: 404 window (scaled), screenshots paused, then
 * event 12 with a numeric newUid, the new uid in later payloads, `bak<n>_` files, the sequence
 * continuing, and a fourth failover ending the session with an error and exitStatus 1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AgoraEmulator } from '../../emulator';
import { Api, CNAME, UID } from './helpers';
import { listFiles, Receiver, simForTest, until } from './sim-helpers';

let emu: AgoraEmulator;
let api: Api;
let receiver: Receiver;
let bucketDir: string;
afterEach(async () => {
  await emu.close();
  await receiver.close();
});

const fileNames = () => receiver.events(45).map((b) => b.payload.details.fileName as string);

describe('failover', () => {
  it('pauses screenshots for the window, then rejoins with a new uid (event 12) and writes bak0_ files', async () => {
    ({ emu, api, receiver, bucketDir } = await simForTest());
    emu.channel(CNAME).join('1001');
    const { resourceId, sid } = await api.startSession();
    await until('a screenshot', () => receiver.events(45).length);
    // 10 s × timeScale 0.1 = 1 s of 404s, two screenshot intervals.
    const failoverAt = Date.now();
    emu.failover(sid, { windowMs: 10_000 });
    expect((await api.query(resourceId, sid)).status).toBe(404);
    const twelve = await until('event 12', () => receiver.events(12)[0]);
    // Notifications arrive in order without faults, so every 45 sent before the 12 is here now.
    const shotsBefore = receiver.events(45).filter((b) => b.payload.sequence < twelve.payload.sequence);
    expect(shotsBefore.filter((b) => b.payload.sendts > failoverAt)).toEqual([]);
    const newUid = twelve.payload.details.newUid;
    expect(typeof newUid).toBe('number');
    expect(Number.isInteger(newUid) && (newUid as number) >= 1 && (newUid as number) < 2 ** 32).toBe(true);
    expect(String(newUid)).not.toBe(UID);
    expect(twelve.payload).toMatchObject({
      uid: String(newUid),
      serviceType: 0,
      details: { msgName: 'session_failover' },
    });
    expect((await api.query(resourceId, sid)).status).toBe(200);

    await until('a bak0_ screenshot', () => fileNames().some((k) => k.includes('/bak0_')));
    const after = receiver.delivered().filter((b) => b.payload.sequence > twelve.payload.sequence);
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(after.map((b) => b.payload.uid))).toEqual(new Set([String(newUid)]));
    // The new bot reports the video it receives afresh.
    expect(after.find((b) => b.eventType === 44)?.payload.details).toMatchObject({
      streamUid: '1001',
      state: 0,
    });
    const keys = fileNames();
    expect(keys.filter((k) => !k.includes('bak'))).toHaveLength(shotsBefore.length);
    expect(
      keys
        .slice(shotsBefore.length)
        .every((k) => /^snaps\/room42\/bak0_[0-9a-f]{32}_room42__uid_s_1001__/.test(k)),
    ).toBe(true);
    expect(listFiles(bucketDir).filter((f) => f.includes('/bak0_')).length).toBeGreaterThan(0);

    const seqs = receiver.delivered().map((b) => b.payload.sequence);
    expect([...seqs].sort((a, b) => a - b)).toEqual([...seqs.keys()]);
    expect(await api.stop(resourceId, sid)).toMatchObject({ status: 200 });
    await until('11', () => receiver.events(11).length);
    expect(receiver.events(11)[0]?.payload.uid).toBe(String(newUid));
  });

  it('counts bak<n> per failover; the fourth failover ends the session (1 fatal error, 11 exitStatus 1)', async () => {
    ({ emu, api, receiver, bucketDir } = await simForTest());
    emu.channel(CNAME).join('1001');
    const { resourceId, sid } = await api.startSession();
    for (let n = 0; n < 3; n++) {
      emu.failover(sid, { windowMs: 500 });
      await until(`failover ${n}`, () => receiver.events(12).length === n + 1);
      await until(`bak${n}_ file`, () => fileNames().some((k) => k.includes(`/bak${n}_`)));
    }
    const uids = receiver.events(12).map((b) => b.payload.details.newUid);
    expect(new Set(uids).size).toBe(3);
    emu.failover(sid, { windowMs: 500 });
    expect(emu.ledger()[0]).toMatchObject({ active: false, endedBy: 'agora' });
    await until('11', () => receiver.events(11).length);
    const tail = receiver.delivered().slice(-2);
    expect(tail[0]?.payload.details).toMatchObject({
      msgName: 'cloud_recording_error',
      module: 2,
      errorLevel: 5,
      errorCode: expect.any(Number),
      stat: expect.any(Number),
      errorMsg: expect.stringMatching(/failover #4/),
    });
    expect(tail[1]?.payload).toMatchObject({ uid: String(uids[2]), details: { exitStatus: 1 } });
    expect((await api.stop(resourceId, sid)).body.code).toBe(49);
  });

  it('a stop right after the window works with the original uid in the body', async () => {
    ({ emu, api, receiver } = await simForTest());
    emu.channel(CNAME).join('1001');
    const { resourceId, sid } = await api.startSession();
    emu.failover(sid, { windowMs: 1000 });
    expect((await api.stop(resourceId, sid)).status).toBe(404);
    await until('the window passes', async () => (await api.stop(resourceId, sid)).status === 200);
    expect(emu.ledger()[0]).toMatchObject({ endedBy: 'stop', stopCalls: 1 });
  });
});
