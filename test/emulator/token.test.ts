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

describe('without appCertificate', () => {
  it('ignores the token', async () => {
    ({ emu, api, clock } = await emulatorForTest());
    expect((await startWith('007garbage')).status).toBe(200);
  });
});
