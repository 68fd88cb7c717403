/**
 * The HTTP side against a Temporal stand-in: order of checks, header handling, probes,
 * metrics, logging and graceful close. Routing against a real server is in
 * test/integration/receiver.test.ts.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver } from '../../client/receiver/server';
import type { TemporalPort } from '../../client/receiver/temporal-port';
import { httpSend, NCS_SECRET, ncsEvent, ncsRequest, postNcs, signNcs } from '../helpers/ncs';

const target = { cname: 'room', uid: '527841', sid: 'sid-unit' };
const signalled: string[] = [];
let signalDelayMs = 0;
let pingHangs = false;
const port: TemporalPort = {
  signal: async (id, name) => {
    if (signalDelayMs) await new Promise((r) => setTimeout(r, signalDelayMs));
    signalled.push(`${name} ${id}`);
    return true;
  },
  findRunningBySid: async () => undefined,
  ping: () => (pingHangs ? new Promise(() => {}) : Promise.resolve()),
};

describe('receiver HTTP handling', () => {
  let r: Receiver;
  const logs: Record<string, unknown>[] = [];
  beforeAll(async () => {
    r = await startReceiver({
      temporal: port,
      secrets: [NCS_SECRET],
      maxBodyBytes: 4096,
      log: (l) => logs.push(l),
    });
  });
  afterAll(() => r?.close());

  it('checks the content type before the size and the signature', async () => {
    const req = ncsRequest(Buffer.alloc(10_000, 'x'), { signed: 'none', contentType: 'text/plain' });
    expect((await postNcs(r.url, req)).status).toBe(415);
  });

  it('checks the announced size before reading or verifying', async () => {
    const res = await postNcs(r.url, ncsRequest(Buffer.alloc(5000, 'x'), { signed: 'none' }));
    expect(res.status).toBe(413);
  });

  it('answers a large unread body before cutting the connection, without a reset eating the answer', async () => {
    // 4 MiB announced and sent: the answer comes first, then at most 1 MiB is drained.
    const res = await httpSend(r.url, {
      ...ncsRequest(Buffer.alloc(4 * 1024 * 1024, 'x')),
      chunked: true,
    }).catch((e: Error) => e);
    expect(res instanceof Error ? res.message : res.status).toBe(413);
  });

  it('keeps the connection usable after an early answer to a small body', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await httpSend(r.url, {
      ...ncsRequest(ncsEvent.snapshotFile(target), { contentType: 'text/plain' }),
      agent,
    });
    const second = await httpSend(r.url, { ...ncsRequest(ncsEvent.snapshotFile(target)), agent });
    agent.destroy();
    expect([first.status, second.status]).toEqual([415, 200]);
  });

  it('stops reading a chunked body at the limit', async () => {
    const res = await httpSend(r.url, { ...ncsRequest(Buffer.alloc(4097, ' ')), chunked: true });
    expect(res.status).toBe(413);
  });

  it('verifies the signature before parsing', async () => {
    const res = await postNcs(r.url, ncsRequest('{not json', { signed: 'none' }));
    expect([res.status, res.json()]).toEqual([
      401,
      { error: 'missing Agora-Signature-V2 / Agora-Signature header' },
    ]);
  });

  it('refuses a repeated signature header even when one copy is right', async () => {
    const req = ncsRequest(ncsEvent.snapshotFile(target), { signed: 'none' });
    req.headers['agora-signature-v2'] = [signNcs(req.body, NCS_SECRET, 'v2'), 'ab'.repeat(32)];
    expect((await postNcs(r.url, req)).status).toBe(401);
  });

  it.each([
    ['application/json; charset=utf-8', 200],
    ['Application/JSON', 200],
    ['application/json;charset="UTF-8"', 200],
    ['application/json; charset=iso-8859-1', 415],
    ['application/jsonp', 415],
    ['', 415],
  ])('content type %j → %i', async (contentType, status) => {
    expect((await postNcs(r.url, ncsRequest(ncsEvent.snapshotFile(target), { contentType }))).status).toBe(
      status,
    );
  });

  it('ignores a query string on the NCS path', async () => {
    const res = await httpSend(r.url, {
      ...ncsRequest(ncsEvent.snapshotFile(target)),
      path: '/agora/ncs?source=console',
    });
    expect([res.status, res.text]).toEqual([200, '{}']);
  });

  it('keeps connections alive for longer than the 10 s Agora asks for', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await httpSend(r.url, { ...ncsRequest(ncsEvent.snapshotFile(target)), agent });
    const second = await httpSend(r.url, { ...ncsRequest(ncsEvent.snapshotFile(target)), agent });
    agent.destroy();
    expect(first.headers['keep-alive']).toBe('timeout=15');
    expect(second.status).toBe(200);
  });

  it('answers the probes and rejects other methods on them', async () => {
    expect((await httpSend(r.url, { method: 'GET', path: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await httpSend(r.url, { method: 'HEAD', path: '/healthz' })).status).toBe(200);
    expect((await httpSend(r.url, { method: 'GET', path: '/readyz' })).status).toBe(200);
    const post = await httpSend(r.url, { method: 'POST', path: '/healthz' });
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
  });

  it('reports not ready when Temporal does not answer in time', async () => {
    pingHangs = true;
    const started = Date.now();
    const res = await httpSend(r.url, { method: 'GET', path: '/readyz' });
    pingHangs = false;
    expect(res.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('exposes the counters in Prometheus format', async () => {
    const before = r.stats();
    await postNcs(r.url, ncsRequest(ncsEvent.snapshotFile(target), { signed: 'none' }));
    const res = await httpSend(r.url, { method: 'GET', path: '/metrics' });
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain(
      `agora_capture_receiver_requests_total{verdict="bad-signature"} ${before.verdicts['bad-signature'] + 1}`,
    );
    expect(res.text).toMatch(/agora_capture_receiver_signals_total\{signal="agoraEvent"\} [1-9]/);
    expect(res.text).toContain('# TYPE agora_capture_receiver_signal_rpcs_total counter');
  });

  it('logs one line per NCS request without signatures or secrets', async () => {
    logs.length = 0;
    const req = ncsRequest(ncsEvent.snapshotFile(target));
    await postNcs(r.url, req);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      verdict: 'accepted',
      status: 200,
      eventType: 45,
      sid: 'sid-unit',
      workflowId: 'capture/room/527841',
      signal: 'agoraEvent',
    });
    expect(typeof logs[0]!.ms).toBe('number');
    const text = JSON.stringify(logs);
    expect(text).not.toContain(NCS_SECRET);
    expect(text).not.toContain(req.headers['agora-signature-v2'] as string);
  });

  it('finishes in-flight requests when closed, then refuses new connections', async () => {
    const own = await startReceiver({ temporal: port, secrets: [NCS_SECRET] });
    signalDelayMs = 300;
    const inFlight = postNcs(own.url, ncsRequest(ncsEvent.snapshotFile(target)));
    await new Promise((res) => setTimeout(res, 100));
    const closed = own.close();
    expect((await inFlight).status).toBe(200);
    await closed;
    signalDelayMs = 0;
    await expect(httpSend(own.url, { method: 'GET', path: '/healthz' })).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('receiver with a separate admin listener', () => {
  let r: Receiver;
  beforeAll(async () => {
    r = await startReceiver({ temporal: port, secrets: [NCS_SECRET], adminPort: 0 });
  });
  afterAll(() => r?.close());

  it('serves the probes and metrics on the admin port only', async () => {
    expect(r.adminUrl).not.toBe(r.url);
    for (const probe of ['/healthz', '/readyz', '/metrics']) {
      expect((await httpSend(r.adminUrl, { method: 'GET', path: probe })).status, probe).toBe(200);
      expect((await httpSend(r.url, { method: 'GET', path: probe })).status, probe).toBe(404);
    }
  });

  it('takes callbacks on the public port and not on the admin port', async () => {
    expect((await postNcs(r.url, ncsRequest(ncsEvent.snapshotFile(target)))).status).toBe(200);
    expect((await postNcs(r.adminUrl, ncsRequest(ncsEvent.snapshotFile(target)))).status).toBe(404);
  });

  it('closes both listeners', async () => {
    const own = await startReceiver({ temporal: port, secrets: [NCS_SECRET], adminPort: 0 });
    await own.close();
    await expect(httpSend(own.url, { method: 'GET', path: '/healthz' })).rejects.toThrow(/ECONNREFUSED/);
    await expect(httpSend(own.adminUrl, { method: 'GET', path: '/healthz' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
