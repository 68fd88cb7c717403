/**
 * Operational endpoints: `GET /healthz` (the process answers), `GET /readyz` (Temporal
 * answers too, so a load balancer can hold traffic while it is down) and `GET /metrics`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { reply, replyJson } from './http-reply';
import { type Counters, PROMETHEUS_CONTENT_TYPE, renderPrometheus } from './stats';
import type { TemporalPort } from './temporal-port';
import { withTimeout } from './with-timeout';

/** Paths served by {@link handleProbe}. */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);
/** Probes are polled often; a slow Temporal must not pile them up. */
const READY_TIMEOUT_MS = 2000;

/** Answers a request for one of {@link PROBE_PATHS}. */
export async function handleProbe(
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  deps: { port: TemporalPort; counters: Counters },
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    deps.counters.verdict('method-not-allowed');
    return replyJson(res, 405, { error: 'use GET' }, { unread: req, headers: { Allow: 'GET, HEAD' } });
  }
  if (path === '/metrics') {
    return reply(res, 200, renderPrometheus(deps.counters.snapshot()), {
      contentType: PROMETHEUS_CONTENT_TYPE,
    });
  }
  if (path === '/readyz') {
    const ok = await withTimeout(READY_TIMEOUT_MS, (abort) => deps.port.ping(abort)).then(
      () => true,
      () => false,
    );
    return replyJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'temporal unavailable' });
  }
  replyJson(res, 200, { status: 'ok' });
}
