/**
 * The parts of start's `clientRequest` that describe what the bot subscribes to and how it
 * captures (https://docs.agora.io/en/api-reference/api-ref/cloud-recording/start,
 * https://docs.agora.io/en/cloud-recording/develop/screen-capture). Wire-level rules live here; policy
 * (e.g. "captureInterval at least 5") belongs to the capture request validation, which may be
 * stricter.
 */
import { z } from 'zod';

/** Agora's limit on an RTC uid, 2^32 − 1. */
export const MAX_UID = 4_294_967_295;

/** An integer RTC uid written as a decimal string, 1..2^32−1 (never "0", no leading zeros). */
export const UidString = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, 'uid must be a decimal integer string from 1 to 4294967295')
  .refine((s) => Number(s) <= MAX_UID, 'uid must be at most 4294967295');

/** Channel name: under 64 bytes, Agora's documented character set (no `/`, no `"`, no `'`). */
export const Cname = z
  .string()
  .regex(
    /^[A-Za-z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,]{1,63}$/,
    'cname must be 1-63 characters of a-z A-Z 0-9 space and !#$%&()+-:;<=.>?@[]^_{}|~,',
  );

/** Subscribe everyone: the only non-uid value allowed in subscription lists. */
export const ALL_STREAMS = '#allstream#';

/** A subscription list: 1–32 uid strings, or `["#allstream#"]`. */
export const UidList = z
  .array(z.union([UidString, z.literal(ALL_STREAMS)]))
  .min(1)
  .max(32, 'subscription lists hold at most 32 uids');

/** Base64 of exactly 32 bytes (44 characters with padding). */
const Salt = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'salt must be the base64 encoding of 32 bytes');

/** `recordingConfig` for individual mode. */
export const RecordingConfig = z
  .strictObject({
    /** 0 communication, 1 live broadcast; must match the channel's SDK profile. */
    channelType: z.literal([0, 1]),
    /** 0 audio, 1 video, 2 both. Required here because Go's zero-value trap sends 0 (audio only). */
    streamTypes: z.literal([0, 1, 2]),
    decryptionMode: z.number().int().min(0).max(8).optional(),
    secret: z.string().min(1).optional(),
    salt: Salt.optional(),
    /** Seconds of an idle channel before the bot leaves, [5, 2592000] (docs win over Go's 259200). */
    maxIdleTime: z.number().int().min(5).max(2_592_000),
    /** 0 high stream, 1 low stream. */
    videoStreamType: z.literal([0, 1]).optional(),
    subscribeVideoUids: UidList.optional(),
    subscribeAudioUids: UidList.optional(),
    // Capital S, as the subscription guide and the Go/Java/Node clients send it; Agora's docs
    // disagree (the API reference writes `unsubscribe…`); see
    // https://github.com/AgoraIO/Docs-Source/blob/HEAD/cloud-recording/develop/subscription.md
    unSubscribeVideoUids: UidList.optional(),
    unSubscribeAudioUids: UidList.optional(),
    /** Required in individual mode: estimated peak subscribed uids, 0 (1–2) … 5 (33–49). */
    subscribeUidGroup: z.number().int().min(0).max(5),
    /** Individual (v1) only; removed in raw mode. `original` cannot take screenshots. */
    streamMode: z.enum(['default', 'standard', 'original']).optional(),
    /** Undocumented knobs as JSON text, passed through untouched. */
    privateParams: z.string().optional(),
  })
  .superRefine((rc, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (rc.subscribeVideoUids && rc.unSubscribeVideoUids) {
      issue('unSubscribeVideoUids', 'subscribeVideoUids and unSubscribeVideoUids cannot both be set');
    }
    if (rc.subscribeAudioUids && rc.unSubscribeAudioUids) {
      issue('unSubscribeAudioUids', 'subscribeAudioUids and unSubscribeAudioUids cannot both be set');
    }
    if (rc.streamTypes === 0 && (rc.subscribeVideoUids || rc.unSubscribeVideoUids)) {
      issue('streamTypes', 'video subscription lists need streamTypes 1 or 2');
    }
    if (rc.streamTypes === 1 && (rc.subscribeAudioUids || rc.unSubscribeAudioUids)) {
      issue('streamTypes', 'audio subscription lists need streamTypes 0 or 2');
    }
    const mode = rc.decryptionMode ?? 0;
    if (mode !== 0 && rc.secret === undefined)
      issue('secret', 'secret is required when decryptionMode is not 0');
    if ((mode === 7 || mode === 8) && rc.salt === undefined)
      issue('salt', 'salt is required for decryptionMode 7 and 8');
  });
export type RecordingConfig = z.infer<typeof RecordingConfig>;

/**
 * Agora's documented captureInterval bounds; [5, 3600] is safe under every source (Agora's
 * docs disagree; see https://docs.agora.io/en/cloud-recording/develop/screen-capture).
 */
export const CAPTURE_INTERVAL_MIN = 1;
export const CAPTURE_INTERVAL_SAFE_MIN = 5;
export const CAPTURE_INTERVAL_MAX = 3600;

/**
 * `snapshotConfig`. The wire schema accepts the wider [1, 3600] that newer guides document;
 * capture-request validation should require ≥ 5 unless explicitly allowed (Agora's docs
 * disagree; see https://docs.agora.io/en/api-reference/api-ref/cloud-recording/start).
 */
export const SnapshotConfig = z.strictObject({
  captureInterval: z.number().int().min(CAPTURE_INTERVAL_MIN).max(CAPTURE_INTERVAL_MAX),
  fileType: z.tuple([z.literal('jpg')]),
});
export type SnapshotConfig = z.infer<typeof SnapshotConfig>;

/** `recordingFileConfig`: only for record-and-screenshot tasks; omit for screenshots only. */
export const RecordingFileConfig = z.strictObject({
  avFileType: z
    .array(z.enum(['hls', 'mp4', 'mp3']))
    .min(1)
    .optional(),
});
export type RecordingFileConfig = z.infer<typeof RecordingFileConfig>;
