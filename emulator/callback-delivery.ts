/**
 * Sends notifications to the callback URL the way NCS does (`_notification_center_service.mdx` in
 * https://github.com/AgoraIO/Docs-Source/tree/HEAD/shared/notification-center-service): success is HTTP 200
 * within the timeout; anything else is resent after growing delays, at most
 * `resendDelaysMs.length` times, with the same noticeId and a fresh `notifyMs` (so a fresh body
 * and fresh signatures) on every attempt. Delivery never blocks a REST answer.
 *
 * Order: each session has a serial queue of *first* attempts, so without faults notifications
 * arrive in sequence order. Resends and reorder-delayed copies run outside the queue, as a late
 * NCS resend would, so one failing notification does not hold back the rest.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { CallbackFaultPlan } from './callback-faults';
import { postOnce } from './http-post';
import { envelopeJson, signatureHeaders, type Notice } from './ncs';
import type { CallbackRecord } from './sim-types';

/** Where and how to deliver. */
export interface DeliveryOptions {
  target?: { url: string; secret: string };
  resendDelaysMs: readonly number[];
  timeoutMs: number;
  now: () => number;
  log: (line: string) => void;
}

/** The delivery queue of one emulator, with its fault plan and the record of every attempt. */
export class CallbackDelivery {
  readonly faults = new CallbackFaultPlan();
  private records: CallbackRecord[] = [];
  private chains = new Map<string, Promise<void>>();
  private timers = new Set<NodeJS.Timeout>();
  private inflight = new Set<http.ClientRequest>();
  private generation = 0;
  private closed = false;
  private readonly agent: http.Agent;
  private readonly target: { url: URL; secret: string } | undefined;

  constructor(private readonly o: DeliveryOptions) {
    this.target = o.target ? { url: new URL(o.target.url), secret: o.target.secret } : undefined;
    // NCS recommends keep-alive on the receiver; reusing connections also keeps tests quick.
    this.agent = new (this.target?.url.protocol === 'https:' ? https.Agent : http.Agent)({ keepAlive: true });
  }

  /** Schedules a notification (after faults). Without a callback URL nothing is sent or recorded. */
  send(notice: Notice): void {
    if (!this.target || this.closed) return;
    const base = { eventType: notice.eventType, sid: notice.payload.sid, sequence: notice.payload.sequence };
    const decision = this.faults.decide(notice.eventType);
    if (decision.lost) {
      this.records.push({
        noticeId: notice.noticeId,
        ...base,
        attempts: [],
        delivered: false,
        dropped: 'loss',
      });
      return;
    }
    const fresh = this.faults.get().duplicateNoticeId === 'fresh';
    decision.delaysMs.forEach((delay, i) => {
      const copy = i > 0 && fresh ? { ...notice, noticeId: randomUUID() } : notice;
      const rec: CallbackRecord = { noticeId: copy.noticeId, ...base, attempts: [], delivered: false };
      if (i > 0) rec.duplicate = true;
      this.records.push(rec);
      const gen = this.generation;
      if (delay > 0) this.later(delay, () => void this.attempt(copy, rec, 0, gen));
      else this.enqueue(base.sid, () => this.attempt(copy, rec, 0, gen));
    });
  }

  /** Copies of every record, in the order notifications were scheduled. */
  list(): CallbackRecord[] {
    return this.records.map((r) => ({ ...r, attempts: r.attempts.map((a) => ({ ...a })) }));
  }

  /** Forgets records and pending work (reset); in-flight attempts finish unrecorded. */
  clear(): void {
    this.generation += 1;
    this.records = [];
    this.chains.clear();
    this.timers.forEach(clearTimeout);
    this.timers.clear();
    this.faults.set({});
  }

  /** Cancels everything: pending resends, queued sends and open requests. */
  close(): void {
    this.closed = true;
    this.clear();
    this.inflight.forEach((r) => r.destroy());
    this.agent.destroy();
  }

  private enqueue(sid: string, run: () => Promise<void>): void {
    const next = (this.chains.get(sid) ?? Promise.resolve()).then(run);
    this.chains.set(sid, next);
    void next.then(() => this.chains.get(sid) === next && this.chains.delete(sid));
  }

  private later(ms: number, run: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      run();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private async attempt(notice: Notice, rec: CallbackRecord, n: number, gen: number): Promise<void> {
    if (!this.target || this.closed || gen !== this.generation) return;
    const at = this.o.now();
    const raw = envelopeJson(notice, at);
    const headers = { 'Content-Type': 'application/json', ...signatureHeaders(raw, this.target.secret) };
    const outcome = await postOnce(this.target.url, headers, raw, {
      agent: this.agent,
      timeoutMs: this.o.timeoutMs,
      track: this.inflight,
    });
    rec.attempts.push({ at, ...outcome });
    if (outcome.status === 200) {
      rec.delivered = true;
      return;
    }
    const what = `callback ${notice.eventType} seq ${notice.payload.sequence} of ${notice.payload.sid}`;
    const why = outcome.error ?? `HTTP ${String(outcome.status)}`;
    const delay = this.o.resendDelaysMs[n];
    if (delay === undefined || this.closed || gen !== this.generation) {
      this.o.log(`${what}: ${why}; giving up after ${n + 1} attempt(s)`);
      return;
    }
    this.o.log(`${what}: ${why}; resending in ${delay} ms`);
    this.later(delay, () => void this.attempt(notice, rec, n + 1, gen));
  }
}
