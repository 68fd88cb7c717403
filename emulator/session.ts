/**
 * One recording session's state. Time-driven transitions (resourceExpiredHour, the exiting
 * window, failover windows) are derived from the clock on every read instead of timers, so a
 * test that moves `now()` sees the same behaviour as one that waits.
 */
import { redactSecrets } from './redact';
import type { StatusStep } from './options';
import { billedService, taskKind } from './task-kind';
import type { EndedBy, LedgerEntry, RecordingMode } from './types';

/**
 * Where a session stands for REST purposes:
 * running → answers normally; failover → 404 (HA window) while billing continues;
 * exiting → stop answers 400/49, others 404; gone → 404.
 */
export type SessionPhase = 'running' | 'failover' | 'exiting' | 'gone';

/** What start decided about a session. */
export interface SessionInit {
  sid: string;
  resourceId: string;
  cname: string;
  uid: string;
  mode: RecordingMode;
  startedAt: number;
  /** startedAt + resourceExpiredHour. */
  expiresAt: number;
  /** With an App Certificate: when the start's RTC token stops letting the bot stay in the channel. */
  tokenValidUntil?: number;
  streamTypes: number;
  startBody: unknown;
}

/**
 * Agora migrates a task at most 3 times; the 4th failure stops it
 * (https://docs.agora.io/en/api-reference/faq/integration/high_availability.md).
 */
export const MAX_FAILOVERS = 3;

/** A session and its lifecycle. */
export class Session {
  endedAt?: number;
  endedBy?: EndedBy;
  stopCalls = 0;
  failovers = 0;
  failoverUntil?: number;

  constructor(readonly init: SessionInit) {}

  get sid(): string {
    return this.init.sid;
  }

  /** Ends the session once; later calls are ignored. Returns true when this call ended it. */
  end(at: number, by: EndedBy): boolean {
    if (this.endedAt !== undefined) return false;
    this.endedAt = at;
    this.endedBy = by;
    return true;
  }

  /** Applies the token's expiry and resourceExpiredHour; returns true when the session just ended. */
  settle(now: number): boolean {
    const tokenEnd = this.init.tokenValidUntil;
    // Whichever comes first ends it: a token cannot be renewed, so the bot drops out then.
    if (tokenEnd !== undefined && tokenEnd <= this.init.expiresAt && now >= tokenEnd)
      return this.end(tokenEnd, 'token-expired');
    // The reference leaves open whether expiry stops the task; ending it keeps billing honest.
    return now >= this.init.expiresAt && this.end(this.init.expiresAt, 'expired');
  }

  /** The REST-facing phase at `now` (call settle first). */
  phase(now: number, exitingMs: number): SessionPhase {
    if (this.endedAt !== undefined) {
      if (this.endedBy === 'expired') return 'gone';
      return now < this.endedAt + exitingMs ? 'exiting' : 'gone';
    }
    return this.failoverUntil !== undefined && now < this.failoverUntil ? 'failover' : 'running';
  }

  /** Query `status` and `sliceStartTime` (ms; 0 until the last progression step is reached). */
  progress(now: number, steps: readonly StatusStep[]): { status: number; sliceStartTime: number } {
    const elapsed = now - this.init.startedAt;
    let status = steps[0]?.status ?? 0;
    for (const s of steps) if (elapsed >= s.afterMs) status = s.status;
    const last = steps[steps.length - 1];
    const sliceStartTime = last && elapsed >= last.afterMs ? this.init.startedAt + last.afterMs : 0;
    return { status, sliceStartTime };
  }

  /** The ledger view at `now`. */
  toLedger(now: number): LedgerEntry {
    const { sid, resourceId, cname, uid, mode, startedAt, startBody } = this.init;
    const until = this.endedAt ?? now;
    return {
      sid,
      resourceId,
      cname,
      uid,
      mode,
      startedAt,
      ...(this.endedAt !== undefined ? { endedAt: this.endedAt, endedBy: this.endedBy } : {}),
      stopCalls: this.stopCalls,
      billedSeconds: Math.max(0, Math.ceil((until - startedAt) / 1000)),
      billedService: billedService(taskKind(startBody)),
      active: this.endedAt === undefined,
      // Served without auth: never its storage keys or RTC token.
      startBody: redactSecrets(startBody),
    };
  }
}
