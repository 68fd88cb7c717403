/**
 * startEmulator: wires the state, the HTTP server (REST + admin on one port) and the
 * programmatic API together.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin, UnknownSessionError } from './admin';
import { faultSchema } from './admin-schemas';
import type { ResolvedCallbackFaults } from './callback-faults';
import type { Core } from './core';
import { FaultQueues } from './faults';
import { send } from './http-io';
import { resolveOptions, type EmulatorOptions } from './options';
import { RateLimiter } from './rate-limit';
import { ResourceIdCodec } from './resource-id';
import { handleRest } from './rest-pipeline';
import type { Session } from './session';
import { SessionStore } from './session-store';
import { TaskQuota } from './task-quota';
import type { CallbackFaults, CallbackRecord, ChannelHandle, ScenarioStep } from './sim-types';
import { Simulation } from './simulation';
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
  /**
   * Starts an HA window: query/update/stop of `sid` answer 404 for `windowMs` (× timeScale) while
   * billing goes on and screenshots pause; then the bot rejoins with a new uid (event 12) and
   * later files are named `bak<n>_…`. The fourth failover ends the session.
   */
  failover(sid: string, opts: { windowMs: number }): void;
  /** Agora ends the session itself (idle timeout, kicked): billing stops, then 49, then 404. */
  endSession(sid: string, reason?: 'idle' | 'agora'): void;
  /**
   * Replaces the accepted RESTful API credentials (a customer secret rotated in Agora's
   * console): from now on only these pass Basic auth; the old ones get 401.
   */
  rotateCredentials(credentials: { customerId?: string; customerSecret: string }): void;
  /** Forgets sessions, requests, faults, rate-limit history, channels, callbacks and scenarios. */
  reset(): void;
  /** Folder of the local bucket; screenshot object keys are paths below it. */
  readonly bucketDir: string;
  /** The simulated channel `cname` (created on first use, with the autoPublishers in it). */
  channel(cname: string): ChannelHandle;
  /** Every notification scheduled so far with its delivery attempts (only with a callback URL). */
  callbacks(): CallbackRecord[];
  /** Replaces the callback fault settings (unset fields off); returns them with the seed used. */
  callbackFaults(faults: CallbackFaults): ResolvedCallbackFaults;
  /** Runs a scripted channel timeline (see ScenarioStep); `cancel` stops its pending steps. */
  runScenario(steps: readonly ScenarioStep[]): { cancel(): void };
  /** Sends any NCS event for a session (e.g. 2, 31, 33), sequenced like the built-in ones. */
  notify(sid: string, eventType: number, details?: Record<string, unknown>): void;
}

/** Starts an emulator listening on `opts.host:opts.port` (port 0 = any free port). */
export async function startEmulator(options: EmulatorOptions): Promise<AgoraEmulator> {
  const opts = resolveOptions(options);
  const sim = new Simulation(opts, (sid, windowMs) => emulator.failover(sid, { windowMs }));
  // Handlers and the store see the simulation's hooks, which call the user's after their own.
  const hooks = sim.hooks();
  const core: Core = {
    opts: { ...opts, hooks },
    store: new SessionStore(opts.now, hooks, opts.log),
    codec: new ResourceIdCodec(`${opts.appId}:${opts.customerSecret}`),
    faults: new FaultQueues(),
    limiter: new RateLimiter(opts.qpsLimit, opts.now),
    quota: new TaskQuota(opts.now, opts.resourceTtlMs),
    credentials: { customerId: opts.customerId, customerSecret: opts.customerSecret },
    requests: [],
  };
  sim.attach(core.store);
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
      core.store.failover(session(sid), windowMs * opts.timeScale);
    },
    endSession(sid, reason = 'agora') {
      core.store.end(session(sid), reason);
    },
    rotateCredentials({ customerId, customerSecret }) {
      if (!customerSecret || customerId === '') throw new Error('rotateCredentials: empty credentials');
      core.credentials = { customerId: customerId ?? core.credentials.customerId, customerSecret };
    },
    reset() {
      core.store.clear();
      core.quota.clear();
      core.requests.length = 0;
      core.faults.clear();
      core.limiter.clear();
      sim.reset();
    },
    bucketDir: opts.bucketDir,
    channel: (cname) => sim.channels.get(cname),
    callbacks: () => sim.delivery.list(),
    callbackFaults: (faults) => sim.delivery.faults.set(faults),
    runScenario: (steps) => sim.scenarios.run(steps),
    notify(sid, eventType, details = {}) {
      const rec = sim.recorder(session(sid).sid);
      if (!rec) throw new UnknownSessionError(`no recorder for sid ${sid} (reset?)`);
      rec.notify(eventType, details);
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
    sim.close();
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    });
    return closing;
  }
  return emulator;
}
