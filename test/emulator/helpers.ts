/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return --
   JSON bodies are untyped on purpose: tests build and break them one field at a time. */
/**
 * Test helpers for the emulator: a controllable clock, a tiny HTTP client (undici) that speaks
 * Agora's REST paths, and body builders that start from a valid screenshot request so each test
 * breaks exactly one thing.
 */
import { request } from 'undici';
import { startEmulator, type AgoraEmulator, type EmulatorOptions } from '../../emulator';
import { type Mutator, referenceStartBody } from '../helpers/agora-bodies';

export type { Mutator };

export const APP_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const CUSTOMER_ID = 'customer-id';
export const CUSTOMER_SECRET = 'customer-secret';
export const CNAME = 'room42';
export const UID = '527841';

/** A clock tests move by hand. */
export class Clock {
  constructor(public t = Date.UTC(2026, 0, 1, 12)) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Starts an emulator on a free port with the test credentials and a manual clock. */
export async function emulatorForTest(
  extra: Partial<EmulatorOptions> = {},
): Promise<{ emu: AgoraEmulator; clock: Clock; api: Api }> {
  const clock = new Clock();
  const emu = await startEmulator({
    appId: APP_ID,
    customerId: CUSTOMER_ID,
    customerSecret: CUSTOMER_SECRET,
    now: clock.now,
    ...extra,
  });
  return { emu, clock, api: new Api(emu.url) };
}

/** An HTTP answer with its body parsed as JSON when possible. */
export interface Answer {
  status: number;
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** Minimal Agora REST client over undici, with knobs to send wrong things on purpose. */
export class Api {
  constructor(readonly url: string) {}

  async send(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    opts: { auth?: string | null; contentType?: string | null; rawBody?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = {};
    const auth = opts.auth === undefined ? basic(CUSTOMER_ID, CUSTOMER_SECRET) : opts.auth;
    if (auth !== null) headers.authorization = auth;
    const payload = opts.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    const ct = opts.contentType === undefined ? 'application/json;charset=utf-8' : opts.contentType;
    if (payload !== undefined && ct !== null) headers['content-type'] = ct;
    const res = await request(`${this.url}${path}`, { method, headers, body: payload });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* keep text */
    }
    return { status: res.statusCode, body: parsed, headers: res.headers };
  }

  prefix(appId = APP_ID): string {
    return `/v1/apps/${appId}/cloud_recording`;
  }
  acquire(body: unknown = acquireBody()): Promise<Answer> {
    return this.send('POST', `${this.prefix()}/acquire`, body);
  }
  start(resourceId: string, body: unknown = startBody(), mode = 'individual'): Promise<Answer> {
    return this.send('POST', `${this.prefix()}/resourceid/${resourceId}/mode/${mode}/start`, body);
  }
  query(resourceId: string, sid: string, mode = 'individual'): Promise<Answer> {
    return this.send('GET', `${this.prefix()}/resourceid/${resourceId}/sid/${sid}/mode/${mode}/query`);
  }
  update(
    resourceId: string,
    sid: string,
    body: unknown = updateBody(),
    mode = 'individual',
  ): Promise<Answer> {
    return this.send(
      'POST',
      `${this.prefix()}/resourceid/${resourceId}/sid/${sid}/mode/${mode}/update`,
      body,
    );
  }
  stop(resourceId: string, sid: string, body: unknown = stopBody(), mode = 'individual'): Promise<Answer> {
    return this.send('POST', `${this.prefix()}/resourceid/${resourceId}/sid/${sid}/mode/${mode}/stop`, body);
  }

  /** acquire + start with valid bodies; fails the test if either is not 200. */
  async startSession(
    over: Mutator = () => {},
    acquireOver: Mutator = () => {},
  ): Promise<{ resourceId: string; sid: string }> {
    const a = await this.acquire(acquireBody(acquireOver));
    if (a.status !== 200) throw new Error(`acquire ${a.status} ${JSON.stringify(a.body)}`);
    const s = await this.start(a.body.resourceId, startBody(over));
    if (s.status !== 200) throw new Error(`start ${s.status} ${JSON.stringify(s.body)}`);
    return { resourceId: a.body.resourceId, sid: s.body.sid };
  }
}

function build(base: unknown, mutate: Mutator): any {
  const copy = structuredClone(base);
  mutate(copy);
  return copy;
}

/** A valid acquire body. */
export const acquireBody = (mutate: Mutator = () => {}) =>
  build({ cname: CNAME, uid: UID, clientRequest: { scene: 0, resourceExpiredHour: 24 } }, mutate);

/**
 * A valid screenshot-only start body (as in the example of
 * https://docs.agora.io/en/api-reference/api-ref/cloud-recording/start).
 */
export const startBody = (mutate: Mutator = () => {}) => referenceStartBody(mutate) as any;

/** A valid update body (video subscription change). */
export const updateBody = (mutate: Mutator = () => {}) =>
  build(
    {
      cname: CNAME,
      uid: UID,
      clientRequest: { streamSubscribe: { videoUidList: { subscribeVideoUids: ['1001', '1002'] } } },
    },
    mutate,
  );

/** A valid stop body. */
export const stopBody = (mutate: Mutator = () => {}) =>
  build({ cname: CNAME, uid: UID, clientRequest: { async_stop: false } }, mutate);
