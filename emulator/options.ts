/**
 * Emulator options and their defaults. Every timing reads `now()`, so tests move time by
 * swapping the clock instead of sleeping.
 */
import { resolveSimulation } from './options-simulation';
import type { RecordedFile } from './recording-files';
import type { EndedBy, LedgerEntry } from './types';

/** One step of the query `status` progression: from `afterMs` after start, report `status`. */
export interface StatusStep {
  afterMs: number;
  status: number;
}

/**
 * Extension points around the session lifecycle. The built-in channel simulation uses the same
 * points and runs first; these are called after it. `recordedNothing`, when given, replaces the
 * simulation's answer.
 */
export interface EmulatorHooks {
  /** A session was started (after the 200 was decided). */
  /** `startBody` is the start request as sent (the ledger entry's is redacted). */
  onSessionStarted?(entry: LedgerEntry, startBody: unknown): void;
  /** A session ended (stop, idle, Agora-side end, expiry). */
  onSessionEnded?(entry: LedgerEntry, endedBy: EndedBy): void;
  /** A successful update changed the session's subscription or storage. */
  onSessionUpdated?(entry: LedgerEntry, clientRequest: unknown): void;
  /** A failover window began (`count` starts at 1). */
  onFailover?(entry: LedgerEntry, count: number): void;
  /** On stop: true when nothing was recorded (nobody published) → 206 code 435. */
  recordedNothing?(entry: LedgerEntry): boolean;
  /** On stop: true when a file went to Agora's backup (the storage refused it) → `uploadingStatus: "backuped"`. */
  backedUp?(entry: LedgerEntry): boolean;
  /** A recording-mode session is being stopped: the files stop lists (the simulation's recorder answers). */
  recordingFiles?(entry: LedgerEntry): RecordedFile[] | undefined;
}

/** Options of {@link startEmulator}. Only the credentials are required. */
export interface EmulatorOptions {
  appId: string;
  customerId: string;
  customerSecret: string;
  /** When set, start requires a valid AccessToken2 RTC token for cname + bot uid. */
  appCertificate?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Lifetime of an unused resourceId. Default 300000 (5 min). */
  resourceTtlMs?: number;
  /** How long an ended session answers stop with 400/49 before it is gone (404). Default 2000. */
  exitingMs?: number;
  /** Whether the 201/7 "already started" body includes `sid`. Default true (unconfirmed upstream). */
  alreadyStartedIncludesSid?: boolean;
  /** Concurrent running sessions before acquire answers 400/406. Default 50. */
  maxConcurrentTasks?: number;
  /** REST requests per second (all endpoints, shared) before 429. Default: no limit. */
  qpsLimit?: number;
  /** Lowest accepted snapshotConfig.captureInterval. Default 5 (the reference also cites 1). */
  captureIntervalMin?: number;
  /** Query status over time since start. Default 0ms→2, 2000ms→4, 5000ms→5. */
  statusProgression?: readonly StatusStep[];
  /** `serverResponse.uploadingStatus` on a successful stop. Default "uploaded" ("backuped" for a session whose storage refused a file). */
  stopUploadingStatus?: 'uploaded' | 'backuped' | 'unknown';
  /** Clock in ms. Default Date.now. */
  now?: () => number;
  /** One line per REST request and notable event. Default: silent. */
  log?: (line: string) => void;
  /** Extension points around the session lifecycle. */
  hooks?: EmulatorHooks;

  // --- channel simulation, screenshots and callbacks (see README "Channel simulation") ---

  /**
   * Folder of the local "bucket" (object keys become paths), for sessions whose files are not
   * uploaded with the S3 API (see `s3Endpoint`). Default: a new folder in the OS temp dir,
   * created on first file.
   */
  bucketDir?: string;
  /**
   * LOCAL-USE OVERRIDE, not an Agora setting: the S3 endpoint (e.g. `http://127.0.0.1:9000`, a
   * moto or other S3-compatible server) that stands in for Amazon S3. With it, sessions whose
   * storageConfig is vendor 1 upload each screenshot there with PutObject (SigV4, path-style, the
   * storageConfig's bucket and keys). Without it they go to `bucketDir`: the emulator never calls
   * AWS. Vendor 11 always uploads to its `extensionParams.endpoint` (http for a loopback host,
   * else https). Default: none.
   */
  s3Endpoint?: string;
  /** NCS target: every notification is POSTed here, signed with `secret`. Default: none sent. */
  callback?: { url: string; secret: string };
  /** Delays before each resend of a notification not answered 200; its length is the resend count. Default [1000, 2000, 4000]. */
  resendDelaysMs?: readonly number[];
  /** An attempt not answered within this is a failure. Default 10000 (NCS: "200 within 10 s"). */
  callbackTimeoutMs?: number;
  /**
   * TEST/DEV ACCELERATOR, not an Agora behaviour: multiplies every simulated duration:
   * captureInterval, maxIdleTime, failover windows and scenario times. 0.1 runs 5 s screenshot
   * intervals every 0.5 s. Options given in ms (resourceTtlMs, exitingMs, statusProgression,
   * resendDelaysMs, callbackTimeoutMs, callback fault delays) are not scaled. Default 1.
   */
  timeScale?: number;
  /** Uids that are in every channel with video on from the channel's first use. Default []. */
  autoPublishers?: readonly string[];
  /**
   * Whether an empty channel has consequences: the session ends after maxIdleTime (idle), and a
   * stop where no subscribed uid ever published answers 206/435. When false, sessions behave as
   * if someone were always there (the REST-only behaviour). Default: true when `callback` or
   * `autoPublishers` is set, else false.
   */
  simulateChannels?: boolean;
  /** leaveCode of event 41 after a stop. Default 16 (LEAVE_CODE_CLIENT_LEAVE); unconfirmed upstream. */
  stopLeaveCode?: number;
}

/** Options with every default applied. */
export type ResolvedOptions = Required<
  Omit<EmulatorOptions, 'appCertificate' | 'qpsLimit' | 'hooks' | 'callback' | 's3Endpoint'>
> &
  Pick<EmulatorOptions, 'appCertificate' | 'qpsLimit' | 'callback' | 's3Endpoint'> & { hooks: EmulatorHooks };

/** Default query status progression: starting, then all components ready, then in progress. */
export const DEFAULT_STATUS_PROGRESSION: readonly StatusStep[] = [
  { afterMs: 0, status: 2 },
  { afterMs: 2000, status: 4 },
  { afterMs: 5000, status: 5 },
];

/** Applies defaults and rejects nonsense early (a misconfigured emulator should fail loudly). */
export function resolveOptions(opts: EmulatorOptions): ResolvedOptions {
  for (const key of ['appId', 'customerId', 'customerSecret'] as const) {
    if (typeof opts[key] !== 'string' || opts[key] === '')
      throw new Error(`emulator option ${key} is required`);
  }
  const progression = [...(opts.statusProgression ?? DEFAULT_STATUS_PROGRESSION)].sort(
    (a, b) => a.afterMs - b.afterMs,
  );
  if (progression.length === 0) throw new Error('emulator option statusProgression must not be empty');
  return {
    appId: opts.appId,
    customerId: opts.customerId,
    customerSecret: opts.customerSecret,
    appCertificate: opts.appCertificate,
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    resourceTtlMs: opts.resourceTtlMs ?? 300_000,
    exitingMs: opts.exitingMs ?? 2000,
    alreadyStartedIncludesSid: opts.alreadyStartedIncludesSid ?? true,
    maxConcurrentTasks: opts.maxConcurrentTasks ?? 50,
    qpsLimit: opts.qpsLimit,
    captureIntervalMin: opts.captureIntervalMin ?? 5,
    statusProgression: progression,
    stopUploadingStatus: opts.stopUploadingStatus ?? 'uploaded',
    now: opts.now ?? Date.now,
    log: opts.log ?? (() => {}),
    hooks: opts.hooks ?? {},
    ...resolveSimulation(opts),
  };
}
