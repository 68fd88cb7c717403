import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgoraClient, isAgoraError, type AgoraError, type StartRequest } from '../../../agora';
import { referenceStartBody } from '../../helpers/agora-bodies';
import { json, startFakeServer, type FakeServer } from './fake-server';

const appId = '970ca35de60c44645bbae8a215061b33';
const customerId = 'cust-id';
const customerSecret = 'cust-secret-value';
const expectedAuth = `Basic ${Buffer.from(`${customerId}:${customerSecret}`).toString('base64')}`;
const prefix = `/v1/apps/${appId}/cloud_recording`;

const startBody: StartRequest = referenceStartBody((b) => {
  b.clientRequest.token = '007eJxTYBBZsCZ2dW5pcXBhcmFtZXRlcnMsecret';
}) as StartRequest; // its literals (channelType 1, vendor 1...) are the schema's enums
const stopBody = { cname: 'room42', uid: '527841', clientRequest: { async_stop: false } };

let server: FakeServer;
let client: AgoraClient;

async function rejection(p: Promise<unknown>): Promise<AgoraError> {
  try {
    await p;
  } catch (e) {
    if (isAgoraError(e)) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  server = await startFakeServer();
  client = new AgoraClient({
    baseUrl: server.url,
    appId,
    customerId,
    customerSecret,
    requestTimeoutMs: 1000,
  });
});
afterAll(async () => {
  await client.close();
  await server.close();
});
afterEach(() => {
  server.requests.length = 0;
});

describe('AgoraClient requests', () => {
  it('acquire: exact path, method, auth, content type, body bytes; parses 200', async () => {
    server.handle(
      json(200, { cname: 'room42', uid: '527841', resourceId: 'rid-1' }, { 'x-request-id': 'req-1' }),
    );
    const body = {
      cname: 'room42',
      uid: '527841',
      clientRequest: { scene: 0 as const, resourceExpiredHour: 24 },
    };
    const res = await client.acquire(body);
    expect(res).toEqual({
      status: 200,
      requestId: 'req-1',
      body: { cname: 'room42', uid: '527841', resourceId: 'rid-1' },
    });
    const [r] = server.requests;
    expect(r?.method).toBe('POST');
    expect(r?.path).toBe(`${prefix}/acquire`);
    expect(r?.headers.authorization).toBe(expectedAuth);
    expect(r?.headers['content-type']).toBe('application/json;charset=utf-8');
    expect(r?.headers['user-agent']).toMatch(/^agora-capture\//);
    expect(r?.body.toString('utf8')).toBe(JSON.stringify(body));
  });

  it('start: mode in the path, body sent as given', async () => {
    server.handle(json(200, { cname: 'room42', uid: '527841', resourceId: 'rid/1', sid: 'sid-1' }));
    const res = await client.start('rid/1', startBody);
    expect(res.body.sid).toBe('sid-1');
    expect(server.requests[0]?.path).toBe(`${prefix}/resourceid/rid%2F1/mode/individual/start`);
    expect(JSON.parse(server.requests[0]?.body.toString('utf8') ?? '')).toEqual(startBody);
  });

  it('query: GET without body; raw mode path', async () => {
    const raw = new AgoraClient({
      baseUrl: `${server.url}/`,
      appId,
      customerId,
      customerSecret,
      mode: 'raw',
    });
    server.handle(
      json(200, { sid: 'sid-1', serverResponse: { status: 5, sliceStartTime: 1_700_000_000_000 } }),
    );
    const res = await raw.query('rid', 'sid-1');
    await raw.close();
    expect(res.body.serverResponse.status).toBe(5);
    expect(server.requests[0]?.method).toBe('GET');
    expect(server.requests[0]?.path).toBe(`${prefix}/resourceid/rid/sid/sid-1/mode/raw/query`);
    expect(server.requests[0]?.body.length).toBe(0);
  });

  it('update and stop paths', async () => {
    server.handle(json(200, { sid: 'sid-1', serverResponse: { uploadingStatus: 'uploaded' } }));
    const upd = {
      cname: 'room42',
      uid: '527841',
      clientRequest: { streamSubscribe: { videoUidList: { subscribeVideoUids: ['1', '2'] } } },
    };
    await client.update('rid', 'sid-1', upd);
    const stopped = await client.stop('rid', 'sid-1', stopBody);
    expect(stopped.body.serverResponse.uploadingStatus).toBe('uploaded');
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${prefix}/resourceid/rid/sid/sid-1/mode/individual/update`,
      `POST ${prefix}/resourceid/rid/sid/sid-1/mode/individual/stop`,
    ]);
  });

  it('rejects an invalid body before sending anything', async () => {
    const bad = {
      ...startBody,
      clientRequest: {
        ...startBody.clientRequest,
        recordingConfig: { ...startBody.clientRequest.recordingConfig, streamTypes: 0 as const },
      },
    };
    const err = await rejection(client.start('rid', bad));
    expect(err.type).toBe('AgoraRequestInvalid');
    expect(err.retryable).toBe(false);
    expect(err.outcomeUnknown).toBe(false);
    expect(err.message).toContain('recordingConfig.streamTypes');
    expect(err.message).not.toContain('SECRETKEYVALUE');
    expect((await rejection(client.stop('', 'sid', stopBody))).type).toBe('AgoraRequestInvalid');
    expect(server.requests).toHaveLength(0);
  });
});

describe('AgoraClient errors', () => {
  it.each([
    [400, { code: 2, reason: 'invalid storageConfig' }, 'AgoraInvalidParameter'],
    [201, { code: 7, reason: 'already started', sid: 'sid-9' }, 'AgoraAlreadyStarted'],
    [206, { code: 65, reason: 'request not completed' }, 'AgoraRequestNotCompleted'],
    [400, { code: 53, reason: 'task conflict' }, 'AgoraTaskConflict'],
    [401, { message: 'Invalid authentication credentials' }, 'AgoraUnauthorized'],
    [404, { message: 'no Route matched with those values' }, 'AgoraRouteNotFound'],
    [429, { message: 'API rate limit exceeded' }, 'AgoraRateLimited'],
    [500, { code: 62, reason: 'request timeout' }, 'AgoraServerError'],
  ])('HTTP %i %j → %s', async (status, body, type) => {
    server.handle(json(status, body, { 'x-request-id': 'rq-7', 'retry-after': '2' }));
    const err = await rejection(client.start('rid', startBody));
    expect(err.type).toBe(type);
    expect(err.httpStatus).toBe(status);
    expect(err.requestId).toBe('rq-7');
    if (status === 429) expect(err.retryAfterMs).toBe(2000);
    if (status === 201) expect(err.sid).toBe('sid-9');
  });

  it('404 failed to find worker on stop → AgoraNotFound', async () => {
    server.handle(
      json(404, {
        serverResponse: { command: 'StopCloudRecorder', payload: { message: 'failed to find worker' } },
        code: 404,
      }),
    );
    const err = await rejection(client.stop('rid', 'sid', stopBody));
    expect(err.type).toBe('AgoraNotFound');
    expect(err.reason).toBe('failed to find worker');
  });

  it('a 200 with an unexpected body → AgoraProtocolError (outcome unknown)', async () => {
    server.handle(json(200, { cname: 'room42' }));
    const err = await rejection(client.start('rid', startBody));
    expect(err.type).toBe('AgoraProtocolError');
    expect(err.outcomeUnknown).toBe(true);
    server.handle(json(200, 'not json'));
    expect((await rejection(client.acquire({ cname: 'r', uid: '1', clientRequest: {} }))).type).toBe(
      'AgoraProtocolError',
    );
  });

  it('query with an expected cname rejects a mismatched echo', async () => {
    server.handle(json(200, { cname: 'other', serverResponse: { status: 5 } }));
    expect((await rejection(client.query('rid', 'sid', { cname: 'room42' }))).type).toBe(
      'AgoraProtocolError',
    );
  });

  it('secrets from the body and credentials never reach the error message', async () => {
    server.handle(json(400, { code: 2, reason: `bad secretKey SECRETKEYVALUE for ${customerSecret}` }));
    const err = await rejection(client.start('rid', startBody));
    for (const secret of ['SECRETKEYVALUE', customerSecret, 'AKIAEXAMPLEKEY', '007eJx']) {
      expect(err.message).not.toContain(secret);
      expect(err.reason ?? '').not.toContain(secret);
    }
  });

  it('no answer within the deadline → AgoraTimeout, outcome unknown', async () => {
    server.handle(() => undefined); // never answers
    const started = Date.now();
    const err = await rejection(client.start('rid', startBody));
    expect(err.type).toBe('AgoraTimeout');
    expect(err.retryable).toBe(true);
    expect(err.outcomeUnknown).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('socket destroyed after the request arrived → AgoraNetworkError, outcome unknown', async () => {
    server.handle((req) => req.socket.destroy());
    const err = await rejection(client.stop('rid', 'sid', stopBody));
    expect(err.type).toBe('AgoraNetworkError');
    expect(err.outcomeUnknown).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('connection refused → AgoraNetworkError, nothing sent', async () => {
    const gone = await startFakeServer();
    await gone.close();
    const c = new AgoraClient({
      baseUrl: gone.url,
      appId,
      customerId,
      customerSecret,
      requestTimeoutMs: 1000,
    });
    const err = await rejection(c.acquire({ cname: 'r', uid: '1', clientRequest: {} }));
    await c.close();
    expect(err.type).toBe('AgoraNetworkError');
    expect(err.outcomeUnknown).toBe(false);
  });

  it("the caller's abort rejects with the caller's reason", async () => {
    server.handle(() => undefined);
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    setTimeout(() => controller.abort(reason), 50);
    await expect(client.start('rid', startBody, { signal: controller.signal })).rejects.toBe(reason);
  });
});
