/**
 * startEmulator: wires the state, the HTTP server (REST + admin on one port) and the
 * programmatic API together.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin, UnknownSessionError } from './admin';
import { faultSchema } from './admin-schemas';
import type { Core } from './core';
import { FaultQueues } from './faults';
import { send } from './http-io';
import { resolveOptions, type EmulatorOptions } from './options';
import { RateLimiter } from './rate-limit';
import { ResourceIdCodec } from './resource-id';
import { handleRest } from './rest-pipeline';
import type { Session } from './session';
import { SessionStore } from './session-store';
import type { Endpoint, Fault, LedgerEntry, RequestRecord } from './types';

/** A running emulator. */
export interface AgoraEmulator {
  /** Base URL, e.g. http://127.0.0.1:43121 (use it in place of https://api.sd-rtn.com). */
  readonly url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
  /** Every session started so far, in start order. */
  ledger(): LedgerEntry[];
  /** Every REST request so far, in arrival order. */
  requests(): RequestRecord[];
  /** Queues faults for an endpoint; each matching request consumes one, in order. */
  inject(endpoint: Endpoint, ...faults: Fault[]): void;
  /** Drops all pending faults. */
  clearFaults(): void;
  /** Starts an HA window: query/update/stop of `sid` answer 404 for `windowMs`; billing goes on. */
  failover(sid: string, opts: { windowMs: number }): void;
  /** Agora ends the session itself (idle timeout, kicked): billing stops, then 49, then 404. */
  endSession(sid: string, reason?: 'idle' | 'agora'): void;
  /** Forgets sessions, requests, faults and rate-limit history. */
  reset(): void;
}

/** Starts an emulator listening on `opts.host:opts.port` (port 0 = any free port). */
export async function startEmulator(options: EmulatorOptions): Promise<AgoraEmulator> {
  const opts = resolveOptions(options);
  const core: Core = {
    opts,
    store: new SessionStore(opts.now, opts.hooks, opts.log),
    codec: new ResourceIdCodec(),
    faults: new FaultQueues(),
    limiter: new RateLimiter(opts.qpsLimit, opts.now),
    requests: [],
  };
  const session = (sid: string): Session => {
    const s = core.store.get(sid);
    if (!s) throw new UnknownSessionError(`unknown sid ${sid}`);
    return s;
  };

  let url = '';
  const emulator: AgoraEmulator = {
    get url() {
      return url;
    },
    close: () => close(),
    ledger: () => core.store.ledger(),
    requests: () => core.requests.map((r) => ({ ...r })),
    inject(endpoint, ...faults) {
      core.faults.push(
        endpoint,
        faults.map((f) => faultSchema.parse(f)),
      );
    },
    clearFaults: () => core.faults.clear(),
    failover(sid, { windowMs }) {
      core.store.failover(session(sid), windowMs);
    },
    endSession(sid, reason = 'agora') {
      core.store.end(session(sid), reason);
    },
    reset() {
      core.store.clear();
      core.requests.length = 0;
      core.faults.clear();
      core.limiter.clear();
    },
  };

  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    try {
      const pathname = new URL(req.url ?? '/', 'http://emulator').pathname;
      if (pathname.startsWith('/__emulator/')) await handleAdmin(emulator, req, res, requestId, pathname);
      else await handleRest(core, req, res, requestId, pathname);
    } catch (e) {
      opts.log(`unhandled: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent && !res.destroyed)
        send(res, 500, { code: 500, reason: 'internal_error' }, requestId);
    }
  };
  const server = createServer((req, res) => void dispatch(req, res));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    });
    return closing;
  }
  return emulator;
}
