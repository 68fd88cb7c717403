/* eslint-disable @typescript-eslint/no-unsafe-argument --
   JSON bodies are untyped on purpose: tests build and break them one field at a time. */
/**
 * Fault injection, failover windows, Agora-side session ends and the ledger's billing: the
 * tools other tests use to prove "nothing leaked or doubled".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agoraError, type AgoraEmulator } from '../../emulator';
import { Api, Clock, emulatorForTest, stopBody } from './helpers';

let emu: AgoraEmulator;
let api: Api;
let clock: Clock;
beforeEach(async () => ({ emu, api, clock } = await emulatorForTest()));
afterEach(() => emu.close());

describe('inject', () => {
  it('respond answers without performing, once, then the endpoint behaves normally', async () => {
    const a = await api.acquire();
    emu.inject('start', agoraError(500, 502, 'Failed to allocate worker'));
    expect(await api.start(a.body.resourceId)).toMatchObject({
      status: 500,
      body: { code: 502, reason: 'Failed to allocate worker' },
    });
    expect(emu.ledger()).toEqual([]);
    expect((await api.start(a.body.resourceId)).status).toBe(200);
    expect(
      emu
        .requests()
        .filter((r) => r.endpoint === 'start')
        .map((r) => [r.status, r.code, r.fault]),
    ).toEqual([
      [500, 502, 'respond'],
      [200, undefined, undefined],
    ]);
  });

  it('faults are consumed in order, one per matching request, only by their endpoint', async () => {
    emu.inject('acquire', agoraError(500, 501, 'no_worker_manager_available'), {
      kind: 'respond',
      status: 429,
      body: { message: 'API rate limit exceeded' },
    });
    emu.inject('stop', { kind: 'drop' });
    expect((await api.acquire()).status).toBe(500);
    expect((await api.acquire()).status).toBe(429);
    expect((await api.acquire()).status).toBe(200);
  });

  it('respond can send a non-JSON body, like an HTML error page from a proxy', async () => {
    emu.inject('acquire', { kind: 'respond', status: 502, body: '<html>Bad Gateway</html>' });
    const r = await api.acquire();
    expect(r.status).toBe(502);
    expect(r.body).toBe('<html>Bad Gateway</html>');
  });

  it('latency delays the answer, then performs normally', async () => {
    emu.inject('acquire', { kind: 'latency', ms: 150 });
    const t = performance.now();
    const r = await api.acquire();
    expect(performance.now() - t).toBeGreaterThanOrEqual(140);
    expect(r.status).toBe(200);
    expect(emu.requests()[0]).toMatchObject({ fault: 'latency', status: 200 });
  });

  it('perform-then-drop on start: the client sees a connection error, the session is running', async () => {
    const a = await api.acquire();
    emu.inject('start', { kind: 'perform-then-drop' });
    await expect(api.start(a.body.resourceId)).rejects.toThrow(/other side closed|socket|ECONNRESET/i);
    const [entry] = emu.ledger();
    expect(entry).toMatchObject({ resourceId: a.body.resourceId, active: true });
    const rec = emu.requests().find((r) => r.endpoint === 'start');
    expect(rec).toMatchObject({ fault: 'perform-then-drop', sid: entry?.sid });
    expect(rec?.status).toBeUndefined();
    // The retry a careful client makes finds the session instead of starting a second one.
    expect(await api.start(a.body.resourceId)).toMatchObject({
      status: 201,
      body: { code: 7, sid: entry?.sid },
    });
    expect(emu.ledger()).toHaveLength(1);
  });

  it('perform-then-drop on stop: the session is stopped although the client saw no answer', async () => {
    const { resourceId, sid } = await api.startSession();
    emu.inject('stop', { kind: 'perform-then-drop' });
    await expect(api.stop(resourceId, sid)).rejects.toThrow();
    expect(emu.ledger()[0]).toMatchObject({ active: false, endedBy: 'stop', stopCalls: 1 });
    expect((await api.stop(resourceId, sid)).body.code).toBe(49);
  });

  it("a fault naming a sid is taken only by that session's requests", async () => {
    const one = await api.startSession();
    const other = await api.startSession(
      (b) => void (b.uid = '527842'),
      (b) => void (b.uid = '527842'),
    );
    emu.inject('stop', agoraError(500, 1, 'internal', one.sid));
    // The other session's stop passes the fault by; the named session's takes it, once.
    expect(
      (
        await api.stop(
          other.resourceId,
          other.sid,
          stopBody((b) => void (b.uid = '527842')),
        )
      ).status,
    ).toBe(200);
    expect((await api.stop(one.resourceId, one.sid)).status).toBe(500);
    expect((await api.stop(one.resourceId, one.sid)).status).toBe(200);
  });

  it('drop destroys the socket without performing', async () => {
    const a = await api.acquire();
    emu.inject('start', { kind: 'drop' });
    await expect(api.start(a.body.resourceId)).rejects.toThrow();
    expect(emu.ledger()).toEqual([]);
    const rec = emu.requests().find((r) => r.endpoint === 'start');
    expect(rec?.fault).toBe('drop');
    expect(rec?.status).toBeUndefined();
  });

  it('clearFaults drops pending faults; invalid faults are refused', async () => {
    emu.inject('acquire', { kind: 'drop' });
    emu.clearFaults();
    expect((await api.acquire()).status).toBe(200);
    expect(() => emu.inject('acquire', { kind: 'explode' } as never)).toThrow();
  });

  it('faults are not consumed by requests the gateway rejects', async () => {
    emu.inject('acquire', agoraError(500, 500, 'internal_error'));
    expect((await api.send('POST', `${api.prefix()}/acquire`, {}, { auth: null })).status).toBe(401);
    expect((await api.acquire()).status).toBe(500);
  });
});

describe('failover', () => {
  it('query/update/stop are 404 during the window; the session keeps running and billing', async () => {
    const { resourceId, sid } = await api.startSession();
    emu.failover(sid, { windowMs: 90_000 });
    expect((await api.query(resourceId, sid)).status).toBe(404);
    expect((await api.update(resourceId, sid)).status).toBe(404);
    expect((await api.stop(resourceId, sid)).status).toBe(404);
    expect(emu.ledger()[0]).toMatchObject({ active: true, stopCalls: 0 });
    clock.advance(90_000);
    expect((await api.query(resourceId, sid)).status).toBe(200);
    expect((await api.stop(resourceId, sid)).status).toBe(200);
    expect(emu.ledger()[0]).toMatchObject({ endedBy: 'stop', billedSeconds: 90, stopCalls: 1 });
  });

  it('a fourth failover ends the session (Agora migrates at most three times)', async () => {
    const { sid } = await api.startSession();
    for (let i = 0; i < 3; i++) emu.failover(sid, { windowMs: 10 });
    expect(emu.ledger()[0]?.active).toBe(true);
    emu.failover(sid, { windowMs: 10 });
    expect(emu.ledger()[0]).toMatchObject({ active: false, endedBy: 'agora' });
  });

  it('an unknown sid is an error', () => {
    expect(() => emu.failover('nope', { windowMs: 1 })).toThrow(/unknown sid/);
  });
});

describe('endSession', () => {
  it.each(['idle', 'agora'] as const)(
    'ends billing (%s), then stop is 49 while exiting and 404 after',
    async (reason) => {
      const { resourceId, sid } = await api.startSession();
      clock.advance(10_000);
      emu.endSession(sid, reason);
      clock.advance(50_000);
      expect(emu.ledger()[0]).toMatchObject({
        active: false,
        endedBy: reason,
        billedSeconds: 10,
        stopCalls: 0,
      });
      expect((await api.query(resourceId, sid)).status).toBe(404);
    },
  );

  it('stop answers 49 inside exitingMs after an Agora-side end, 404 after', async () => {
    const { resourceId, sid } = await api.startSession();
    emu.endSession(sid);
    expect((await api.stop(resourceId, sid)).body.code).toBe(49);
    clock.advance(2000);
    expect((await api.stop(resourceId, sid)).status).toBe(404);
    expect(emu.ledger()[0]).toMatchObject({ endedBy: 'agora', stopCalls: 0 });
  });
});

describe('ledger', () => {
  it('billedSeconds grows while active and freezes at the end; reset forgets everything', async () => {
    const { resourceId, sid } = await api.startSession();
    expect(emu.ledger()[0]).toMatchObject({
      billedSeconds: 0,
      active: true,
      startBody: expect.objectContaining({ cname: 'room42' }),
    });
    clock.advance(1500);
    expect(emu.ledger()[0]?.billedSeconds).toBe(2);
    clock.advance(8500);
    await api.stop(resourceId, sid);
    clock.advance(100_000);
    expect(emu.ledger()[0]).toMatchObject({ billedSeconds: 10, active: false });
    emu.reset();
    expect(emu.ledger()).toEqual([]);
    expect(emu.requests()).toEqual([]);
  });
});
