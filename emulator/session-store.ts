/**
 * All sessions of the emulator, indexed by sid and resourceId, in start order (the ledger).
 * Also the source of the quota (code 406) and conflict (code 53) answers.
 */
import type { EmulatorHooks } from './options';
import { MAX_FAILOVERS, Session, type SessionInit } from './session';
import type { EndedBy, LedgerEntry } from './types';

/** Session registry with hook notifications. */
export class SessionStore {
  private sessions: Session[] = [];
  private bySid = new Map<string, Session>();
  private byResource = new Map<string, Session>();

  constructor(
    private readonly now: () => number,
    private readonly hooks: EmulatorHooks,
    private readonly log: (line: string) => void,
  ) {}

  /** Registers a freshly started session. */
  add(init: SessionInit): Session {
    const s = new Session(init);
    this.sessions.push(s);
    this.bySid.set(init.sid, s);
    this.byResource.set(init.resourceId, s);
    this.hooks.onSessionStarted?.(s.toLedger(this.now()), init.startBody);
    return s;
  }

  /** Session by sid, with time-driven expiry applied. */
  get(sid: string): Session | undefined {
    const s = this.bySid.get(sid);
    if (s) this.settle(s);
    return s;
  }

  /** Session started with this resourceId, if any. */
  getByResource(resourceId: string): Session | undefined {
    const s = this.byResource.get(resourceId);
    if (s) this.settle(s);
    return s;
  }

  /** Sessions still running (including during a failover window). */
  active(): Session[] {
    return this.sessions.filter((s) => (this.settle(s), s.endedAt === undefined));
  }

  /** The running session of this bot identity (cname + uid), if any. */
  findActive(cname: string, uid: string): Session | undefined {
    return this.active().find((s) => s.init.cname === cname && s.init.uid === uid);
  }

  /** Ends a session and notifies hooks; no-op when already ended. */
  end(s: Session, by: EndedBy): void {
    if (s.end(this.now(), by)) this.ended(s);
  }

  /** Opens a failover window; the fourth failover ends the session as Agora would. */
  failover(s: Session, windowMs: number): void {
    const now = this.now();
    // A session that already ended has no worker left to migrate.
    if (s.endedAt !== undefined) return this.log(`session ${s.sid}: failover ignored, already ended`);
    s.failovers += 1;
    if (s.failovers > MAX_FAILOVERS) {
      this.log(`session ${s.sid}: failover #${s.failovers} exceeds ${MAX_FAILOVERS}, ending it`);
      this.end(s, 'agora');
      return;
    }
    s.failoverUntil = now + windowMs;
    this.hooks.onFailover?.(s.toLedger(now), s.failovers);
  }

  /** Ledger snapshot in start order. */
  ledger(): LedgerEntry[] {
    const now = this.now();
    return this.sessions.map((s) => (this.settle(s), s.toLedger(now)));
  }

  /** Forgets every session. */
  clear(): void {
    this.sessions = [];
    this.bySid.clear();
    this.byResource.clear();
  }

  private settle(s: Session): void {
    if (s.settle(this.now())) this.ended(s);
  }

  private ended(s: Session): void {
    this.log(`session ${s.sid} ended by ${s.endedBy ?? '?'}`);
    if (s.endedBy) this.hooks.onSessionEnded?.(s.toLedger(this.now()), s.endedBy);
  }
}
