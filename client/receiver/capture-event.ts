/**
 * Builds the {@link CaptureEvent} a workflow receives from an NCS envelope. Only the listed
 * detail fields are copied, so whatever Agora adds later never lands in workflow history.
 */
import type { NcsEnvelope } from '../../agora/notifications';
import { parseScreenshotKey } from '../../agora/filenames';
import { NCS_EVENT } from '../../agora/ncs-events';
import { ID_FIELDS, NUMBER_FIELDS } from '../../workflows/event-shape';
import type { CaptureEvent } from '../../workflows/messages';

/** Longer error messages are cut: they are for people, and history is not a log store. */
export const ERROR_MSG_MAX = 200;

type Details = CaptureEvent['details'];
// The fields the capture reads and checks (event-shape.ts). Agora sends streamUid as a string
// and newUid as a number; the workflow gets strings for both.

/** Picks the known detail fields with the expected types; anything else is dropped. */
export function pickDetails(raw: Record<string, unknown> | undefined): Details {
  const out: Details = {};
  if (!raw) return out;
  for (const k of NUMBER_FIELDS) {
    const v = raw[k];
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  for (const k of ID_FIELDS) {
    const v = raw[k];
    if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) out[k] = String(v);
  }
  if (typeof raw.fileName === 'string') {
    out.fileName = raw.fileName;
    // Parsed here, outside the workflow sandbox: the capture counts screenshots per uid.
    const key = parseScreenshotKey(raw.fileName);
    if (key) {
      out.screenshot = {
        uid: key.uid,
        capturedAtMs: key.capturedAt.getTime(),
        ...(key.failoverIndex !== undefined ? { failoverIndex: key.failoverIndex } : {}),
      };
    }
  }
  if (typeof raw.errorMsg === 'string') out.errorMsg = raw.errorMsg.slice(0, ERROR_MSG_MAX);
  return out;
}

/** Where the capture is addressed: the payload's channel, bot uid and recording id. */
export interface CaptureTarget {
  cname: string;
  uid: string;
  sid: string;
}

/**
 * The event as forwarded. eventMs: for event 44 the stream's own `UtcMs` (ordering per
 * stream), else `payload.sendts`, else `notifyMs` (which changes on resends: last resort).
 */
export function buildCaptureEvent(
  env: NcsEnvelope,
  target: CaptureTarget,
  details: Record<string, unknown> | undefined,
): CaptureEvent {
  const utcMs = details?.UtcMs;
  const eventMs =
    env.eventType === NCS_EVENT.VIDEO_STREAM_STATE_CHANGED && typeof utcMs === 'number'
      ? utcMs
      : (env.payload.sendts ?? env.notifyMs);
  return {
    noticeId: env.noticeId,
    eventType: env.eventType,
    ...target,
    ...(env.payload.sequence !== undefined ? { sequence: env.payload.sequence } : {}),
    eventMs,
    details: pickDetails(details),
  };
}
