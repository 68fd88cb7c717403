/**
 * `POST /agora/ncs`, check by check in the documented order: content type (415), size (413),
 * signature over the raw bytes (401), JSON (400), envelope (400), freshness of the signed
 * `notifyMs` (400 stale / future), a noticeId already answered (200, no signal), then routing
 * and the signal (200, or 503 so Agora resends). The first failing check decides; later ones
 * never run.
 */
import type { IncomingMessage } from 'node:http';
import { verifyNcsSignature } from '../../agora/notifications';
import { isJsonContentType } from './content-type';
import type { NcsEnvelope } from '../../agora/notifications';
import { parseEnvelope } from './parse-envelope';
import { declaredTooLarge, readBody } from './read-body';
import { describeMs, type ReplayGuard } from './replay-guard';
import { deliverSignal } from './resolve-capture';
import { routeEvent } from './route-event';
import type { SidCache } from './sid-cache';
import type { Counters, Verdict } from './stats';
import type { TemporalPort } from './temporal-port';
import { withTimeout } from './with-timeout';

/** What to answer, and what to log about it. */
export interface Outcome {
  verdict: Verdict;
  status: number;
  body: Record<string, unknown>;
  /** The body was left (partly) unread: drain it within bounds after answering. */
  unread?: boolean;
  log?: Record<string, unknown>;
}

/** What the NCS handler needs; built once per receiver. */
export interface NcsDeps {
  secrets: string[];
  maxBodyBytes: number;
  signalTimeoutMs: number;
  port: TemporalPort;
  cache: SidCache;
  counters: Counters;
  replay: ReplayGuard;
  /** Replay window and skew as configured, for the words of a refusal. */
  replayWindowMs: number;
  futureSkewMs: number;
  /** Answers being worked out, by noticeId: a copy arriving meanwhile waits for the first. */
  inflight: Map<string, Promise<Outcome>>;
}

const fail = (verdict: Verdict, status: number, error: string, unread = false): Outcome => ({
  verdict,
  status,
  body: { error },
  unread,
  log: { reason: error },
});

/** Runs the checks for one request. Never throws for bad input; only bugs reach the caller. */
export async function handleNcs(req: IncomingMessage, deps: NcsDeps): Promise<Outcome> {
  if (!isJsonContentType(req.headers['content-type'])) {
    return fail('bad-content-type', 415, 'content type must be application/json', true);
  }
  if (declaredTooLarge(req, deps.maxBodyBytes)) {
    return fail('too-large', 413, `body exceeds ${deps.maxBodyBytes} bytes`, true);
  }
  const read = await readBody(req, deps.maxBodyBytes);
  if (!read.ok) {
    return read.reason === 'too-large'
      ? fail('too-large', 413, `body exceeds ${deps.maxBodyBytes} bytes`, true)
      : fail('aborted', 400, 'request body incomplete', true);
  }
  // headersDistinct keeps repeated headers apart, so a doubled signature header is refused.
  const sig = verifyNcsSignature(read.body, req.headersDistinct, deps.secrets);
  if (!sig.ok) return fail('bad-signature', 401, sig.reason);

  const parsed = parseEnvelope(read.body);
  if (!parsed.ok) return fail(parsed.kind, 400, parsed.error);
  const env = parsed.envelope;
  const about = {
    noticeId: env.noticeId,
    productId: env.productId,
    eventType: env.eventType,
    sid: env.payload.sid,
    scheme: sig.scheme,
  };

  const fresh = deps.replay.check(env.noticeId, env.notifyMs);
  if (fresh.kind === 'stale') {
    const why = `notifyMs is ${describeMs(fresh.ageMs)} old, beyond the ${describeMs(deps.replayWindowMs)} replay window: stale or replayed callback refused`;
    return { ...fail('stale', 400, why), log: { ...about, reason: why } };
  }
  if (fresh.kind === 'future') {
    const why = `notifyMs is ${describeMs(fresh.aheadMs)} ahead of this receiver's clock, beyond the allowed ${describeMs(deps.futureSkewMs)} skew: callback refused`;
    return { ...fail('future', 400, why), log: { ...about, reason: why } };
  }
  if (fresh.kind === 'duplicate') return { verdict: 'duplicate', status: 200, body: {}, log: about };

  const pending = deps.inflight.get(env.noticeId);
  if (pending) {
    // A copy of a callback still being delivered: one signal for both. If the first fails,
    // so does this one (503), and Agora resends.
    const first = await pending;
    return first.status === 200 ? { verdict: 'duplicate', status: 200, body: {}, log: about } : first;
  }
  const work = deliver(env, about, deps);
  deps.inflight.set(env.noticeId, work);
  try {
    const outcome = await work;
    if (outcome.status === 200) deps.replay.remember(env.noticeId, env.notifyMs);
    return outcome;
  } finally {
    deps.inflight.delete(env.noticeId);
  }
}

/** Routing and the signal for a fresh, authenticated envelope. */
async function deliver(env: NcsEnvelope, about: Record<string, unknown>, deps: NcsDeps): Promise<Outcome> {
  const action = routeEvent(env);
  if (action.kind === 'ignore') return { verdict: action.verdict, status: 200, body: {}, log: about };
  if (action.kind === 'reject')
    return { ...fail('bad-envelope', 400, action.error), log: { ...about, reason: action.error } };

  try {
    const delivery = await withTimeout(deps.signalTimeoutMs, (abort) =>
      deliverSignal(
        deps.port,
        deps.cache,
        { target: action.target, signal: action.signal, arg: action.arg },
        abort,
      ),
    );
    if (delivery.outcome === 'closed-capture') {
      return {
        verdict: 'closed-capture',
        status: 200,
        body: {},
        log: { ...about, uid: action.target.uid, sweep: delivery.sweepWorkflowId },
      };
    }
    if (delivery.outcome === 'unknown-capture') {
      return { verdict: 'unknown-capture', status: 200, body: {}, log: { ...about, uid: action.target.uid } };
    }
    deps.counters.signalled(action.signal, delivery.via);
    return {
      verdict: 'accepted',
      status: 200,
      body: {},
      log: { ...about, signal: action.signal, workflowId: delivery.workflowId, via: delivery.via },
    };
  } catch (e) {
    return {
      ...fail('temporal-unavailable', 503, 'temporal unavailable'),
      log: { ...about, reason: describeError(e) },
    };
  }
}

/** One line for the log: the gRPC status when there is one (ServiceError wraps it as `cause`). */
function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return `${e.name}: ${e.message}${cause}`.slice(0, 300);
}
