/**
 * Delivers a signal to the capture that owns an event. First the deterministic id
 * `capture/<cname>/<uid>`; when that finds nothing (after a failover the uid is new), the sid:
 * from the in-memory cache, then from visibility (`CaptureSids`, upserted by the workflow).
 * A sid only a closed capture used goes to the sweeper, which stops that session.
 */
import type { CaptureEvent } from '../../workflows/messages';
import { captureWorkflowId } from '../../workflows/request';
import type { CaptureTarget } from './capture-event';
import type { SidCache } from './sid-cache';
import type { RouteVia, SignalName } from './stats';
import type { TemporalPort } from './temporal-port';

/** Agora event 11: the recording session has exited. */
const SESSION_EXIT = 11;

/**
 * When a callback shows the bot at work: a failover's rejoin (12), a video state change it saw
 * (44), a screenshot it took (45, the file's own time). Other events prove nothing about after.
 */
function aliveAt(e: CaptureEvent): number | undefined {
  if (e.eventType === 12 || e.eventType === 44) return e.eventMs;
  if (e.eventType === 45) return e.details.screenshot?.capturedAtMs;
  return undefined;
}

/** Where the signal went, that a closed capture's session went to the sweeper, or that no capture owns the event. */
export type Delivery =
  | { outcome: 'signalled'; workflowId: string; via: RouteVia }
  | { outcome: 'closed-capture'; sweepWorkflowId: string }
  | { outcome: 'unknown-capture' };

/** One signal to deliver. */
export interface SignalRequest {
  target: CaptureTarget;
  signal: SignalName;
  arg: CaptureEvent;
}

/**
 * Tries each candidate once. Errors other than "no such running workflow" propagate: the
 * caller answers 503 so Agora resends, and the workflow deduplicates a resend that did land.
 */
export async function deliverSignal(
  port: TemporalPort,
  cache: SidCache,
  req: SignalRequest,
  abort: AbortSignal,
): Promise<Delivery> {
  const { cname, uid, sid } = req.target;
  const tried = new Set<string>();
  const attempt = async (workflowId: string, via: RouteVia): Promise<Delivery | undefined> => {
    if (tried.has(workflowId)) return undefined;
    tried.add(workflowId);
    if (!(await port.signal(workflowId, req.signal, req.arg, abort))) return undefined;
    cache.set(sid, workflowId);
    return { outcome: 'signalled', workflowId, via };
  };

  const direct = await attempt(captureWorkflowId(cname, uid), 'workflow-id');
  if (direct) return direct;

  const cached = cache.get(sid);
  if (cached !== undefined) {
    const viaCache = await attempt(cached, 'sid-cache');
    if (viaCache) return viaCache;
    cache.delete(sid);
  }

  const found = await port.findRunningBySid(sid, abort);
  if (found !== undefined) {
    const viaSearch = await attempt(found, 'sid-search');
    if (viaSearch) return viaSearch;
  }
  // Agora still reports on a session whose capture has closed: it may bill on. Sweep it,
  // unless the event itself is Agora saying the session is over.
  const sessionOver = req.signal === 'agoraEvent' && req.arg.eventType === SESSION_EXIT;
  const sweepWorkflowId = sessionOver
    ? undefined
    : await port.reapClosedBySid?.(sid, abort, aliveAt(req.arg));
  if (sweepWorkflowId !== undefined) return { outcome: 'closed-capture', sweepWorkflowId };
  return { outcome: 'unknown-capture' };
}
