/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return --
   JSON bodies are untyped on purpose: tests build and break them one field at a time. */
/**
 * Session lifecycle: start/201-7/53/433/432/1001, query progression, update, stop/49/404,
 * resourceExpiredHour, quota (406), rate limit (429), raw mode and startParameter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AgoraEmulator, EmulatorOptions } from '../../emulator';
import {
  acquireBody,
  Api,
  Clock,
  CNAME,
  emulatorForTest,
  startBody,
  stopBody,
  UID,
  updateBody,
} from './helpers';

let emu: AgoraEmulator;
let api: Api;
let clock: Clock;
async function setup(extra: Partial<EmulatorOptions> = {}): Promise<void> {
  ({ emu, api, clock } = await emulatorForTest(extra));
}
afterEach(() => emu.close());

describe('start', () => {
  it('answers 200 with cname, uid, resourceId and a 32-hex sid', async () => {
    await setup();
    const a = await api.acquire();
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ cname: CNAME, uid: UID, resourceId: expect.any(String) });
    expect(a.body.resourceId.length).toBeGreaterThan(100);
    const s = await api.start(a.body.resourceId);
    expect(s.status).toBe(200);
    expect(s.body).toEqual({
      cname: CNAME,
      uid: UID,
      resourceId: a.body.resourceId,
      sid: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('a repeated start with the same resourceId is 201 code 7 with the sid, and starts nothing new', async () => {
    await setup();
    const { resourceId, sid } = await api.startSession();
    const again = await api.start(resourceId);
    expect(again).toMatchObject({
      status: 201,
      body: { code: 7, reason: 'already started', cname: CNAME, uid: UID, resourceId, sid },
    });
    expect(emu.ledger()).toHaveLength(1);
  });

  it('alreadyStartedIncludesSid: false leaves the sid out of the 201', async () => {
    await setup({ alreadyStartedIncludesSid: false });
    const { resourceId } = await api.startSession();
    const again = await api.start(resourceId);
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ code: 7, reason: 'already started', cname: CNAME, uid: UID, resourceId });
  });

  it('a new resourceId for the same cname+uid while a session runs is 400 code 53', async () => {
    await setup();
    await api.startSession();
    const second = await api.acquire();
    const r = await api.start(second.body.resourceId);
    expect(r).toMatchObject({ status: 400, body: { code: 53, reason: 'task conflict' } });
    expect(emu.ledger()).toHaveLength(1);
  });

  it('after a stop the same cname+uid can start again with a new resourceId', async () => {
    await setup();
    const first = await api.startSession();
    expect((await api.stop(first.resourceId, first.sid)).status).toBe(200);
    await api.startSession();
    expect(emu.ledger().map((e) => e.active)).toEqual([false, true]);
  });

  it('a resourceId older than resourceTtlMs is 400 code 433', async () => {
    await setup();
    const a = await api.acquire();
    clock.advance(300_001);
    expect(await api.start(a.body.resourceId)).toMatchObject({
      status: 400,
      body: { code: 433, reason: 'resource ID expired' },
    });
    const b = await api.acquire();
    clock.advance(300_000);
    expect((await api.start(b.body.resourceId)).status).toBe(200);
  });

  it('resourceTtlMs is configurable', async () => {
    await setup({ resourceTtlMs: 2000 });
    const a = await api.acquire();
    clock.advance(2001);
    expect((await api.start(a.body.resourceId)).body.code).toBe(433);
  });

  it('cname or uid different from the acquire is 400 code 432', async () => {
    await setup();
    const a = await api.acquire();
    for (const mutate of [(b: any) => (b.cname = 'other'), (b: any) => (b.uid = '9')]) {
      expect((await api.start(a.body.resourceId, startBody(mutate))).body).toMatchObject({ code: 432 });
    }
  });

  it('an undecodable or altered resourceId is 400 code 1001', async () => {
    await setup();
    const a = await api.acquire();
    const rid: string = a.body.resourceId;
    const altered = `${rid.slice(0, 40)}${rid[40] === 'A' ? 'B' : 'A'}${rid.slice(41)}`;
    for (const bad of ['not-a-resource-id', altered]) {
      expect(await api.start(bad)).toMatchObject({ status: 400, body: { code: 1001 } });
      expect(await api.query(bad, 'a'.repeat(32))).toMatchObject({ status: 400, body: { code: 1001 } });
    }
  });

  it('raw mode is served, and a raw session is not found under individual', async () => {
    await setup();
    const a = await api.acquire();
    const s = await api.start(a.body.resourceId, startBody(), 'raw');
    expect(s.status).toBe(200);
    expect(emu.ledger()[0]?.mode).toBe('raw');
    expect((await api.query(a.body.resourceId, s.body.sid, 'raw')).status).toBe(200);
    expect((await api.query(a.body.resourceId, s.body.sid, 'individual')).status).toBe(404);
  });

  it('acquire startParameter must equal the start clientRequest', async () => {
    await setup();
    const cr = startBody().clientRequest;
    const same = await api.acquire(acquireBody((b) => (b.clientRequest.startParameter = cr)));
    expect((await api.start(same.body.resourceId)).status).toBe(200);
    const other = await api.acquire(
      acquireBody((b) => ((b.uid = '77'), (b.clientRequest.startParameter = cr))),
    );
    const r = await api.start(
      other.body.resourceId,
      startBody((b) => ((b.uid = '77'), (b.clientRequest.snapshotConfig.captureInterval = 6))),
    );
    expect(r).toMatchObject({
      status: 400,
      body: { code: 2, reason: expect.stringContaining('startParameter') },
    });
  });
});

describe('query', () => {
  it('progresses 2 → 4 → 5 with sliceStartTime in ms once in progress', async () => {
    await setup();
    const { resourceId, sid } = await api.startSession();
    const t0 = clock.t;
    const at = async (ms: number) => {
      clock.t = t0 + ms;
      const r = await api.query(resourceId, sid);
      expect(r.body).toMatchObject({ cname: CNAME, uid: UID, resourceId, sid });
      return r.body.serverResponse;
    };
    expect(await at(0)).toEqual({ status: 2, sliceStartTime: 0 });
    expect(await at(1999)).toEqual({ status: 2, sliceStartTime: 0 });
    expect(await at(2000)).toEqual({ status: 4, sliceStartTime: 0 });
    expect(await at(5000)).toEqual({ status: 5, sliceStartTime: t0 + 5000 });
    expect(await at(3_600_000)).toEqual({ status: 5, sliceStartTime: t0 + 5000 });
  });

  it('statusProgression is configurable', async () => {
    await setup({
      statusProgression: [
        { afterMs: 0, status: 4 },
        { afterMs: 100, status: 5 },
      ],
    });
    const { resourceId, sid } = await api.startSession();
    expect((await api.query(resourceId, sid)).body.serverResponse.status).toBe(4);
    clock.advance(100);
    expect((await api.query(resourceId, sid)).body.serverResponse.status).toBe(5);
  });

  it('an unknown sid, or a sid of another resourceId, is 404 failed to find worker', async () => {
    await setup();
    const one = await api.startSession();
    const two = await api.startSession(
      (b) => (b.uid = '2'),
      (b) => (b.uid = '2'),
    );
    for (const [rid, sid] of [
      [one.resourceId, 'f'.repeat(32)],
      [one.resourceId, two.sid],
    ] as const) {
      expect(await api.query(rid, sid)).toMatchObject({
        status: 404,
        body: { code: 404, reason: 'failed to find worker' },
      });
    }
  });
});

describe('update', () => {
  it('answers cname, uid, resourceId, sid; the Python and Go blacklist spellings both work', async () => {
    await setup();
    const { resourceId, sid } = await api.startSession();
    expect(await api.update(resourceId, sid)).toMatchObject({
      status: 200,
      body: { cname: CNAME, uid: UID, resourceId, sid },
    });
    for (const key of ['unSubscribeVideoUids', 'unsubscribeVideoUids']) {
      const body = updateBody((b) => (b.clientRequest.streamSubscribe.videoUidList = { [key]: ['1003'] }));
      expect((await api.update(resourceId, sid, body)).status).toBe(200);
    }
  });
});

describe('stop', () => {
  it('200 uploaded, ends billing, then 49 while exiting and 404 afterwards', async () => {
    await setup();
    const { resourceId, sid } = await api.startSession();
    clock.advance(61_500);
    const r = await api.stop(resourceId, sid);
    expect(r).toMatchObject({
      status: 200,
      body: { cname: CNAME, uid: UID, resourceId, sid, serverResponse: { uploadingStatus: 'uploaded' } },
    });
    clock.advance(1999);
    expect(await api.stop(resourceId, sid)).toMatchObject({
      status: 400,
      body: { code: 49, reason: 'invalid operation' },
    });
    expect((await api.query(resourceId, sid)).status).toBe(404);
    expect((await api.update(resourceId, sid)).status).toBe(404);
    clock.advance(1);
    expect(await api.stop(resourceId, sid)).toMatchObject({
      status: 404,
      body: { code: 404, reason: 'failed to find worker' },
    });
    clock.advance(3_600_000);
    expect(emu.ledger()).toEqual([
      expect.objectContaining({
        sid,
        endedBy: 'stop',
        stopCalls: 1,
        billedSeconds: 62,
        active: false,
        endedAt: expect.any(Number),
      }),
    ]);
  });

  it('stopUploadingStatus backuped, and clientRequest {} is a valid stop body', async () => {
    await setup({ stopUploadingStatus: 'backuped' });
    const { resourceId, sid } = await api.startSession();
    const r = await api.stop(
      resourceId,
      sid,
      stopBody((b) => (b.clientRequest = {})),
    );
    expect(r.body.serverResponse).toEqual({ uploadingStatus: 'backuped' });
  });

  it('the recordedNothing hook turns stop into 206 code 435 and still ends the session', async () => {
    await setup({ hooks: { recordedNothing: () => true } });
    const { resourceId, sid } = await api.startSession();
    expect(await api.stop(resourceId, sid)).toMatchObject({
      status: 206,
      body: { code: 435, reason: 'no recorded data', sid },
    });
    expect(emu.ledger()[0]).toMatchObject({ active: false, endedBy: 'stop', stopCalls: 0 });
  });

  it('exitingMs is configurable', async () => {
    await setup({ exitingMs: 10_000 });
    const { resourceId, sid } = await api.startSession();
    await api.stop(resourceId, sid);
    clock.advance(9_999);
    expect((await api.stop(resourceId, sid)).body.code).toBe(49);
    clock.advance(1);
    expect((await api.stop(resourceId, sid)).status).toBe(404);
  });
});

describe('resourceExpiredHour', () => {
  it('after it passes, query/update/stop are 404 and the session is billed up to it', async () => {
    await setup();
    const { resourceId, sid } = await api.startSession(
      undefined,
      (b) => (b.clientRequest.resourceExpiredHour = 1),
    );
    clock.advance(3_599_999);
    expect((await api.query(resourceId, sid)).status).toBe(200);
    clock.advance(1);
    expect((await api.query(resourceId, sid)).status).toBe(404);
    expect((await api.update(resourceId, sid)).status).toBe(404);
    expect((await api.stop(resourceId, sid)).status).toBe(404);
    expect(emu.ledger()[0]).toMatchObject({
      endedBy: 'expired',
      billedSeconds: 3600,
      active: false,
      stopCalls: 0,
    });
  });
});

describe('limits', () => {
  it('acquire answers 400 code 406 at maxConcurrentTasks running sessions', async () => {
    await setup({ maxConcurrentTasks: 2 });
    const first = await api.startSession();
    await api.startSession(
      (b) => (b.uid = '2'),
      (b) => (b.uid = '2'),
    );
    expect(await api.acquire(acquireBody((b) => (b.uid = '3')))).toMatchObject({
      status: 400,
      body: { code: 406, reason: 'vendor_over_load' },
    });
    await api.stop(first.resourceId, first.sid);
    expect((await api.acquire(acquireBody((b) => (b.uid = '3')))).status).toBe(200);
  });

  it('counts an acquired, not yet started resourceId against the quota until its 5 minutes end', async () => {
    await setup({ maxConcurrentTasks: 1 });
    expect((await api.acquire()).status).toBe(200);
    expect(await api.acquire(acquireBody((b) => (b.uid = '2')))).toMatchObject({
      status: 400,
      body: { code: 406, reason: 'vendor_over_load' },
    });
    clock.advance(300_000);
    expect((await api.acquire(acquireBody((b) => (b.uid = '2')))).status).toBe(200);
  });

  it('qpsLimit answers 429 API rate limit exceeded within one second', async () => {
    await setup({ qpsLimit: 3 });
    for (let i = 0; i < 3; i++) expect((await api.acquire()).status).toBe(200);
    expect(await api.acquire()).toMatchObject({ status: 429, body: { message: 'API rate limit exceeded' } });
    clock.advance(1000);
    expect((await api.acquire()).status).toBe(200);
  });
});
