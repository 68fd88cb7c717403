/**
 * Zod schemas of every Cloud Recording request and response used for screenshots
 * (https://docs.agora.io/en/api-reference/api-ref/cloud-recording). Requests are strict (an unknown key is a
 * typo Agora would answer with 400 code 2, or silently ignore); responses are loose (Agora may
 * add fields).
 */
import { z } from 'zod';
import {
  Cname,
  RecordingConfig,
  RecordingFileConfig,
  SnapshotConfig,
  UidList,
  UidString,
} from './recording-config';
import { StorageConfig } from './storage-config';

export * from './recording-config';
export * from './storage-config';
export * from './storage-regions';

/**
 * start's `clientRequest`: a screenshot task (`snapshotConfig`), a recording task
 * (`recordingFileConfig`), or both in one task, which Agora allows since its 2021-09-06 release
 * (and bills as recording only; https://docs.agora.io/en/cloud-recording/develop/screen-capture). This
 * product sends the first two, as separate sessions (activities/start-body.ts,
 * activities/recording-start-body.ts).
 */
export const StartClientRequest = z
  .strictObject({
    /** RTC token for cname + the bot uid; required when the App Certificate is enabled. */
    token: z.string().min(1).optional(),
    recordingConfig: RecordingConfig,
    snapshotConfig: SnapshotConfig.optional(),
    /** Records files (e.g. `{avFileType:["hls"]}`); omit for screenshots only. */
    recordingFileConfig: RecordingFileConfig.optional(),
    storageConfig: StorageConfig,
  })
  .superRefine((req, ctx) => {
    if (!req.snapshotConfig && !req.recordingFileConfig)
      ctx.addIssue({
        code: 'custom',
        path: ['snapshotConfig'],
        message: 'is required (or recordingFileConfig, for a recording task)',
      });
    if (!req.snapshotConfig) return;
    // Screenshot rules (https://docs.agora.io/en/cloud-recording/develop/screen-capture): a snapshot task
    // that subscribes no video captures nothing.
    const rc = req.recordingConfig;
    const issue = (key: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: ['recordingConfig', key], message });
    if (rc.streamTypes === 0) issue('streamTypes', 'screenshots need streamTypes 1 (video) or 2 (both)');
    if (rc.streamMode === 'original') issue('streamMode', 'streamMode "original" cannot take screenshots');
    const audioList = rc.subscribeAudioUids ?? rc.unSubscribeAudioUids;
    const videoList = rc.subscribeVideoUids ?? rc.unSubscribeVideoUids;
    if (audioList && !videoList) {
      issue('subscribeVideoUids', 'an audio subscription list without a video list subscribes no video');
    }
  });
export type StartClientRequest = z.infer<typeof StartClientRequest>;

/** acquire body. */
export const AcquireRequest = z.strictObject({
  cname: Cname,
  uid: UidString,
  clientRequest: z.strictObject({
    /** 0 real-time (incl. screenshots), 1 web, 2 postponed transcoding; ignored in raw mode. */
    scene: z.literal([0, 1, 2]).optional(),
    /** Hours after start during which query/update/stop work, [1, 720], default 72. */
    resourceExpiredHour: z.number().int().min(1).max(720).optional(),
    excludeResourceIds: z.array(z.string().min(1)).optional(),
    /** Documented form of region pinning; the official clients send `regionAffinity` instead. */
    region: z.enum(['CN', 'AP', 'EU', 'NA']).optional(),
    regionAffinity: z.number().int().min(0).max(4).optional(),
    /** Must equal the later start's clientRequest exactly. */
    startParameter: StartClientRequest.optional(),
  }),
});
export type AcquireRequest = z.infer<typeof AcquireRequest>;

/** Agora echoes uid as a string; accept a number too rather than fail a successful call. */
const EchoedUid = z.union([z.string(), z.number()]).transform(String);

/** Fields every successful response may echo. */
const Echo = {
  cname: z.string().optional(),
  uid: EchoedUid.optional(),
  resourceId: z.string().optional(),
  sid: z.string().optional(),
};

export const AcquireResponse = z.looseObject({ ...Echo, resourceId: z.string().min(1) });
export type AcquireResponse = z.infer<typeof AcquireResponse>;

/** start body. cname/uid must equal the acquire call's. */
export const StartRequest = z.strictObject({
  cname: Cname,
  uid: UidString,
  clientRequest: StartClientRequest,
});
export type StartRequest = z.infer<typeof StartRequest>;

export const StartResponse = z.looseObject({ ...Echo, sid: z.string().min(1) });
export type StartResponse = z.infer<typeof StartResponse>;

/** A timestamp that some services send as a numeric string. */
const Timestamp = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

/**
 * query answer. The screenshot shape is `serverResponse: {status, sliceStartTime}`; other
 * keys (fileList, fileListMode, …) are allowed because record+screenshot tasks add them.
 */
export const QueryResponse = z.looseObject({
  ...Echo,
  serverResponse: z.looseObject({
    /** See QUERY_STATUS: 4/5 mean the bot is up, 6–8 and 20 that it is leaving or gone. */
    status: z.number().int(),
    /** Unix ms per the docs (seconds per the Go client): see sliceStartTimeMs(). */
    sliceStartTime: Timestamp.optional(),
  }),
});
export type QueryResponse = z.infer<typeof QueryResponse>;

/** A subscription change for one media type: exactly one of its subscribe/unsubscribe lists. */
function uidListChange<S extends string, U extends string>(subscribe: S, unsubscribe: U) {
  return z
    .strictObject({ [subscribe]: UidList.optional(), [unsubscribe]: UidList.optional() } as Record<
      S | U,
      z.ZodOptional<typeof UidList>
    >)
    .refine((o: Record<string, unknown>) => (o[subscribe] === undefined) !== (o[unsubscribe] === undefined), {
      message: `set exactly one of ${subscribe} or ${unsubscribe}`,
    });
}
const AudioUidList = uidListChange('subscribeAudioUids', 'unSubscribeAudioUids');
const VideoUidList = uidListChange('subscribeVideoUids', 'unSubscribeVideoUids');

/** update body: one kind of change per call (subscription lists or a storage refresh). */
export const UpdateRequest = z
  .strictObject({
    cname: Cname,
    uid: UidString,
    clientRequest: z.strictObject({
      streamSubscribe: z
        .strictObject({ audioUidList: AudioUidList.optional(), videoUidList: VideoUidList.optional() })
        .optional(),
      storageConfig: StorageConfig.optional(),
    }),
  })
  .superRefine((body, ctx) => {
    const { streamSubscribe, storageConfig } = body.clientRequest;
    if ((streamSubscribe === undefined) === (storageConfig === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['clientRequest'],
        message: 'update takes exactly one of streamSubscribe or storageConfig per call',
      });
    }
  });
export type UpdateRequest = z.infer<typeof UpdateRequest>;

export const UpdateResponse = z.looseObject(Echo);
export type UpdateResponse = z.infer<typeof UpdateResponse>;

/** stop body. `async_stop: true` returns at once; false (default) waits for uploads (≤ 20 s). */
export const StopRequest = z.strictObject({
  cname: Cname,
  uid: UidString,
  clientRequest: z.strictObject({ async_stop: z.boolean().optional() }),
});
export type StopRequest = z.infer<typeof StopRequest>;

/** `uploaded`, `backuped` (Agora re-delivers later), `unknown`, `stranded` (raw mode; not a failure). */
export const UploadingStatus = z.enum(['uploaded', 'backuped', 'unknown', 'stranded']);
export type UploadingStatus = z.infer<typeof UploadingStatus>;

/**
 * stop answer. A 200 means the bot stopped, so an unexpected or missing `uploadingStatus`
 * reads as `"unknown"` instead of failing a stop that succeeded.
 */
export const StopResponse = z.looseObject({
  ...Echo,
  serverResponse: z
    .looseObject({ uploadingStatus: UploadingStatus.catch('unknown') })
    .catch({ uploadingStatus: 'unknown' }),
});
export type StopResponse = z.infer<typeof StopResponse>;
