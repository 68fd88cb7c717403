/**
 * `payload.details` of the Cloud Recording NCS events a screenshot backend acts on
 * (`event-types/cloud-recording.mdx` in
 * https://github.com/AgoraIO/Docs-Source/tree/HEAD/shared/notification-center-service). Loose schemas: Agora
 * promises to add fields, never to change them.
 */
import { z } from 'zod';

/** Event types used by the screenshot flow. */
export const NCS_EVENT = {
  ERROR: 1,
  WARNING: 2,
  STATUS_UPDATE: 3,
  SESSION_EXIT: 11,
  SESSION_FAILOVER: 12,
  UPLOADED: 31,
  BACKUPED: 32,
  UPLOADING_PROGRESS: 33,
  RECORDER_STARTED: 40,
  RECORDER_LEAVE: 41,
  AUDIO_STREAM_STATE_CHANGED: 43,
  VIDEO_STREAM_STATE_CHANGED: 44,
  SNAPSHOT_FILE: 45,
  DOWNLOAD_FAILED: 90,
} as const;

/** Event 1 `cloud_recording_error`. errorLevel 5 is fatal: call query. */
export const NcsErrorDetails = z.looseObject({
  module: z.number().int().optional(),
  errorLevel: z.number().int().optional(),
  errorCode: z.number().int(),
  stat: z.number().int().optional(),
  errorMsg: z.string().optional(),
});

/** Event 2 `cloud_recording_warning` (uploader 31/32: re-uploading). */
export const NcsWarningDetails = z.looseObject({
  module: z.number().int().optional(),
  warnCode: z.number().int(),
});

/** Event 11 `session_exit`: exitStatus 0 normal, 1 abnormal. */
export const NcsSessionExitDetails = z.looseObject({ exitStatus: z.number().int() });

/** Event 12 `session_failover`: the bot rejoins as `newUid` (a number in the docs). */
export const NcsSessionFailoverDetails = z.looseObject({
  newUid: z.union([z.number(), z.string()]).transform(String),
});

/** Event 41 `recorder_leave`: leaveCode is a bit mask (see RECORDER_LEAVE_BITS). */
export const NcsRecorderLeaveDetails = z.looseObject({ leaveCode: z.number().int() });

/** leaveCode bits; 0 alone means init failed. */
export const RECORDER_LEAVE_BITS = { SIG: 2, NO_USERS: 4, TIMER_CATCH: 8, CLIENT_LEAVE: 16 } as const;

/** Events 43/44: state 0 = receiving this uid's stream, 1 = not receiving. Note `UtcMs` casing. */
export const NcsStreamStateDetails = z.looseObject({
  streamUid: z.union([z.string(), z.number()]).transform(String),
  state: z.number().int(),
  UtcMs: z.number(),
});

/** Event 45 `recorder_snapshot_file`: `fileName` is the full object key (prefix + name). */
export const NcsSnapshotFileDetails = z.looseObject({ fileName: z.string().min(1) });

export type NcsErrorDetails = z.infer<typeof NcsErrorDetails>;
export type NcsWarningDetails = z.infer<typeof NcsWarningDetails>;
export type NcsSessionExitDetails = z.infer<typeof NcsSessionExitDetails>;
export type NcsSessionFailoverDetails = z.infer<typeof NcsSessionFailoverDetails>;
export type NcsRecorderLeaveDetails = z.infer<typeof NcsRecorderLeaveDetails>;
export type NcsStreamStateDetails = z.infer<typeof NcsStreamStateDetails>;
export type NcsSnapshotFileDetails = z.infer<typeof NcsSnapshotFileDetails>;
