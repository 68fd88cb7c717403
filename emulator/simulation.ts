/**
 * The channel simulation behind the REST emulator: channels, one recorder per session, the
 * screenshot store (S3 or a local folder), callback delivery and scenarios. It plugs into the session store through the
 * same hooks the options expose, and calls the user's hooks as well.
 */
import { CallbackDelivery } from './callback-delivery';
import { SnapshotStore } from './bucket';
import { ChannelRegistry } from './channel';
import type { EmulatorHooks, ResolvedOptions } from './options';
import { Recorder } from './recorder';
import { ScenarioRunner } from './scenario';
import { configFromStart } from './session-config';
import type { SessionStore } from './session-store';
import type { EndedBy, LedgerEntry } from './types';

/** Everything simulated, for one emulator instance. */
export class Simulation {
  readonly channels: ChannelRegistry;
  readonly delivery: CallbackDelivery;
  readonly bucket: SnapshotStore;
  readonly scenarios: ScenarioRunner;
  private recorders = new Map<string, Recorder>();
  private store?: SessionStore;

  constructor(
    private readonly opts: ResolvedOptions,
    /** The emulator's failover (it scales the window and validates the sid). */
    failover: (sid: string, windowMs: number) => void,
  ) {
    this.channels = new ChannelRegistry(opts.autoPublishers);
    this.bucket = new SnapshotStore(opts.bucketDir);
    this.delivery = new CallbackDelivery({
      ...(opts.callback ? { target: opts.callback } : {}),
      resendDelaysMs: opts.resendDelaysMs,
      timeoutMs: opts.callbackTimeoutMs,
      now: opts.now,
      log: opts.log,
    });
    this.scenarios = new ScenarioRunner({
      scale: opts.timeScale,
      now: opts.now,
      log: opts.log,
      channel: (cname) => this.channels.get(cname),
      activeSessions: () => (this.store?.active() ?? []).map((s) => s.init),
      failover,
      endSession: (sid) => this.end(sid, 'agora'),
    });
  }

  /** Connects the store whose hooks are {@link hooks}. */
  attach(store: SessionStore): void {
    this.store = store;
  }

  /** The recorder of a session, if it was started by this instance and not reset. */
  recorder(sid: string): Recorder | undefined {
    return this.recorders.get(sid);
  }

  /** Store hooks: the simulation's reactions, then the user's hooks. */
  hooks(): EmulatorHooks {
    const user = this.opts.hooks;
    return {
      onSessionStarted: (e, body) => (this.started(e, body), user.onSessionStarted?.(e, body)),
      onSessionEnded: (e, by) => (this.ended(e, by), user.onSessionEnded?.(e, by)),
      onSessionUpdated: (e, cr) => (this.recorders.get(e.sid)?.update(cr), user.onSessionUpdated?.(e, cr)),
      onFailover: (e, count) => (this.failedOver(e, count), user.onFailover?.(e, count)),
      recordedNothing: (e) =>
        user.recordedNothing
          ? user.recordedNothing(e)
          : (this.recorders.get(e.sid)?.recordedNothing() ?? false),
      backedUp: (e) => user.backedUp?.(e) ?? this.recorders.get(e.sid)?.backedUp() ?? false,
      recordingFiles: (e) => user.recordingFiles?.(e) ?? this.recorders.get(e.sid)?.finishRecording(),
    };
  }

  /** Stops all recorders and scenarios and forgets channels and callback records. */
  reset(): void {
    this.recorders.forEach((r) => r.dispose());
    this.recorders.clear();
    this.scenarios.clear();
    this.channels.clear();
    this.delivery.clear();
  }

  /** Like reset, and aborts deliveries in flight. */
  close(): void {
    this.reset();
    this.delivery.close();
    this.bucket.close();
  }

  private started(e: LedgerEntry, startBody: unknown): void {
    const { opts } = this;
    const rec = new Recorder(
      e.sid,
      this.channels.get(e.cname),
      configFromStart(startBody, e.mode),
      {
        now: opts.now,
        scale: opts.timeScale,
        simulateChannels: opts.simulateChannels,
        stopLeaveCode: opts.stopLeaveCode,
        bucket: this.bucket,
        ...(opts.s3Endpoint ? { s3Endpoint: opts.s3Endpoint } : {}),
        send: (n) => this.delivery.send(n),
        endIdle: () => this.end(e.sid, 'idle'),
        settle: () => void this.store?.get(e.sid),
        log: opts.log,
      },
      e.uid,
    );
    this.recorders.set(e.sid, rec);
    rec.start();
    this.scenarios.sessionStarted(e.cname, e.startedAt);
  }

  private ended(e: LedgerEntry, by: EndedBy): void {
    const rec = this.recorders.get(e.sid);
    if (!rec) return;
    rec.end(by, this.store?.get(e.sid)?.failovers ?? 0);
  }

  private failedOver(e: LedgerEntry, count: number): void {
    const until = this.store?.get(e.sid)?.failoverUntil ?? this.opts.now();
    this.recorders.get(e.sid)?.failover(count, until - this.opts.now());
  }

  private end(sid: string, by: 'idle' | 'agora'): void {
    const s = this.store?.get(sid);
    if (s) this.store?.end(s, by);
  }
}
