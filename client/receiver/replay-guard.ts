/**
 * Replay protection for signed callbacks. A signature proves who wrote a body, not when it
 * was sent: anyone who saw one request can post it again. So a callback is refused when its
 * signed `notifyMs` is older than a window (or too far in the future), and a `noticeId` already
 * answered within that window is acknowledged without a second signal.
 *
 * Agora resends a failed notification at most 3 times within seconds to minutes
 * (`_notification_center_service.mdx` in
 * https://github.com/AgoraIO/Docs-Source/tree/HEAD/shared/notification-center-service), each with a fresh
 * `notifyMs`; a window of an hour is far above that horizon, so
 * genuine resends are never refused as stale. Remembering a noticeId for longer than the
 * window is useless: any copy of it would be stale by then, so entries expire with it.
 */

/** What to do with a callback, judged by its envelope's `noticeId` and `notifyMs`. */
export type Freshness =
  | { kind: 'fresh' }
  | { kind: 'stale'; ageMs: number }
  | { kind: 'future'; aheadMs: number }
  | { kind: 'duplicate' };

/** Options of {@link ReplayGuard}. */
export interface ReplayGuardOptions {
  /** Oldest `notifyMs` accepted, as an age in ms. */
  windowMs: number;
  /** How far `notifyMs` may be ahead of our clock (clock skew), in ms. */
  futureSkewMs: number;
  /**
   * Most noticeIds remembered at once. Past it the oldest are forgotten early (counted in
   * {@link ReplayGuard.evictedEarly}): memory stays bounded under a flood, at the price of a
   * replay of a forgotten id reaching the workflow, which deduplicates events itself.
   */
  maxEntries: number;
  now?: () => number;
}

/** Remembered noticeIds with the time each may be forgotten; bounded in count and age. */
export class ReplayGuard {
  // Insertion order ≈ expiry order (notifyMs is close to our clock), so expired entries sit at
  // the front and the sweep stops at the first live one: O(1) amortised per request.
  private readonly seen = new Map<string, number>();
  private earlyEvictions = 0;
  private readonly now: () => number;

  constructor(private readonly o: ReplayGuardOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Judges one callback. Does not remember it: call {@link remember} once it was answered 200. */
  check(noticeId: string, notifyMs: number): Freshness {
    const now = this.now();
    this.sweep(now);
    const age = now - notifyMs;
    if (age > this.o.windowMs) return { kind: 'stale', ageMs: age };
    if (-age > this.o.futureSkewMs) return { kind: 'future', aheadMs: -age };
    if (this.seen.has(noticeId)) return { kind: 'duplicate' };
    return { kind: 'fresh' };
  }

  /** Remembers a noticeId until every copy of it would be stale anyway. */
  remember(noticeId: string, notifyMs: number): void {
    const now = this.now();
    // A resend carries a later notifyMs: keep the later expiry, and move it to the back.
    const until = Math.max(notifyMs + this.o.windowMs, this.seen.get(noticeId) ?? 0);
    this.seen.delete(noticeId);
    this.seen.set(noticeId, until);
    this.sweep(now);
    while (this.seen.size > this.o.maxEntries) {
      const oldest = this.seen.keys().next();
      if (oldest.done) break;
      this.seen.delete(oldest.value);
      this.earlyEvictions += 1;
    }
  }

  /** How many noticeIds are remembered now. */
  get size(): number {
    return this.seen.size;
  }

  /** How many noticeIds were forgotten before their window ended because of {@link ReplayGuardOptions.maxEntries}. */
  get evictedEarly(): number {
    return this.earlyEvictions;
  }

  private sweep(now: number): void {
    for (const [id, until] of this.seen) {
      if (until >= now) break;
      this.seen.delete(id);
    }
  }
}

/** "2 h 5 min", "3 min 20 s", "800 ms": ages in the words the config takes. */
export function describeMs(ms: number): string {
  const abs = Math.abs(Math.round(ms));
  if (abs < 1000) return `${abs} ms`;
  const s = Math.floor(abs / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return sec > 0 ? `${m} min ${sec} s` : `${m} min`;
  return `${sec} s`;
}
