/**
 * Screenshots: real JPG files in the bucket folder named the Agora way, one event 45 per file,
 * only for subscribed uids that send video, pausing while a uid's video is off (event 44).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgoraEmulator, EmulatorOptions } from '../../emulator';
import { Api, CNAME, startBody, updateBody } from './helpers';
import { listFiles, Receiver, simForTest, SNAPSHOT_NAME, until } from './sim-helpers';

let emu: AgoraEmulator;
let api: Api;
let receiver: Receiver;
let bucketDir: string;
async function setup(extra: Partial<EmulatorOptions> = {}) {
  ({ emu, api, receiver, bucketDir } = await simForTest(extra));
}
afterEach(async () => {
  await emu.close();
  await receiver.close();
});

const fileNames = () => receiver.events(45).map((b) => b.payload.details.fileName as string);
const uidOf = (key: string) => SNAPSHOT_NAME.exec(key.split('/').pop() ?? '')?.[4];

describe('screenshot files', () => {
  it('are real JPGs under fileNamePrefix with the Agora name, one event 45 per file', async () => {
    await setup();
    expect(emu.bucketDir).toBe(bucketDir);
    emu.channel(CNAME).join('1001');
    const t0 = Date.now();
    const { resourceId, sid } = await api.startSession();
    await until('three screenshots', () => receiver.events(45).length >= 3);
    await api.stop(resourceId, sid);
    // In order without faults: once 11 is here, every 45 is too.
    await until('11', () => receiver.events(11).length);
    const keys = fileNames();
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) {
      expect(key.startsWith('snaps/room42/')).toBe(true);
      const m = SNAPSHOT_NAME.exec(key.slice('snaps/room42/'.length));
      expect(m).not.toBeNull();
      const [, bak, fileSid, cname, uid, utc] = m ?? [];
      expect({ bak, fileSid, cname, uid }).toEqual({
        bak: undefined,
        fileSid: sid,
        cname: CNAME,
        uid: '1001',
      });
      // yyyyMMddHHmmssSSS in UTC, at capture time.
      const at = Date.UTC(
        Number(utc?.slice(0, 4)),
        Number(utc?.slice(4, 6)) - 1,
        Number(utc?.slice(6, 8)),
        Number(utc?.slice(8, 10)),
        Number(utc?.slice(10, 12)),
        Number(utc?.slice(12, 14)),
        Number(utc?.slice(14, 17)),
      );
      expect(at).toBeGreaterThanOrEqual(t0);
      expect(at).toBeLessThanOrEqual(Date.now());
      const bytes = readFileSync(join(bucketDir, key));
      expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
      expect([...bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
    }
    // Every file on disk was announced, and nothing else is in the bucket.
    expect(listFiles(bucketDir)).toEqual([...keys].sort());
  });

  it('in raw mode are named without video_ (the v2 name in the reference)', async () => {
    await setup();
    emu.channel(CNAME).join('1001');
    const a = await api.acquire();
    const s = await api.start(a.body.resourceId as string, startBody(), 'raw');
    expect(s.status).toBe(200);
    const key = await until('a shot', () => fileNames()[0]);
    expect(key).toMatch(/^snaps\/room42\/[0-9a-f]{32}_room42__uid_s_1001__uid_e_\d{17}\.jpg$/);
  });

  it('differ per publisher (colour) and per shot (embedded key)', async () => {
    await setup();
    emu.channel(CNAME).join('1001');
    emu.channel(CNAME).join('1002');
    await api.startSession((b) => (b.clientRequest.recordingConfig.subscribeVideoUids = ['#allstream#']));
    await until('two shots of each', () => fileNames().filter((k) => uidOf(k) === '1002').length >= 2);
    const contents = fileNames().map((k) => readFileSync(join(bucketDir, k)).toString('latin1'));
    expect(new Set(contents).size).toBe(contents.length);
  });

  it('take only subscribed uids: subscribe list, unsubscribe list, #allstream#', async () => {
    await setup();
    for (const uid of ['1001', '1002', '1003']) emu.channel(CNAME).join(uid);
    await api.startSession((b) => {
      delete b.clientRequest.recordingConfig.subscribeVideoUids;
      b.clientRequest.recordingConfig.unSubscribeVideoUids = ['1002'];
    });
    await until('shots', () => fileNames().length >= 4);
    expect(new Set(fileNames().map(uidOf))).toEqual(new Set(['1001', '1003']));
    expect(receiver.events(44).map((b) => b.payload.details.streamUid)).toEqual(['1001', '1003']);
  });

  it('with a video list for another uid only: nothing captured, no 44', async () => {
    await setup();
    emu.channel(CNAME).join('1002');
    const { resourceId, sid } = await api.startSession();
    await until('40', () => receiver.events(40).length);
    emu.channel(CNAME).join('1003', { video: true });
    const r = await api.stop(resourceId, sid);
    expect(r.body).toMatchObject({ code: 435 });
    expect(receiver.events(44)).toEqual([]);
    expect(listFiles(bucketDir)).toEqual([]);
  });

  it('an update of the video list starts another uid', async () => {
    await setup();
    emu.channel(CNAME).join('1001');
    emu.channel(CNAME).join('1002');
    const { resourceId, sid } = await api.startSession();
    await until('a shot of 1001', () => fileNames().length);
    expect((await api.update(resourceId, sid, updateBody())).status).toBe(200);
    await until('a shot of 1002', () => fileNames().some((k) => uidOf(k) === '1002'));
    expect(receiver.events(44).map((b) => [b.payload.details.streamUid, b.payload.details.state])).toEqual([
      ['1001', 0],
      ['1002', 0],
    ]);
  });
});

describe('video on/off', () => {
  it('video off: event 44 state 1 and no new files for that uid; on again: state 0 and files again', async () => {
    await setup();
    const ch = emu.channel(CNAME);
    ch.join('1001');
    ch.join('1002');
    await api.startSession((b) => (b.clientRequest.recordingConfig.subscribeVideoUids = ['1001', '1002']));
    await until('a shot of 1001', () => fileNames().some((k) => uidOf(k) === '1001'));
    ch.setVideo('1001', false);
    const off = await until('44 state 1', () =>
      receiver.events(44).find((b) => b.payload.details.state === 1),
    );
    expect(off.payload.details).toMatchObject({ streamUid: '1001', state: 1, UtcMs: expect.any(Number) });
    const before = fileNames().filter((k) => uidOf(k) === '1001').length;
    const count1002 = fileNames().filter((k) => uidOf(k) === '1002').length;
    await until(
      'two more shots of 1002',
      () => fileNames().filter((k) => uidOf(k) === '1002').length >= count1002 + 2,
    );
    expect(fileNames().filter((k) => uidOf(k) === '1001')).toHaveLength(before);
    ch.setVideo('1001', true);
    await until('a new shot of 1001', () => fileNames().filter((k) => uidOf(k) === '1001').length > before);
    const states = receiver.events(44).filter((b) => b.payload.details.streamUid === '1001');
    expect(states.map((b) => b.payload.details.state)).toEqual([0, 1, 0]);
  });

  it('leave reports state 1 once; joining with video off reports state 1', async () => {
    await setup();
    const ch = emu.channel(CNAME);
    ch.join('1001');
    await api.startSession((b) => (b.clientRequest.recordingConfig.subscribeVideoUids = ['#allstream#']));
    ch.join('1002', { video: false });
    ch.leave('1001');
    ch.leave('1002');
    await until('three 44s', () => receiver.events(44).length >= 3);
    const seen = receiver.events(44).map((b) => [b.payload.details.streamUid, b.payload.details.state]);
    expect(seen).toEqual([
      ['1001', 0],
      ['1002', 1],
      ['1001', 1],
    ]);
  });
});
