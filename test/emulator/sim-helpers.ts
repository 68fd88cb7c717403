/**
 * Helpers for the channel-simulation tests: a real HTTP receiver on 127.0.0.1 that verifies
 * both NCS signatures itself (node:crypto, independent of the emulator's code), an emulator
 * wired to it with an accelerated clock, and `until` to await conditions instead of sleeping.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatorOptions } from '../../emulator';
import { emulatorForTest } from './helpers';

export const SECRET = 'ncs-secret-for-tests';

/** A callback body as the reference describes it (what the tests then check field by field). */
export interface Body {
  noticeId: string;
  productId: number;
  eventType: number;
  notifyMs: number;
  payload: {
    cname: string;
    uid: string;
    sid: string;
    sequence: number;
    sendts: number;
    serviceType: number;
    details: { msgName: string; [field: string]: unknown };
  };
}

/** One request the receiver got. */
export interface Received {
  raw: string;
  body: Body;
  headers: IncomingHttpHeaders;
  /** Agora-Signature (HMAC-SHA1) matched. */
  sha1Ok: boolean;
  /** Agora-Signature-V2 (HMAC-SHA256) matched. */
  sha256Ok: boolean;
  /** Status the receiver answered. */
  status: number;
}

function matches(alg: 'sha1' | 'sha256', raw: Buffer, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  const want = Buffer.from(createHmac(alg, SECRET).update(raw).digest('hex'));
  const got = Buffer.from(header);
  return got.length === want.length && timingSafeEqual(got, want) && /^[0-9a-f]+$/.test(header);
}

/** Collects callbacks. `answer` decides each status (default 200); it may also delay. */
export class Receiver {
  readonly got: Received[] = [];
  url = '';
  answer: (body: Body, index: number) => number | Promise<number> = () => 200;
  private readonly server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = JSON.parse(raw.toString('utf8')) as Body;
      // index: how many of this event type came before (to fail the first n attempts).
      const index = this.got.filter((g) => g.body.eventType === body.eventType).length;
      void Promise.resolve(this.answer(body, index)).then((status) => {
        this.got.push({
          raw: raw.toString('utf8'),
          body,
          headers: req.headers,
          sha1Ok: matches('sha1', raw, req.headers['agora-signature']),
          sha256Ok: matches('sha256', raw, req.headers['agora-signature-v2']),
          status,
        });
        if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
    });
  });

  static async start(): Promise<Receiver> {
    const r = new Receiver();
    await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
    r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/agora`;
    return r;
  }

  /** Bodies answered 200, in arrival order. */
  delivered(): Body[] {
    return this.got.filter((g) => g.status === 200).map((g) => g.body);
  }

  /** Delivered bodies of one event type, in arrival order. */
  events(eventType: number): Body[] {
    return this.delivered().filter((b) => b.eventType === eventType);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Polls `cond` (sync or async) every 10 ms until it is truthy; fails with `what` after `timeoutMs`. */
export async function until<T>(
  what: string,
  cond: () => T | Promise<T>,
  timeoutMs = 8000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * An emulator on the real clock posting to a fresh receiver, with timeScale 0.1 (5 s screenshot
 * intervals every 0.5 s), fast resends and a fresh bucket folder.
 */
export async function simForTest(extra: Partial<EmulatorOptions> = {}) {
  const receiver = await Receiver.start();
  const bucketDir = mkdtempSync(join(tmpdir(), 'emu-bucket-test-'));
  const t = await emulatorForTest({
    now: Date.now,
    callback: { url: receiver.url, secret: SECRET },
    timeScale: 0.1,
    resendDelaysMs: [50, 100, 150],
    bucketDir,
    ...extra,
  });
  return { ...t, receiver, bucketDir };
}

/** Every file below `dir`, as paths relative to it with `/` separators. */
export function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) =>
        join(e.parentPath, e.name)
          .slice(dir.length + 1)
          .split('\\')
          .join('/'),
      )
      .sort();
  } catch {
    return [];
  }
}

/**
 * Agora's screenshot name, per https://docs.agora.io/en/cloud-recording/develop/screen-capture
 * (anchored, optional `bak<n>_`).
 */
export const SNAPSHOT_NAME = /^(?:bak(\d+)_)?([0-9a-f]{32})_(.+?)__uid_s_(\d+)__uid_e_video_(\d{17})\.jpg$/;
