/**
 * Fuzz: a few thousand seeded random requests over real HTTP (random bytes, random JSON,
 * mutated valid envelopes; random content types, signatures, repeated headers, methods and
 * paths) plus raw garbage on the socket, against a receiver whose Temporal is a closed port.
 * The process must not crash, every answer must be one the design allows for that request,
 * and the receiver must be healthy afterwards. Set RECEIVER_FUZZ_SEED to replay a run.
 */
import http from 'node:http';
import net from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver } from '../../client/receiver/server';
import { freePort } from '../helpers/free-port';
import {
  type HttpAnswer,
  httpSend,
  NCS_OLD_SECRET,
  NCS_SECRET,
  ncsEnvelope,
  ncsEvent,
  signNcs,
} from '../helpers/ncs';
import { lazyCloseSafe } from '../../client/grpc-retry';

const SEED = Number(process.env.RECEIVER_FUZZ_SEED ?? 20_240_601);
const REQUESTS = 2500;
const CONCURRENCY = 24;
const MAX_BODY = 8 * 1024;

/** mulberry32: small, seedable, good enough to pick cases. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chance = (p: number) => next() < p;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const printable = (n: number) => String.fromCharCode(...Array.from({ length: n }, () => 0x20 + int(0x5f)));
  return { next, int, pick, chance, bytes, printable };
}
type Rng = ReturnType<typeof prng>;

function randomJson(rng: Rng, depth = 0): unknown {
  const leaf = () =>
    rng.pick<unknown>([
      null,
      true,
      false,
      rng.int(1e6) - 5e5,
      rng.next() * 1e20,
      rng.printable(rng.int(20)),
      '',
      -0,
      1e308,
    ]);
  if (depth > 3 || rng.chance(0.4)) return leaf();
  if (rng.chance(0.5)) return Array.from({ length: rng.int(5) }, () => randomJson(rng, depth + 1));
  return Object.fromEntries(
    Array.from({ length: rng.int(6) }, () => [
      rng.pick(['noticeId', 'productId', 'eventType', 'payload', 'sid', 'details', rng.printable(6)]),
      randomJson(rng, depth + 1),
    ]),
  );
}

/** A valid envelope with one JSON-level change (or none). */
function mutatedEnvelope(rng: Rng): unknown {
  const t = {
    cname: rng.pick(['room', "ro'om", '', 'x'.repeat(300)]),
    uid: rng.pick(['1', '527841', '']),
    sid: rng.pick(['s'.repeat(32), "a'b\\c", '']),
  };
  const env = rng.pick([
    () => ncsEvent.snapshotFile(t),
    () => ncsEvent.videoState(t, '1001', rng.pick([0, 1] as const)),
    () => ncsEvent.failover(t, rng.int(1e9)),
    () => ncsEvent.error(t, 47, rng.printable(rng.int(400))),
    () =>
      ncsEnvelope(
        rng.pick([1, 2, 3, 11, 12, 33, 40, 41, 43, 44, 45, 90, 999, -1]),
        t,
        randomJson(rng) as Record<string, unknown>,
      ),
  ])();
  const payload = env.payload as Record<string, unknown>;
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const target = rng.pick([env, payload, isObject(payload.details) ? payload.details : payload]);
  const key = rng.pick(Object.keys(target).concat(['extra']));
  switch (rng.int(5)) {
    case 0:
      delete target[key];
      break;
    case 1:
      target[key] = randomJson(rng);
      break;
    case 2:
      env.productId = rng.pick([1, 3, 4, 5, 3.5, '3']);
      break;
    case 3:
      env.eventType = rng.pick([44, 45, 12, 999, 0, 1e20, '45']);
      break;
    default:
      break; // unchanged: a valid event that cannot be delivered (Temporal down)
  }
  return env;
}

interface Case {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body: Buffer;
  chunked: boolean;
  /** Statuses the design allows for this request. */
  allowed: number[];
}

const CONTENT_TYPES: [string | undefined, boolean][] = [
  ['application/json', true],
  ['application/json; charset=utf-8', true],
  ['APPLICATION/JSON;charset=UTF8', true],
  ['text/plain', false],
  ['application/x-www-form-urlencoded', false],
  ['application/json; charset=latin1', false],
  ['application/jsonx', false],
  ['', false],
  [undefined, false],
  ['json', false],
];
const PATHS = [
  '/agora/ncs',
  '/agora/ncs?x=1&y',
  '/agora/ncs/',
  '/AGORA/NCS',
  '//agora/ncs',
  '/agora/ncs/../ncs',
  '/',
  '/healthz',
  '/metrics',
  '/readyz',
  '/%00',
  '/agora%2Fncs',
  '/x?a=%ff',
];
const METHODS = [
  'POST',
  'POST',
  'POST',
  'POST',
  'GET',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'HEAD',
  'PROPFIND',
  'FOO',
];

function makeCase(rng: Rng): Case {
  const method = rng.chance(0.75) ? 'POST' : rng.pick(METHODS);
  const path = rng.chance(0.8) ? '/agora/ncs' : rng.pick(PATHS);
  const bodyKind = rng.int(10);
  const body =
    bodyKind < 2
      ? rng.bytes(rng.int(2000))
      : bodyKind < 4
        ? Buffer.from(JSON.stringify(randomJson(rng)) ?? 'null')
        : bodyKind < 8
          ? Buffer.from(JSON.stringify(mutatedEnvelope(rng)))
          : bodyKind < 9
            ? Buffer.alloc(MAX_BODY + 1 + rng.int(3 * MAX_BODY), rng.pick(['{', ' ', 'a']))
            : (() => {
                const b = Buffer.from(JSON.stringify(mutatedEnvelope(rng)));
                if (b.length) b[rng.int(b.length)] = rng.int(256);
                return b.subarray(0, rng.int(b.length + 1));
              })();

  const headers: Record<string, string | string[]> = {};
  const [contentType, isJson] = rng.chance(0.7) ? CONTENT_TYPES[0]! : rng.pick(CONTENT_TYPES);
  if (contentType !== undefined)
    headers['content-type'] = rng.chance(0.05) ? [contentType, 'text/plain'] : contentType;
  const v2 = signNcs(body, NCS_SECRET, 'v2');
  const sig = rng.int(10);
  let signed = false;
  if (sig < 4) {
    headers['agora-signature-v2'] = rng.chance(0.5) ? v2 : v2.toUpperCase();
    signed = true;
  } else if (sig < 5) {
    headers['agora-signature'] = signNcs(body, NCS_OLD_SECRET, 'v1');
    signed = true;
  } else if (sig < 6) headers['agora-signature-v2'] = [v2, rng.printable(64)];
  else if (sig < 7) headers['agora-signature-v2'] = rng.printable(rng.int(100));
  else if (sig < 8) {
    headers['agora-signature-v2'] = rng.bytes(32).toString('hex');
    headers['agora-signature'] = signNcs(body, NCS_SECRET, 'v1');
  } else if (sig < 9) headers['agora-signature'] = signNcs(body, 'wrong', 'v1');
  for (let i = rng.int(4); i > 0; i--)
    headers[`x-${rng.printable(8).replace(/[^a-z0-9]/gi, '') || 'h'}`] = rng.chance(0.3)
      ? [rng.printable(10), rng.printable(10)]
      : rng.printable(rng.int(50));

  const ncsPath = path === '/agora/ncs' || path.startsWith('/agora/ncs?');
  let allowed: number[];
  // Node's parser refuses methods it does not know before any handler runs.
  if (!http.METHODS.includes(method)) allowed = [400];
  else if (ncsPath && method !== 'POST') allowed = [405];
  else if (ncsPath) {
    if (!isJson) allowed = [415];
    else if (body.length > MAX_BODY) allowed = [413];
    else if (!signed) allowed = [401];
    else allowed = [200, 400, 503]; // ignored / bad JSON or envelope / signal impossible
  } else if (['/healthz', '/metrics'].includes(path))
    allowed = method === 'GET' || method === 'HEAD' ? [200] : [405];
  else if (path === '/readyz') allowed = method === 'GET' || method === 'HEAD' ? [503] : [405];
  else allowed = [404];
  // node:http frames GET/HEAD/DELETE/OPTIONS bodies only with a Content-Length: "chunked" would
  // send unframed bytes, which the server rightly parses as a broken next request.
  const chunked = rng.chance(0.3) && !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(method);
  return { method, path, headers, body, chunked, allowed };
}

/** Raw bytes on a socket: the answer's status line, if any, once the server closes or answers. */
function rawExchange(url: string, data: Buffer): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(port), hostname);
    let got = '';
    s.setTimeout(3000, () => s.destroy());
    s.on('data', (c) => {
      got += c.toString('latin1');
    });
    s.on('error', () => {});
    s.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
    s.write(data, () => s.end());
  });
}

describe('receiver fuzz', () => {
  let r: Receiver;
  let connection: Connection;
  beforeAll(async () => {
    connection = lazyCloseSafe({
      address: `127.0.0.1:${await freePort()}`,
    });
    r = await startReceiver({
      client: new Client({ connection }),
      secrets: [NCS_SECRET, NCS_OLD_SECRET],
      maxBodyBytes: MAX_BODY,
      signalTimeoutMs: 150,
    });
  });
  afterAll(async () => {
    await r?.close({ graceMs: 1000 });
    await connection?.close();
  });

  it(`answers ${REQUESTS} random requests (seed ${SEED}) only as the design allows`, async () => {
    const rng = prng(SEED);
    const cases = Array.from({ length: REQUESTS }, () => makeCase(rng));
    const unexpected: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < cases.length; i += CONCURRENCY) {
      await Promise.all(
        cases.slice(i, i + CONCURRENCY).map(async (c, j) => {
          const res: HttpAnswer | Error = await httpSend(r.url, { ...c, timeoutMs: 10_000 }).catch(
            (e: Error) => e,
          );
          const status = res instanceof Error ? -1 : res.status;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (!c.allowed.includes(status)) {
            unexpected.push(
              `#${i + j} ${c.method} ${c.path} ct=${JSON.stringify(c.headers['content-type'])} len=${c.body.length} → ${res instanceof Error ? res.message : `${status} ${res.text.slice(0, 100)}`}, allowed ${c.allowed.join('/')}`,
            );
          }
        }),
      );
    }
    expect(unexpected.slice(0, 10)).toEqual([]);
    // The mix really exercised every tier (guards against a generator that degenerated).
    for (const s of [200, 400, 401, 404, 405, 413, 415, 503])
      expect(statuses.get(s) ?? 0, `status ${s}`).toBeGreaterThan(0);
  }, 60_000);

  it('survives garbage that is not HTTP', async () => {
    const rng = prng(SEED + 1);
    const lines = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        rawExchange(
          r.url,
          i % 2
            ? rng.bytes(rng.int(3000))
            : Buffer.from(
                `POST /agora/ncs HTTP/1.1\r\nHost: x\r\n${rng.printable(rng.int(200))}\r\nContent-Length: ${rng.pick(['-1', 'abc', '1, 2', '99999999999999999999'])}\r\n\r\n{}`,
              ),
        ),
      ),
    );
    for (const line of lines)
      expect(line === '' || /^HTTP\/1\.1 (400|413|431|505) /.test(line), line).toBe(true);
  });

  it('is healthy afterwards and counted every request', async () => {
    const res = await httpSend(r.url, { method: 'GET', path: '/healthz' });
    expect([res.status, res.json()]).toEqual([200, { status: 'ok' }]);
    const s = r.stats();
    expect(s.verdicts['internal-error']).toBe(0);
    expect(Object.values(s.verdicts).reduce((a, b) => a + b, 0)).toBeGreaterThan(REQUESTS * 0.7);
  });
});
