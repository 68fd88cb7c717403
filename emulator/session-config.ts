/**
 * What the recorder needs from a session's start body and later updates: which uids' video it
 * receives, the screenshot interval, maxIdleTime and the object-key prefix. The bodies were
 * validated by the REST handlers already; this reads them leniently with Agora's defaults.
 */
import { z } from 'zod';

/**
 * Defaults of https://docs.agora.io/en/api-reference/api-ref/cloud-recording/start: captureInterval 10 s,
 * maxIdleTime 30 s, streamTypes 2.
 */
const DEFAULT_CAPTURE_INTERVAL_S = 10;
const DEFAULT_MAX_IDLE_S = 30;

/** Whose video a session receives. */
export interface VideoSubscription {
  /** all: everyone; only: the listed uids; except: everyone but the listed; none: nobody. */
  mode: 'all' | 'only' | 'except' | 'none';
  uids: ReadonlySet<string>;
}

/** The recorder's view of a session's configuration. */
export interface SessionConfig {
  video: VideoSubscription;
  /** Any audio subscribed (used to decide whether anything was recorded). */
  audio: boolean;
  /** Screenshot interval in seconds, or undefined when the session takes no screenshots. */
  captureIntervalS?: number;
  /** Whether recording files are produced too (recordingFileConfig present). */
  records: boolean;
  /** recordingFileConfig.avFileType (Agora's default ["hls"]) when `records`. */
  avFileType: string[];
  maxIdleTimeS: number;
  /** storageConfig.fileNamePrefix (may be empty). */
  prefix: string[];
  /** The session's storageConfig as sent (validated by the handlers): where files are uploaded. */
  storage: Record<string, unknown>;
  /** Recording mode of the session (file names differ in raw mode). */
  mode: 'individual' | 'raw';
}

const list = z.array(z.string()).optional();
const lists = z.looseObject({
  subscribeVideoUids: list,
  unSubscribeVideoUids: list,
  unsubscribeVideoUids: list,
  subscribeAudioUids: list,
  unSubscribeAudioUids: list,
  unsubscribeAudioUids: list,
});
const startBody = z.looseObject({
  clientRequest: z.looseObject({
    recordingConfig: lists.extend({ streamTypes: z.number().optional(), maxIdleTime: z.number().optional() }),
    snapshotConfig: z.looseObject({ captureInterval: z.number().optional() }).optional(),
    recordingFileConfig: z.looseObject({ avFileType: z.array(z.string()).optional() }).optional(),
    storageConfig: z.looseObject({ fileNamePrefix: z.array(z.string()).optional() }).optional(),
  }),
});
const updateRequest = z.looseObject({
  streamSubscribe: z
    .looseObject({ videoUidList: lists.optional(), audioUidList: lists.optional() })
    .optional(),
  storageConfig: z.looseObject({ fileNamePrefix: z.array(z.string()).optional() }).optional(),
});

type Lists = z.output<typeof lists>;

/** Video subscription from the lists; `#allstream#` means everyone. */
function videoFrom(l: Lists): VideoSubscription | undefined {
  const only = l.subscribeVideoUids;
  const except = l.unSubscribeVideoUids ?? l.unsubscribeVideoUids;
  if (only) return only.includes('#allstream#') ? all() : { mode: 'only', uids: new Set(only) };
  if (except) return { mode: 'except', uids: new Set(except) };
  return undefined;
}
const all = (): VideoSubscription => ({ mode: 'all', uids: new Set() });
const none = (): VideoSubscription => ({ mode: 'none', uids: new Set() });
const hasAudioList = (l: Lists) =>
  [l.subscribeAudioUids, l.unSubscribeAudioUids, l.unsubscribeAudioUids].some((x) => x !== undefined);

/** Reads a (validated) start body of a session in `mode`. */
export function configFromStart(body: unknown, mode: 'individual' | 'raw'): SessionConfig {
  const cr = startBody.parse(body).clientRequest;
  const rc = cr.recordingConfig;
  const streamTypes = rc.streamTypes ?? 2;
  // "Setting a list for only one media type means the other type is not subscribed at all."
  const video = streamTypes === 0 ? none() : (videoFrom(rc) ?? (hasAudioList(rc) ? none() : all()));
  const audio = streamTypes !== 1 && (hasAudioList(rc) || videoFrom(rc) === undefined);
  return {
    video,
    audio,
    ...(cr.snapshotConfig
      ? { captureIntervalS: cr.snapshotConfig.captureInterval ?? DEFAULT_CAPTURE_INTERVAL_S }
      : {}),
    records: cr.recordingFileConfig !== undefined,
    avFileType: cr.recordingFileConfig?.avFileType ?? ['hls'],
    maxIdleTimeS: rc.maxIdleTime ?? DEFAULT_MAX_IDLE_S,
    prefix: cr.storageConfig?.fileNamePrefix ?? [],
    storage: cr.storageConfig ?? {},
    mode,
  };
}

/**
 * Applies a (validated) update clientRequest: a new video list, or new storage settings (a new
 * fileNamePrefix, renewed credentials or STS token) for the files uploaded from then on.
 */
export function applyUpdate(cfg: SessionConfig, clientRequest: unknown): SessionConfig {
  const cr = updateRequest.parse(clientRequest);
  const videoList = cr.streamSubscribe?.videoUidList;
  const video = videoList ? videoFrom(videoList) : undefined;
  const prefix = cr.storageConfig?.fileNamePrefix;
  return {
    ...cfg,
    ...(video ? { video } : {}),
    ...(prefix ? { prefix } : {}),
    ...(cr.storageConfig ? { storage: { ...cfg.storage, ...cr.storageConfig } } : {}),
  };
}

/** Whether the session receives `uid`'s video when `uid` sends it. */
export function subscribesVideo(sub: VideoSubscription, uid: string): boolean {
  switch (sub.mode) {
    case 'all':
      return true;
    case 'only':
      return sub.uids.has(uid);
    case 'except':
      return !sub.uids.has(uid);
    case 'none':
      return false;
  }
}
