/* eslint-disable @typescript-eslint/no-unsafe-argument --
   JSON bodies are untyped on purpose: tests build and break them one field at a time. */
/**
 * Gateway behaviour: auth, appid, routing, content type and JSON, request ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgoraEmulator } from '../../emulator';
import { acquireBody, Api, APP_ID, CUSTOMER_ID, emulatorForTest } from './helpers';

let emu: AgoraEmulator;
let api: Api;
beforeAll(async () => ({ emu, api } = await emulatorForTest()));
afterAll(() => emu.close());

const acquirePath = `/v1/apps/${APP_ID}/cloud_recording/acquire`;

describe('auth', () => {
  it('401 Unauthorized without an Authorization header', async () => {
    const r = await api.send('POST', acquirePath, acquireBody(), { auth: null });
    expect(r).toMatchObject({ status: 401, body: { message: 'Unauthorized' } });
  });

  it('401 Invalid authentication credentials with a wrong secret', async () => {
    const wrong = `Basic ${Buffer.from('customer-id:nope').toString('base64')}`;
    const r = await api.send('POST', acquirePath, acquireBody(), { auth: wrong });
    expect(r).toMatchObject({ status: 401, body: { message: 'Invalid authentication credentials' } });
  });

  it('after rotateCredentials, accepts the new secret and refuses the old one', async () => {
    const { emu: rotating, api: fresh } = await emulatorForTest();
    try {
      rotating.rotateCredentials({ customerSecret: 'rotated-secret' });
      const old = await fresh.send('POST', acquirePath, acquireBody());
      expect(old).toMatchObject({ status: 401, body: { message: 'Invalid authentication credentials' } });
      const auth = `Basic ${Buffer.from(`${CUSTOMER_ID}:rotated-secret`).toString('base64')}`;
      expect((await fresh.send('POST', acquirePath, acquireBody(), { auth })).status).toBe(200);
    } finally {
      await rotating.close();
    }
  });

  it('401 Invalid authentication credentials for a non-Basic scheme', async () => {
    const r = await api.send('POST', acquirePath, acquireBody(), { auth: 'Bearer abc' });
    expect(r).toMatchObject({ status: 401, body: { message: 'Invalid authentication credentials' } });
  });
});

describe('routing', () => {
  it('400 appid is invalid for another App ID', async () => {
    const r = await api.send('POST', '/v1/apps/otherapp/cloud_recording/acquire', acquireBody());
    expect(r).toMatchObject({ status: 400, body: { message: 'appid is invalid' } });
  });

  it.each([
    ['unknown path', 'POST', `/v1/apps/${APP_ID}/cloud_recording/acquirex`],
    ['missing cloud_recording segment', 'POST', `/v1/apps/${APP_ID}/acquire`],
    ['wrong method', 'GET', acquirePath],
    [
      'query with POST',
      'POST',
      `/v1/apps/${APP_ID}/cloud_recording/resourceid/r/sid/s/mode/individual/query`,
    ],
    ['unknown mode', 'POST', `/v1/apps/${APP_ID}/cloud_recording/resourceid/r/mode/bogus/start`],
  ] as const)('404 no Route for %s', async (_name, method, path) => {
    const r = await api.send(method, path, method === 'POST' ? {} : undefined);
    expect(r).toMatchObject({ status: 404, body: { message: 'no Route matched with those values' } });
  });

  it('mix mode is a real route the emulator refuses with code 2', async () => {
    const a = await api.acquire();
    const r = await api.start(a.body.resourceId, undefined, 'mix');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 2 });
    expect(r.body.reason).toContain('mode');
  });
});

describe('content type and JSON (legacy code 8)', () => {
  it('accepts application/json;charset=utf-8 and plain application/json', async () => {
    expect(
      (await api.send('POST', acquirePath, acquireBody(), { contentType: 'application/json' })).status,
    ).toBe(200);
    expect((await api.send('POST', acquirePath, acquireBody())).status).toBe(200);
  });

  it('400 code 8 for a non-JSON content type', async () => {
    const r = await api.send('POST', acquirePath, acquireBody(), { contentType: 'text/plain' });
    expect(r).toMatchObject({ status: 400, body: { code: 8 } });
  });

  it('400 code 8 for a body that is not JSON', async () => {
    const r = await api.send('POST', acquirePath, undefined, { rawBody: '{"cname":' });
    expect(r).toMatchObject({ status: 400, body: { code: 8 } });
  });
});

describe('request ids and the request log', () => {
  it('every answer carries x-request-id, also errors and admin', async () => {
    const answers = await Promise.all([
      api.acquire(),
      api.send('POST', acquirePath, acquireBody(), { auth: null }),
      api.send('GET', '/nowhere'),
      api.send('GET', '/__emulator/health'),
    ]);
    for (const a of answers) expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('records each REST request with status, code and request id', async () => {
    emu.reset();
    const ok = await api.acquire();
    await api.send('POST', acquirePath, acquireBody(), { contentType: 'text/plain' });
    await api.send('GET', '/nowhere');
    expect(emu.requests()).toEqual([
      expect.objectContaining({
        endpoint: 'acquire',
        method: 'POST',
        status: 200,
        resourceId: ok.body.resourceId,
        requestId: ok.headers['x-request-id'],
      }),
      expect.objectContaining({ endpoint: 'acquire', status: 400, code: 8 }),
      expect.objectContaining({ endpoint: 'other', status: 404, path: '/nowhere' }),
    ]);
  });
});
