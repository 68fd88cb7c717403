/** AgoraClient after a 401: refreshed credentials are used for one more send, never stale ones twice. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgoraCredentials, AgoraClient, isAgoraError } from '../../../agora';
import { json, startFakeServer, type FakeServer } from './fake-server';

const appId = '970ca35de60c44645bbae8a215061b33';
const basic = (c: AgoraCredentials) =>
  `Basic ${Buffer.from(`${c.customerId}:${c.customerSecret}`).toString('base64')}`;
const OLD = { customerId: 'id', customerSecret: 'old-secret' };
const NEW = { customerId: 'id', customerSecret: 'new-secret' };
const acquireBody = { cname: 'room42', uid: '527841', clientRequest: { scene: 0 as const } };

let server: FakeServer;
beforeAll(async () => {
  server = await startFakeServer();
});
afterAll(() => server.close());

/** Answers 200 only to `accepted`, 401 otherwise, like Agora's gateway. */
function gatewayAccepting(accepted: AgoraCredentials): void {
  server.requests.length = 0;
  server.handle((req, res, body) => {
    const ok = req.headers.authorization === basic(accepted);
    json(
      ok ? 200 : 401,
      ok
        ? { ...JSON.parse(body.toString()), resourceId: 'rid' }
        : { message: 'Invalid authentication credentials' },
    )(req, res, body);
  });
}

const client = (refresh?: () => AgoraCredentials | undefined) =>
  new AgoraClient({
    baseUrl: server.url,
    appId,
    ...OLD,
    ...(refresh ? { refreshCredentials: refresh } : {}),
  });

describe('AgoraClient credential refresh on 401', () => {
  it('sends once more with the refreshed credentials and keeps using them', async () => {
    gatewayAccepting(NEW);
    const c = client(() => NEW);
    expect((await c.acquire(acquireBody)).status).toBe(200);
    expect((await c.acquire(acquireBody)).status).toBe(200);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([basic(OLD), basic(NEW), basic(NEW)]);
    await c.close();
  });

  it('gives up after one 401 when the refreshed credentials are the same, without repeating', async () => {
    gatewayAccepting(NEW);
    const c = client(() => OLD);
    const err = await c.acquire(acquireBody).catch((e: unknown) => e);
    expect(isAgoraError(err) && err.type).toBe('AgoraUnauthorized');
    expect(server.requests).toHaveLength(1);
    await c.close();
  });

  it('never puts the new secret into error text when it is refused too', async () => {
    gatewayAccepting({ customerId: 'id', customerSecret: 'third' });
    const c = client(() => NEW);
    const err = await c.acquire(acquireBody).catch((e: unknown) => e);
    expect(server.requests).toHaveLength(2);
    expect(JSON.stringify(err) + String(err)).not.toMatch(/new-secret|old-secret/);
    await c.close();
  });
});
