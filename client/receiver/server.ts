/**
 * The NCS receiver: a node:http server answering Agora's callbacks and health probes.
 *
 * Routes: `POST /agora/ncs` (see handle-ncs.ts), `GET /healthz` (process up), `GET /readyz`
 * (Temporal answers), `GET /metrics` (Prometheus). With `adminPort` set, the three probes are
 * served only on that second listener, so the port published to Agora answers nothing but
 * callbacks (each /readyz costs a Temporal call; /metrics tells traffic). The admin listener
 * also serves `GET /captures/<workflowId>/timeline` when given a renderer. Keep-alive stays on
 * with a timeout above the 10 s Agora asks for, so its connection reuse works.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { handleNcs, type NcsDeps, type Outcome } from './handle-ncs';
import { replyJson } from './http-reply';
import { handleProbe, PROBE_PATHS } from './probes';
import { ReplayGuard } from './replay-guard';
import { SidCache } from './sid-cache';
import { Counters, type ReceiverStats } from './stats';
import { type TemporalPort, temporalPort } from './temporal-port';
import { handleTimeline, type TimelineRenderer, timelineWorkflowId } from './timeline-route';

/** Path Agora posts to (configure `https://<host>/agora/ncs` in the console). */
export const NCS_PATH = '/agora/ncs';
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/** Half of Agora's 10 s: a 503 in time lets Agora resend; a late 200 counts as a failure. */
export const DEFAULT_SIGNAL_TIMEOUT_MS = 5000;
/**
 * Far above Agora's resend horizon (3 resends within minutes; `_notification_center_service.mdx`
 * in https://github.com/AgoraIO/Docs-Source/tree/HEAD/shared/notification-center-service).
 */
export const DEFAULT_REPLAY_WINDOW_MS = 60 * 60 * 1000;
/** Clock skew tolerated between Agora's clock and ours. */
export const DEFAULT_FUTURE_SKEW_MS = 5 * 60 * 1000;
/** About 100 bytes each: ~20 MB at the cap. */
export const DEFAULT_MAX_REMEMBERED_NOTICES = 200_000;

/** Options of {@link startReceiver}: a Temporal client, or (tests) a {@link TemporalPort} in its place. */
export type ReceiverOptions = ReceiverSettings &
  ({ client: Client; temporal?: undefined } | { client?: undefined; temporal: TemporalPort });

/** Everything but the Temporal side. */
export interface ReceiverSettings {
  /** NCS secrets; a signature matching any of them is accepted (rotation). */
  secrets: string[];
  /** Default 127.0.0.1: put a TLS-terminating proxy in front (Agora requires HTTPS). */
  host?: string;
  /** 0 = a random free port. */
  port?: number;
  /**
   * Port of a separate listener for /healthz, /readyz and /metrics (0 = a random free port).
   * Unset: the probes are served on `port` beside the callbacks.
   */
  adminPort?: number;
  /** Host of the admin listener; default 127.0.0.1. */
  adminHost?: string;
  maxBodyBytes?: number;
  /** Budget for routing and signalling one event, after which the answer is 503. */
  signalTimeoutMs?: number;
  /** Callbacks whose signed notifyMs is older are refused (400): replays. */
  replayWindowMs?: number;
  /** Callbacks whose notifyMs is further ahead of our clock are refused (400). */
  futureSkewMs?: number;
  /** Cap on noticeIds remembered to acknowledge repeats without a signal. */
  maxRememberedNotices?: number;
  /**
   * Serves `GET /captures/<workflowId>/timeline` on the admin listener (needs `adminPort`; it is
   * never served on `port`, the one published to Agora).
   */
  timeline?: TimelineRenderer;
  /** One structured line per request (never bodies, signatures or secrets). */
  log?: (line: Record<string, unknown>) => void;
}

/** A running receiver. */
export interface Receiver {
  /** Base URL, e.g. http://127.0.0.1:8088 (post to `${url}/agora/ncs`). */
  url: string;
  /** Base URL of the probes (`${adminUrl}/readyz`): the admin listener's, or `url` without one. */
  adminUrl: string;
  stats(): ReceiverStats;
  /** Stops accepting, lets in-flight requests finish (at most `graceMs`), then closes. */
  close(opts?: { graceMs?: number }): Promise<void>;
}

/** Starts listening; resolves once the port is bound. */
export async function startReceiver(opts: ReceiverOptions): Promise<Receiver> {
  if (!opts.secrets.some((s) => s.length > 0))
    throw new Error('startReceiver: at least one NCS secret is required');
  if (opts.timeline && opts.adminPort === undefined)
    throw new Error('startReceiver: the timeline is served on the admin port only; set adminPort');
  const replayWindowMs = opts.replayWindowMs ?? DEFAULT_REPLAY_WINDOW_MS;
  const futureSkewMs = opts.futureSkewMs ?? DEFAULT_FUTURE_SKEW_MS;
  const replay = new ReplayGuard({
    windowMs: replayWindowMs,
    futureSkewMs,
    maxEntries: opts.maxRememberedNotices ?? DEFAULT_MAX_REMEMBERED_NOTICES,
  });
  const counters = new Counters(() => ({ remembered: replay.size, forgottenEarly: replay.evictedEarly }));
  const port =
    opts.temporal ??
    temporalPort(opts.client, opts.signalTimeoutMs ?? DEFAULT_SIGNAL_TIMEOUT_MS, () =>
      counters.signalRpc('agoraEvent'),
    );
  const deps: NcsDeps = {
    secrets: opts.secrets,
    maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    signalTimeoutMs: opts.signalTimeoutMs ?? DEFAULT_SIGNAL_TIMEOUT_MS,
    port,
    cache: new SidCache(),
    counters,
    replay,
    replayWindowMs,
    futureSkewMs,
    inflight: new Map(),
  };
  const log = opts.log ?? (() => {});

  const finish = (req: IncomingMessage, res: ServerResponse, started: number, o: Outcome) => {
    counters.verdict(o.verdict);
    replyJson(res, o.status, o.body, {
      unread: o.unread ? req : undefined,
      headers: o.status === 405 ? { Allow: 'POST' } : {},
    });
    // The path only: a query string configured in the console could carry a token.
    log({
      msg: 'ncs',
      verdict: o.verdict,
      status: o.status,
      method: req.method,
      path: pathOf(req.url)?.slice(0, 200),
      ...o.log,
      ms: Math.round(performance.now() - started),
    });
  };

  const separateAdmin = opts.adminPort !== undefined;
  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const path = pathOf(req.url);
    if (!separateAdmin && path !== undefined && PROBE_PATHS.has(path))
      return handleProbe(path, req, res, { port, counters });
    if (path === NCS_PATH) {
      if (req.method !== 'POST')
        return finish(req, res, started, {
          verdict: 'method-not-allowed',
          status: 405,
          body: { error: 'use POST' },
          unread: true,
        });
      return finish(req, res, started, await handleNcs(req, deps));
    }
    finish(req, res, started, {
      verdict: 'not-found',
      status: 404,
      body: { error: 'not found' },
      unread: true,
    });
  };

  const onAdminRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req.url);
    if (path !== undefined && PROBE_PATHS.has(path)) return handleProbe(path, req, res, { port, counters });
    const workflowId = opts.timeline && path !== undefined ? timelineWorkflowId(path) : undefined;
    if (workflowId !== undefined && opts.timeline)
      return handleTimeline(workflowId, req, res, opts.timeline, log);
    replyJson(res, 404, { error: 'not found' }, { unread: req });
  };

  const serve = (handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) => {
    const server = createServer({ requestTimeout: 30_000, headersTimeout: 15_000 }, (req, res) => {
      handler(req, res).catch((e: unknown) => {
        counters.verdict('internal-error');
        log({ msg: 'ncs', verdict: 'internal-error', error: e instanceof Error ? e.message : String(e) });
        replyJson(res, 500, { error: 'internal error' }, { unread: req });
      });
    });
    server.keepAliveTimeout = 15_000;
    return server;
  };

  const server = serve(onRequest);
  const url = await listen(server, opts.port ?? 0, opts.host ?? '127.0.0.1');
  let admin: Server | undefined;
  let adminUrl = url;
  if (separateAdmin) {
    admin = serve(onAdminRequest);
    try {
      adminUrl = await listen(admin, opts.adminPort ?? 0, opts.adminHost ?? '127.0.0.1');
    } catch (e) {
      await closeServer(server, 0);
      throw e;
    }
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    adminUrl,
    stats: () => counters.snapshot(),
    close: ({ graceMs = 10_000 } = {}) =>
      (closing ??= Promise.all([
        closeServer(server, graceMs),
        admin ? closeServer(admin, graceMs) : undefined,
      ]).then(() => undefined)),
  };
}

/** Binds `server`; resolves to its base URL. */
async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return `http://${h}:${addr.port}`;
}

/** Stops accepting, lets in-flight requests finish (at most `graceMs`), then closes. */
function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    // Idle keep-alive sockets would otherwise hold close() open for keepAliveTimeout.
    server.closeIdleConnections();
  });
}

/** The path without query string; undefined when the target is not origin-form. */
function pathOf(url: string | undefined): string | undefined {
  if (url === undefined || !url.startsWith('/')) return undefined;
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
