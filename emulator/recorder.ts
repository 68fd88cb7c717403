/**
 * The simulated recorder bot of one session: it watches its channel, reports video state
 * (event 44), takes screenshots every captureInterval (files + event 45), writes recording
 * files when the task records (recordingFileConfig; a task may do both), leaves when the
 * channel stays empty for maxIdleTime, survives failovers with a new uid and `bak<n>_` files
 * (event 12), and reports its end. Every notification gets the next `sequence` of the session,
 * across failovers.
 */
import { randomInt } from 'node:crypto';
import type { SnapshotStore } from './bucket';
import type { Channel } from './channel';
import type { Notice } from './ncs';
import { applyUpdate, subscribesVideo, type SessionConfig } from './session-config';
import { endEvents } from './session-end';
import { SessionNotifier } from './session-notifier';
import { RecordingFiles, type RecordedFile } from './recording-files';
import { snapshotKey } from './snapshot-key';
import { TimerSet } from './timer-set';
import { uploadTarget } from './upload-target';
import type { EndedBy } from './types';
import { VideoReport } from './video-report';

/**
 * S3 error names that say the storage configuration is wrong (keys, bucket, region): Agora's
 * uploader error 32 "bad storage config". Anything else (5xx, a timeout, a reset) is 47.
 */
const STORAGE_CONFIG_ERRORS = new Set([
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'AccessDenied',
  'NoSuchBucket',
  'AuthorizationHeaderMalformed',
  'PermanentRedirect',
  'InvalidBucketName',
  'ExpiredToken',
  'InvalidToken',
]);

/** What a recorder needs from the emulator around it. */
export interface RecorderDeps {
  now: () => number;
  /** timeScale: multiplies captureInterval and maxIdleTime. */
  scale: number;
  /** Whether an empty channel ends the session (idle) and counts as "nothing recorded". */
  simulateChannels: boolean;
  stopLeaveCode: number;
  bucket: SnapshotStore;
  /** Stand-in endpoint for Amazon S3 (vendor 1); undefined: vendor-1 files go to the local folder. */
  s3Endpoint?: string;
  send: (notice: Notice) => void;
  /** Ends the session as Agora's idle rule does. */
  endIdle: () => void;
  /**
   * Applies the session's time-driven ends (token expiry, resourceExpiredHour) before a
   * screenshot: those are derived from the clock on read, and a bot whose token expired takes
   * no more pictures.
   */
  settle?: () => void;
  log: (line: string) => void;
}

/** One session's bot. Create, then `start()`; `end()` or `dispose()` stops every timer. */
export class Recorder {
  private readonly ncs: SessionNotifier;
  private failoverIndex?: number;
  private down = false;
  private ended = false;
  /** Reset or closed: nothing more is reported, not even uploads in flight. */
  private disposed = false;
  /** S3 uploads in flight: their event 45 comes when each is done, and the end events after all. */
  private readonly uploads = new Set<Promise<void>>();
  private everRecorded = false;
  /** Uploader error codes already reported (event 1), once each per session. */
  private readonly uploadErrors = new Set<number>();
  private readonly video = new VideoReport();
  private readonly timers = new TimerSet();
  private idleTimer?: NodeJS.Timeout;
  private rejoinTimer?: NodeJS.Timeout;
  private unsubscribe = (): void => {};
  /** Tasks that record (recordingFileConfig, with screenshots or without): the tracks written so far. */
  private readonly files?: RecordingFiles;

  constructor(
    readonly sid: string,
    private readonly channel: Channel,
    private cfg: SessionConfig,
    private readonly d: RecorderDeps,
    botUid: string,
  ) {
    this.ncs = new SessionNotifier({ sid, cname: channel.cname }, botUid, d.now, d.send);
    if (cfg.records)
      this.files = new RecordingFiles(sid, channel.cname, cfg.avFileType, (key, body, type) =>
        this.storeFile(key, body, type),
      );
  }

  /** A recording task stops: its files as stop lists them (MP4s written now); undefined for screenshots only. */
  finishRecording(): RecordedFile[] | undefined {
    return this.files?.finish(this.d.now(), this.cfg.prefix);
  }

  /** Joins: event 40, the current video state of subscribed users, then the timers. */
  start(): void {
    this.unsubscribe = this.channel.onChange(() => this.refresh());
    this.ncs.emit(40, { status: 0 });
    this.refresh();
    const s = this.cfg.captureIntervalS;
    if (s !== undefined) this.timers.every(s * 1000 * this.d.scale, () => this.capture());
  }

  /** A successful update: new subscription or new prefix. */
  update(clientRequest: unknown): void {
    this.cfg = applyUpdate(this.cfg, clientRequest);
    this.refresh();
  }

  /** Failover `count` began: the bot is gone (no screenshots, no 44) for `windowMs` real ms. */
  failover(count: number, windowMs: number): void {
    this.down = true;
    this.timers.cancel(this.rejoinTimer);
    this.rejoinTimer = this.timers.after(Math.max(0, windowMs), () => this.rejoin(count));
  }

  /**
   * Whether a file could not be written to the customer's storage: Agora keeps such files on
   * its backup cloud and re-delivers them later, so stop answers `uploadingStatus: "backuped"`.
   */
  backedUp(): boolean {
    return this.uploadErrors.size > 0;
  }

  /** Whether nothing subscribed was ever received (stop answers 206/435 then). */
  recordedNothing(): boolean {
    return this.d.simulateChannels && !this.everRecorded;
  }

  /** Sends any event (`details.msgName` defaults from the event table). */
  notify(eventType: number, details: Record<string, unknown>): void {
    this.ncs.notify(eventType, details);
  }

  /**
   * The session ended: stop the timers and report why, after the uploads in flight are done
   * (Agora's stop finishes uploading before the recorder leaves).
   */
  end(by: EndedBy, failovers: number): void {
    if (this.ended) return;
    this.halt();
    const report = () => {
      if (this.disposed) return;
      for (const e of endEvents(by, failovers, this.d.stopLeaveCode)) this.ncs.emit(e.eventType, e.details);
    };
    if (this.uploads.size === 0) report();
    else void Promise.allSettled([...this.uploads]).then(report);
  }

  /** Stops timers without reporting anything (emulator reset or close). */
  dispose(): void {
    this.disposed = true;
    this.halt();
  }

  private halt(): void {
    this.ended = true;
    this.unsubscribe();
    this.timers.clear();
  }

  private rejoin(count: number): void {
    if (this.ended) return;
    let uid: string;
    do uid = String(randomInt(1, 2 ** 32));
    while (uid === this.ncs.botUid || this.channel.has(uid));
    this.ncs.botUid = uid;
    this.failoverIndex = count - 1;
    this.down = false;
    this.ncs.emit(12, { newUid: Number(uid) });
    // The new bot reports what it receives from scratch, as a freshly joined recorder would.
    this.video.clear();
    this.refresh();
    this.d.log(`session ${this.sid}: failover #${count} over, bot rejoined as ${uid}`);
  }

  /** Reports video-state changes (44), tracks "recorded anything", and watches for idleness. */
  private refresh(): void {
    if (this.ended) return;
    this.watchIdle();
    if (this.down) return;
    const publishers = this.channel.publishers();
    const subscribed = (uid: string) => subscribesVideo(this.cfg.video, uid);
    const now = this.d.now();
    for (const c of this.video.diff(publishers, subscribed)) {
      this.ncs.emit(44, { streamUid: c.uid, state: c.state, UtcMs: now });
    }
    if (publishers.some((p) => p.video && subscribed(p.uid))) this.everRecorded = true;
    if (this.files) {
      const fi = this.failoverIndex;
      for (const p of publishers) {
        if (p.video && subscribed(p.uid)) this.files.record(p.uid, 'video', now, this.cfg.prefix, fi);
        if (this.cfg.audio) this.files.record(p.uid, 'audio', now, this.cfg.prefix, fi);
      }
    }
    // Sessions that record files (not screenshots only) also record anyone's audio.
    const screenshotsOnly = this.cfg.captureIntervalS !== undefined && !this.cfg.records;
    if (!screenshotsOnly && this.cfg.audio && publishers.length > 0) this.everRecorded = true;
  }

  private capture(): void {
    this.d.settle?.();
    if (this.down || this.ended) return;
    const capturedAt = this.d.now();
    const { prefix, mode } = this.cfg;
    const names = { prefix, mode, sid: this.sid, cname: this.channel.cname, capturedAt };
    for (const { uid, video } of this.channel.publishers()) {
      if (!video || !subscribesVideo(this.cfg.video, uid)) continue;
      const fi = this.failoverIndex;
      const key = snapshotKey({ ...names, uid, ...(fi === undefined ? {} : { failoverIndex: fi }) });
      this.store(key, uid);
    }
  }

  /**
   * A file the customer's storage refused: logged, and reported as Agora's uploader does —
   * event 1 (module 1 uploader, errorCode 32 "bad storage config" when the storage refused the
   * credentials or the bucket, else 47 "upload failed"; once per code and session) and event 2
   * (warnCode 32: re-uploading to the Agora backup). Its event 45 never comes: the file is not
   * in the customer's bucket.
   */
  private uploadFailed(key: string, e: unknown): void {
    this.d.log(
      `session ${this.sid}: storing ${key} failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
    );
    if (this.disposed) return;
    const code = e instanceof Error && STORAGE_CONFIG_ERRORS.has(e.name) ? 32 : 47;
    if (this.uploadErrors.has(code)) return;
    this.uploadErrors.add(code);
    const errorMsg = code === 32 ? 'bad storage config' : 'upload failed';
    this.ncs.emit(1, { module: 1, errorLevel: 3, errorCode: code, stat: 0, errorMsg });
    this.ncs.emit(2, { module: 1, warnCode: 32 });
  }

  /** Stores one file, then reports it (event 45); a failed write is reported as Agora's uploader does. */
  private store(key: string, uid: string): void {
    const failed = (e: unknown) => this.uploadFailed(key, e);
    let upload: Promise<void> | undefined;
    try {
      upload = this.d.bucket.put(uploadTarget(this.cfg.storage, this.d.s3Endpoint), key, uid);
    } catch (e) {
      return failed(e);
    }
    if (!upload) return this.ncs.emit(45, { fileName: key });
    const tracked: Promise<void> = upload.then(
      () => void (this.disposed || this.ncs.emit(45, { fileName: key })),
      failed,
    );
    this.uploads.add(tracked);
    void tracked.finally(() => this.uploads.delete(tracked));
  }

  /** Stores one recording file; uploads in flight delay the end events as screenshots' do. */
  private storeFile(key: string, body: Buffer, contentType: string): void {
    let upload: Promise<void> | undefined;
    try {
      upload = this.d.bucket.putFile(
        uploadTarget(this.cfg.storage, this.d.s3Endpoint),
        key,
        body,
        contentType,
      );
    } catch (e) {
      return this.uploadFailed(key, e);
    }
    if (!upload) return;
    const tracked: Promise<void> = upload.catch((e: unknown) => this.uploadFailed(key, e));
    this.uploads.add(tracked);
    void tracked.finally(() => this.uploads.delete(tracked));
  }

  private watchIdle(): void {
    if (!this.d.simulateChannels) return;
    if (this.channel.size > 0) {
      this.timers.cancel(this.idleTimer);
      this.idleTimer = undefined;
    } else {
      this.idleTimer ??= this.timers.after(this.cfg.maxIdleTimeS * 1000 * this.d.scale, () =>
        this.d.endIdle(),
      );
    }
  }
}
