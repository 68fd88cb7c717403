/**
 * Which Agora sessions a closed capture run may have left billing, derived from its history
 * facts and its `CaptureOpenSessions` search attribute. Pure: unit-tested on recorded histories.
 *
 * A session is open unless the history proves it is not: a start whose result (or error
 * detail) names a sid opens (resourceId, sid); a start still in flight, timed out, cancelled or
 * failed with an unknown outcome leaves its resourceId open with the sid unknown; a start that
 * Agora definitively refused opens nothing. A completed stop, or Agora's session-exit callback
 * (event 11), closes the sid.
 */
import type { CaptureState } from '../workflows/state';
import { readAgoraEvents } from '../workflows/event-shape';
import type { CaptureRequest } from '../workflows/request';
import type { HistoryFact } from './history-facts';
import { resourceExpiredHour } from '../workflows/open-sessions';

/** Agora event 11: the recording session has exited. */
const SESSION_EXIT = 11;
const HOUR_MS = 3_600_000;

/** A session a closed run may have left running. */
export interface OpenSession {
  resourceId: string;
  /** Undefined when no start result, error or stop names it. */
  sid?: string;
  /** Sids seen in this run's callbacks that no start named: candidates when `sid` is unknown. */
  candidateSids: string[];
  /** The request the run started it with (to repeat the start and learn the sid). */
  request?: CaptureRequest;
  /** When Agora can no longer bill it: the start plus its resourceExpiredHour. */
  expiresAtMs: number;
}

interface RidState {
  request?: CaptureRequest;
  firstAtMs: number;
  sids: Set<string>;
  /** Named without a sid by the carried state or the search attribute. */
  unknown: boolean;
  /** Ids of the start activities scheduled on this rid that no answer settled (in flight or outcome unknown). */
  unsettled: Set<number>;
}

interface StartInput {
  request?: CaptureRequest;
  resourceId?: string;
}
interface StopInput {
  resourceId?: string;
  sid?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** A start failure proves no session was created only when Agora's own flag says the outcome is known. */
function definitiveRefusal(details: unknown): boolean {
  return isRecord(details) && details.outcomeUnknown === false && typeof details.sid !== 'string';
}

/** `"<resourceId>:<sid>"` / `"<resourceId>:"` values of CaptureOpenSessions. */
export function parseOpenSessionValue(v: string): { resourceId: string; sid?: string } | undefined {
  const i = v.lastIndexOf(':');
  if (i <= 0) return undefined;
  const sid = v.slice(i + 1);
  return { resourceId: v.slice(0, i), ...(sid ? { sid } : {}) };
}

function expiry(request: CaptureRequest | undefined, startedAtMs: number): number {
  // Unknown duration: Agora's default resourceExpiredHour (72 h).
  const hours = request ? resourceExpiredHour(request) : 72;
  return startedAtMs + hours * HOUR_MS;
}

/**
 * The sessions `facts` leave open, plus those named by the run's `CaptureOpenSessions` values
 * (the history is authoritative for "stopped": a value whose sid a completed stop names is dropped).
 */
export function openSessions(
  facts: readonly HistoryFact[],
  openSessionValues: readonly string[] = [],
): OpenSession[] {
  const rids = new Map<string, RidState>();
  const starts = new Map<number, string>();
  const stops = new Map<number, string>();
  const stopped = new Set<string>();
  const exited = new Set<string>();
  const callbackSids: string[] = [];
  let request: CaptureRequest | undefined;
  let startedAtMs = 0;

  const rid = (resourceId: string, req: CaptureRequest | undefined, atMs: number): RidState => {
    let r = rids.get(resourceId);
    if (!r)
      rids.set(
        resourceId,
        (r = { request: req, firstAtMs: atMs, sids: new Set(), unknown: false, unsettled: new Set() }),
      );
    r.request ??= req;
    return r;
  };

  for (const f of facts) {
    if (f.kind === 'started') {
      const [req, carried] = f.input as [CaptureRequest | undefined, CaptureState | undefined];
      if (isRecord(req) && typeof req.channel === 'string') request = req;
      // A continue-as-new run inherits its predecessor's sessions in the carried state.
      if (isRecord(carried) && Array.isArray(carried.sessions)) {
        // The state machine carries exactly the sessions that may still bill.
        for (const o of carried.sessions) {
          // A rollover segment's session runs under the second recorder uid (workflows/rollover.ts).
          const own = request && o.uid ? { ...request, recorderUid: o.uid } : request;
          const r = rid(o.resourceId, own, o.startAttemptMs);
          if (o.sid) r.sids.add(o.sid);
          else r.unknown = true;
        }
      } else if (isRecord(carried) && Array.isArray(carried.segments)) {
        // Captures from before the state machine: open segments and unsettled starts.
        for (const seg of carried.segments) {
          if (seg.endedAtMs !== undefined) continue;
          const r = rid(seg.resourceId, request, seg.startedAtMs);
          if (seg.sid) r.sids.add(seg.sid);
          else r.unknown = true;
        }
        const legacy = carried as { unsettledStarts?: string[] };
        for (const u of legacy.unsettledStarts ?? [])
          rid(u, request, carried.startedAtMs ?? 0).unknown = true;
      }
    } else if (f.kind === 'scheduled') {
      startedAtMs ||= f.atMs;
      if (f.activity === 'start' && isRecord(f.input)) {
        const input = f.input as StartInput;
        if (typeof input.resourceId !== 'string') continue;
        starts.set(f.eventId, input.resourceId);
        // Unsettled until its completion says otherwise: an in-flight start may still land.
        rid(input.resourceId, input.request ?? request, f.atMs).unsettled.add(f.eventId);
      } else if (f.activity === 'stop' && isRecord(f.input)) {
        const input = f.input as StopInput;
        if (typeof input.sid === 'string') stops.set(f.eventId, input.sid);
      }
    } else if (f.kind === 'completed') {
      const startRid = starts.get(f.scheduledId);
      if (startRid !== undefined) {
        const r = rids.get(startRid)!;
        if (isRecord(f.result) && typeof f.result.sid === 'string') r.sids.add(f.result.sid);
        r.unsettled.delete(f.scheduledId);
      }
      const stopSid = stops.get(f.scheduledId);
      if (stopSid !== undefined) stopped.add(stopSid);
    } else if (f.kind === 'failed') {
      const startRid = starts.get(f.scheduledId);
      if (startRid === undefined) continue;
      const r = rids.get(startRid)!;
      if (isRecord(f.details) && typeof f.details.sid === 'string') r.sids.add(f.details.sid);
      // A refusal Agora flags as definitive settles this start; any other failure leaves it unsettled.
      // 201/7 without a sid is no refusal: a session runs on this rid, under a sid we never learned.
      const alreadyStarted = f.failureType === 'AgoraAlreadyStarted';
      if (r.sids.size > 0 || (!alreadyStarted && definitiveRefusal(f.details)))
        r.unsettled.delete(f.scheduledId);
    } else if (f.kind === 'signal' && f.name === 'agoraEvent') {
      // Signal input is whatever a Temporal user sent: read it as the capture did (event-shape.ts).
      for (const e of readAgoraEvents(f.input).events) {
        if (e.eventType === SESSION_EXIT) exited.add(e.sid);
        if (!callbackSids.includes(e.sid)) callbackSids.push(e.sid);
      }
    }
  }

  for (const v of openSessionValues) {
    const parsed = parseOpenSessionValue(v);
    if (!parsed) continue;
    const r = rid(parsed.resourceId, request, startedAtMs);
    if (parsed.sid) r.sids.add(parsed.sid);
    else r.unknown = true;
  }

  const known = new Set([...rids.values()].flatMap((r) => [...r.sids]));
  const candidates = callbackSids.filter((s) => !known.has(s) && !exited.has(s) && !stopped.has(s));
  const out: OpenSession[] = [];
  for (const [resourceId, r] of rids) {
    const base = {
      resourceId,
      request: r.request,
      expiresAtMs: expiry(r.request, r.firstAtMs || startedAtMs),
    };
    const live = [...r.sids].filter((s) => !stopped.has(s) && !exited.has(s));
    for (const sid of live) out.push({ ...base, sid, candidateSids: [] });
    // A rid whose start outcome is unknown and that no start answered with a sid: it may bill under a sid we never saw.
    if ((r.unknown || r.unsettled.size > 0) && r.sids.size === 0)
      out.push({ ...base, candidateSids: candidates });
  }
  return out;
}
