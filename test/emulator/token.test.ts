/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument --
   JSON bodies are untyped on purpose: tests build and break them one field at a time. */
/**
 * With an App Certificate, start requires an AccessToken2 RTC token for the bot's cname + uid
 * (110 invalid, 109 expired); without one, the token is ignored.
 */
import { RtcRole, RtcTokenBuilder } from 'agora-token';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgoraEmulator } from '../../emulator';
import { Api, APP_ID, Clock, CNAME, emulatorForTest, startBody, UID } from './helpers';

const CERT = '0123456789abcdef0123456789abcdef';
const token = (o: { cname?: string; uid?: number; cert?: string; expire?: number } = {}) =>
  RtcTokenBuilder.buildTokenWithUid(
    APP_ID,
    o.cert ?? CERT,
    o.cname ?? CNAME,
    o.uid ?? Number(UID),
    RtcRole.PUBLISHER,
    o.expire ?? 3600,
    o.expire ?? 3600,
  );

let emu: AgoraEmulator;
let api: Api;
let clock: Clock;
afterEach(() => emu.close());

async function startWith(tok: string | undefined): Promise<{ status: number; body: any }> {
  const a = await api.acquire();
  return api.start(
    a.body.resourceId,
    startBody((b) => (tok === undefined ? delete b.clientRequest.token : (b.clientRequest.token = tok))),
  );
}

describe('with appCertificate', () => {
  const setup = async () => {
    ({ emu, api, clock } = await emulatorForTest({ appCertificate: CERT }));
    clock.t = Date.now();
  };

  it('accepts a valid token for cname + bot uid', async () => {
    await setup();
    expect((await startWith(token())).status).toBe(200);
  });

  it('accepts a token built for uid 0 (any uid)', async () => {
    await setup();
    expect((await startWith(token({ uid: 0 }))).status).toBe(200);
  });

  it.each<[string, () => string | undefined]>([
    ['missing', () => undefined],
    ['garbage', () => '007garbage'],
    ['for another uid', () => token({ uid: 999 })],
    ['for another channel', () => token({ cname: 'elsewhere' })],
    ['signed with another certificate', () => token({ cert: 'fedcba9876543210fedcba9876543210' })],
  ])('400 code 110 for a token %s', async (_name, make) => {
    await setup();
    expect(await startWith(make())).toMatchObject({ status: 400, body: { code: 110 } });
    expect(emu.ledger()).toEqual([]);
  });

  it('400 code 109 for an expired token', async () => {
    await setup();
    const tok = token({ expire: 600 });
    clock.advance(601_000 + 1000);
    expect(await startWith(tok)).toMatchObject({ status: 400, body: { code: 109 } });
  });
});

describe('a running session whose token expires', () => {
  it('ends when the token expires: the bot leaves, query answers 404, stop 49 and then 404', async () => {
    ({ emu, api, clock } = await emulatorForTest({ appCertificate: CERT, exitingMs: 2000 }));
    clock.t = Date.now();
    const tok = token({ expire: 600 });
    const a = await api.acquire();
    const s = await api.start(
      a.body.resourceId,
      startBody((b) => (b.clientRequest.token = tok)),
    );
    expect(s.status).toBe(200);
    const sid = s.body.sid as string;
    clock.advance(599_000);
    expect((await api.query(a.body.resourceId, sid)).status).toBe(200);
    clock.advance(2_000); // past the token's 600 s
    expect(await api.stop(a.body.resourceId, sid)).toMatchObject({ status: 400, body: { code: 49 } });
    clock.advance(2_000); // past the exiting window
    expect((await api.query(a.body.resourceId, sid)).status).toBe(404);
    expect((await api.stop(a.body.resourceId, sid)).status).toBe(404);
    const [entry] = emu.ledger();
    expect(entry).toMatchObject({ endedBy: 'token-expired', active: false, stopCalls: 0 });
    // Billed until the token expired, not until the stop: cloud recording cannot renew it.
    expect(entry!.billedSeconds).toBeLessThanOrEqual(601);
  });

  it('keeps a session whose token outlives it running', async () => {
    ({ emu, api, clock } = await emulatorForTest({ appCertificate: CERT }));
    clock.t = Date.now();
    const a = await api.acquire();
    const s = await api.start(
      a.body.resourceId,
      startBody((b) => (b.clientRequest.token = token())),
    );
    clock.advance(3_500_000);
    expect((await api.query(a.body.resourceId, s.body.sid)).status).toBe(200);
    expect(emu.ledger()[0]).toMatchObject({ active: true });
  });
});

describe('without appCertificate', () => {
  it('ignores the token', async () => {
    ({ emu, api, clock } = await emulatorForTest());
    expect((await startWith('007garbage')).status).toBe(200);
  });
});
