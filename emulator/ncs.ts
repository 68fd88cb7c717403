/**
 * NCS (Message Notification Service) wire format for Cloud Recording, per
 * `request-header-body.mdx` and `event-types/cloud-recording.mdx` in
 * https://github.com/AgoraIO/Docs-Source/tree/HEAD/shared/notification-center-service:
 * the envelope, the per-event `msgName`/`serviceType`, the `details` fields of the events the
 * emulator produces, and both signature headers.
 */
import { createHmac } from 'node:crypto';

/** `productId` of Cloud Recording in the envelope. */
export const PRODUCT_CLOUD_RECORDING = 3;

/** msgName and serviceType of each Cloud Recording event type in the reference's table. */
export const EVENT_TYPES: Readonly<Record<number, { msgName: string; serviceType: number }>> = {
  1: { msgName: 'cloud_recording_error', serviceType: 0 },
  2: { msgName: 'cloud_recording_warning', serviceType: 0 },
  3: { msgName: 'cloud_recording_status_update', serviceType: 0 },
  4: { msgName: 'cloud_recording_file_infos', serviceType: 0 },
  11: { msgName: 'session_exit', serviceType: 0 },
  12: { msgName: 'session_failover', serviceType: 0 },
  30: { msgName: 'uploader_started', serviceType: 2 },
  31: { msgName: 'uploaded', serviceType: 2 },
  32: { msgName: 'backuped', serviceType: 2 },
  33: { msgName: 'uploading_progress', serviceType: 2 },
  40: { msgName: 'recorder_started', serviceType: 1 },
  41: { msgName: 'recorder_leave', serviceType: 1 },
  42: { msgName: 'recorder_slice_start', serviceType: 1 },
  43: { msgName: 'recorder_audio_stream_state_changed', serviceType: 1 },
  44: { msgName: 'recorder_video_stream_state_changed', serviceType: 1 },
  45: { msgName: 'recorder_snapshot_file', serviceType: 1 },
};

/** `details` (without msgName) of the events the emulator emits on its own. */
export interface EventDetails {
  1: { module: number; errorLevel: number; errorCode: number; stat: number; errorMsg: string };
  2: { module: number; warnCode: number };
  11: { exitStatus: 0 | 1 };
  12: { newUid: number };
  40: { status: number };
  41: { leaveCode: number };
  44: { streamUid: string; state: 0 | 1; UtcMs: number };
  45: { fileName: string };
}

/** `leaveCode` bits of event 41. */
export const LEAVE_CODE = { SIG: 2, NO_USERS: 4, TIMER_CATCH: 8, CLIENT_LEAVE: 16 } as const;

/** A notification before sending: everything but `notifyMs`, which each attempt sets. */
export interface Notice {
  noticeId: string;
  eventType: number;
  payload: {
    cname: string;
    /** The bot uid (the new one after a failover). */
    uid: string;
    sid: string;
    sequence: number;
    sendts: number;
    serviceType: number;
    details: Record<string, unknown> & { msgName: string };
  };
}

/** The raw body of one attempt, in the reference's field order. */
export function envelopeJson(notice: Notice, notifyMs: number): string {
  return JSON.stringify({
    noticeId: notice.noticeId,
    productId: PRODUCT_CLOUD_RECORDING,
    eventType: notice.eventType,
    notifyMs,
    payload: notice.payload,
  });
}

/** Both signature headers over the raw body bytes: lowercase hex HMAC-SHA1 and HMAC-SHA256. */
export function signatureHeaders(rawBody: string, secret: string): Record<string, string> {
  const hmac = (alg: string) => createHmac(alg, Buffer.from(secret, 'utf8')).update(rawBody).digest('hex');
  return { 'Agora-Signature': hmac('sha1'), 'Agora-Signature-V2': hmac('sha256') };
}
