/**
 * Delivery of Agora callbacks on top of a transport that duplicates, reorders and loses them.
 * Nothing acknowledged is dropped: an event whose effect does not depend on order (screenshot
 * files, session end, failover, errors) is delivered on arrival; only video state (44) is held
 * in `sequence` order per (sid, bot uid), and a gap holds it back only until it is `gapMs` old
 * (the missing numbers then count as lost). A straggler after its gap was given up is counted
 * `late` (and no longer lost) and delivered all the same: 44 is applied by event time, so an
 * older change cannot undo a newer one. Pure and bounded: carried across continue-as-new.
 */
import type { CaptureEvent } from './messages';

export interface SeqStream {
  /** The next sequence number to deliver. */
  next: number;
  /**
   * False for a bot uid that appeared after a failover: whether Agora continues the session's
   * counter or restarts it is undocumented, so its first number is found from what arrives.
   */
  anchored: boolean;
  /** Received but not yet deliverable (a lower number is missing), sorted by sequence. */
  pending: CaptureEvent[];
  /** Workflow time the current gap was first seen. */
  gapSinceMs?: number;
  /** Numbers given up on, so a straggler is counted as late rather than duplicate. */
  skipped: number[];
}

export interface OrderState {
  streams: Record<string, SeqStream>;
  /** Recently seen noticeIds: resends of one notification carry the same id. */
  recentNoticeIds: string[];
  /** Recently counted screenshot keys: redundant copies after a failover may differ in sequence. */
  recentFiles: string[];
}

export interface OrderCounters {
  duplicates: number;
  late: number;
  lost: number;
}

const MAX_PENDING = 256;
const MAX_RECENT_NOTICES = 512;
/** Given-up numbers remembered, so a straggler (applied, counted late) is told from a duplicate (dropped). */
const MAX_SKIPPED = 1024;

const streamKey = (e: CaptureEvent) => `${e.sid}/${e.uid}`;

/** The one event whose effect depends on order (per-stream video state). */
const VIDEO_STATE_CHANGED = 44;
const ordered = (e: CaptureEvent) => e.eventType === VIDEO_STATE_CHANGED;
/** Of what the sequence released, what is delivered now: non-44 events went out on arrival. */
const heldBack = (out: CaptureEvent[]) => out.filter(ordered);

function remember(list: string[], value: string, max: number): void {
  list.push(value);
  if (list.length > max) list.splice(0, list.length - max);
}

function release(st: SeqStream): CaptureEvent[] {
  const out: CaptureEvent[] = [];
  while (st.pending.length > 0 && st.pending[0]!.sequence === st.next) {
    out.push(st.pending.shift()!);
    st.next += 1;
  }
  return out;
}

/**
 * Anchors a failover uid's counter: continuing the session's counter (the next number after
 * the highest delivered for this sid) or restarting at 0, whichever has arrived.
 */
function tryAnchor(o: OrderState, key: string, st: SeqStream): void {
  const sid = key.slice(0, key.lastIndexOf('/'));
  let highest = -1;
  for (const [k, other] of Object.entries(o.streams)) {
    if (other !== st && other.anchored && k.startsWith(`${sid}/`))
      highest = Math.max(highest, other.next - 1);
  }
  for (const candidate of [highest + 1, 0]) {
    if (st.pending.some((p) => p.sequence === candidate)) {
      st.next = candidate;
      st.anchored = true;
      return;
    }
  }
}

/** Progress on one uid of a sid may tell where a failover uid's counter starts. */
function anchorSiblings(o: OrderState, sid: string): CaptureEvent[] {
  const out: CaptureEvent[] = [];
  for (const [k, other] of Object.entries(o.streams)) {
    if (other.anchored || !k.startsWith(`${sid}/`)) continue;
    tryAnchor(o, k, other);
    if (other.anchored) {
      out.push(...release(other));
      other.gapSinceMs = other.pending.length === 0 ? undefined : other.gapSinceMs;
    }
  }
  return out;
}

function skipGap(st: SeqStream, counters: OrderCounters): CaptureEvent[] {
  const first = st.pending[0];
  if (!first || first.sequence === undefined) return [];
  if (!st.anchored) {
    // Nothing told us where this uid's counter starts: begin at what we have, nothing lost.
    st.anchored = true;
    st.next = first.sequence;
    return release(st);
  }
  for (let n = st.next; n < first.sequence && st.skipped.length < MAX_SKIPPED * 2; n++) st.skipped.push(n);
  if (st.skipped.length > MAX_SKIPPED) st.skipped.splice(0, st.skipped.length - MAX_SKIPPED);
  counters.lost += first.sequence - st.next;
  st.next = first.sequence;
  return release(st);
}

/**
 * Takes one arriving event; returns the events to apply now (possibly none: a resend of a
 * notification already taken, or a 44 waiting for a lower sequence number). `recorderUid` is
 * the bot uid the capture started with: its counter starts at 0.
 */
export function admit(
  o: OrderState,
  e: CaptureEvent,
  nowMs: number,
  counters: OrderCounters,
  recorderUid: string,
): CaptureEvent[] {
  if (o.recentNoticeIds.includes(e.noticeId)) {
    counters.duplicates += 1;
    return [];
  }
  remember(o.recentNoticeIds, e.noticeId, MAX_RECENT_NOTICES);
  if (e.sequence === undefined) return [e];
  const key = streamKey(e);
  const st = (o.streams[key] ??= { next: 0, anchored: e.uid === recorderUid, pending: [], skipped: [] });
  if ((st.anchored && e.sequence < st.next) || st.pending.some((p) => p.sequence === e.sequence)) {
    const skippedAt = st.skipped.indexOf(e.sequence);
    if (skippedAt < 0) {
      // The same (sid, uid, sequence) is the same notification, already taken.
      counters.duplicates += 1;
      return [];
    }
    // Late: its gap was given up on. Not lost after all, and applied (44 by event time).
    st.skipped.splice(skippedAt, 1);
    counters.late += 1;
    counters.lost = Math.max(0, counters.lost - 1);
    return [e];
  }
  const at = st.pending.findIndex((p) => p.sequence! > e.sequence!);
  st.pending.splice(at === -1 ? st.pending.length : at, 0, e);
  if (!st.anchored) tryAnchor(o, key, st);
  const out = st.anchored ? release(st) : [];
  if (out.length > 0) out.push(...anchorSiblings(o, e.sid));
  if (st.pending.length > MAX_PENDING) out.push(...skipGap(st, counters));
  st.gapSinceMs =
    st.pending.length === 0
      ? undefined
      : out.length > 0 || st.gapSinceMs === undefined
        ? nowMs
        : st.gapSinceMs;
  return ordered(e) ? heldBack(out) : [e, ...heldBack(out)];
}

/** Gives up on gaps older than `gapMs`; returns the held-back 44s that makes deliverable. */
export function releaseExpiredGaps(
  o: OrderState,
  nowMs: number,
  gapMs: number,
  counters: OrderCounters,
): CaptureEvent[] {
  const out: CaptureEvent[] = [];
  for (const st of Object.values(o.streams)) {
    while (st.gapSinceMs !== undefined && nowMs - st.gapSinceMs >= gapMs) {
      out.push(...skipGap(st, counters));
      st.gapSinceMs = st.pending.length === 0 ? undefined : nowMs;
    }
  }
  return heldBack(out);
}

/** When the oldest open gap expires (workflow time), if any. */
export function nextGapDeadline(o: OrderState, gapMs: number): number | undefined {
  let min: number | undefined;
  for (const st of Object.values(o.streams)) {
    if (st.gapSinceMs !== undefined) min = Math.min(min ?? Infinity, st.gapSinceMs + gapMs);
  }
  return min;
}

/** True the first time a screenshot key is seen (within a bounded window). */
export function firstSightOfFile(o: OrderState, key: string, max = 256): boolean {
  if (o.recentFiles.includes(key)) return false;
  remember(o.recentFiles, key, max);
  return true;
}
