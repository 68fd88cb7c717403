/**
 * The admin HTTP API (`/__emulator/*`) mirrors the programmatic API for other processes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgoraEmulator } from '../../emulator';
import { Api, emulatorForTest } from './helpers';

let emu: AgoraEmulator;
let api: Api;
beforeEach(async () => ({ emu, api } = await emulatorForTest()));
afterEach(() => emu.close());

const admin = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) =>
  api.send(method, `/__emulator/${path}`, body, { auth: null });

describe('admin API', () => {
  it('health answers without auth', async () => {
    expect(await admin('GET', 'health')).toMatchObject({ status: 200, body: { ok: true, url: emu.url } });
  });

  it('faults can be queued and cleared over HTTP', async () => {
    const f = {
      endpoint: 'acquire',
      faults: [
        { kind: 'respond', status: 503, body: { code: 503 } },
        { kind: 'respond', status: 504, body: {} },
      ],
    };
    expect((await admin('POST', 'faults', f)).status).toBe(200);
    expect((await api.acquire()).status).toBe(503);
    expect((await admin('DELETE', 'faults')).status).toBe(200);
    expect((await api.acquire()).status).toBe(200);
  });

  it('the ledger never holds storage keys or the RTC token, over HTTP or in process', async () => {
    const { sid } = await api.startSession((b) => (b.clientRequest.token = 'rtc-token-value'));
    const http = await admin('GET', 'ledger');
    const text = JSON.stringify(http.body) + JSON.stringify(emu.ledger());
    for (const secret of ['AKIAEXAMPLEKEY', 'SECRETKEYVALUE', 'rtc-token-value', 'customer-secret'])
      expect(text, secret).not.toContain(secret);
    expect(http.body).toEqual([
      expect.objectContaining({
        sid,
        startBody: expect.objectContaining({
          clientRequest: expect.objectContaining({
            token: '[redacted]',
            storageConfig: expect.objectContaining({
              bucket: 'my-bucket',
              accessKey: '[redacted]',
              secretKey: '[redacted]',
            }),
          }),
        }),
      }),
    ]);
  });

  it('ledger and requests are readable; failover, end-session and reset work', async () => {
    const { resourceId, sid } = await api.startSession();
    expect((await admin('GET', 'ledger')).body).toEqual([expect.objectContaining({ sid, active: true })]);
    const records = (await admin('GET', 'requests')).body as Array<{ endpoint: string }>;
    expect(records.map((r) => r.endpoint)).toEqual(['acquire', 'start']);
    expect((await admin('POST', 'failover', { sid, windowMs: 60_000 })).status).toBe(200);
    expect((await api.query(resourceId, sid)).status).toBe(404);
    expect((await admin('POST', 'end-session', { sid, reason: 'idle' })).status).toBe(200);
    expect((await admin('GET', 'ledger')).body[0]).toMatchObject({ endedBy: 'idle', active: false });
    expect((await admin('POST', 'reset')).status).toBe(200);
    expect(emu.ledger()).toEqual([]);
  });

  it('refuses bad input with 400 and unknown sids or routes with 404', async () => {
    expect((await admin('POST', 'faults', { endpoint: 'acquire', faults: [{ kind: 'nope' }] })).status).toBe(
      400,
    );
    expect((await admin('POST', 'faults', { endpoint: 'bogus', faults: [{ kind: 'drop' }] })).status).toBe(
      400,
    );
    expect((await admin('POST', 'failover', { sid: 'x' })).status).toBe(400);
    expect((await admin('POST', 'end-session', { sid: 'unknown' })).status).toBe(404);
    expect((await admin('GET', 'nothing-here')).status).toBe(404);
  });

  it('admin calls are not recorded as REST requests', async () => {
    await admin('GET', 'health');
    expect(emu.requests()).toEqual([]);
  });
});
