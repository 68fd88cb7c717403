/**
 * The shape check of an `agoraEvent` signal's events. A signal cannot be refused (unlike an
 * update, it has no validator), and anyone with access to the namespace can send one by hand
 * (the Temporal UI, `temporal workflow signal`): an event the capture cannot read would throw
 * in every workflow task after it, and wedge the capture with its Agora session billing. So each
 * event is checked as it arrives, and one without the shape the receiver builds
 * (client/receiver/capture-event.ts) is dropped and counted, never stored. Only the known
 * fields are kept. The receiver runs the same check, so a callback it answers 200 is never one
 * the capture drops. Workflow-safe, pure.
 */
import type { CaptureEvent } from './messages';

/** Bounds far above Agora's (ids of tens of characters): they only keep a hand-made event small. */
export const ID_MAX = 1024;
export const TEXT_MAX = 8192;

type Details = CaptureEvent['details'];
/** The numeric detail fields a capture reads (the receiver copies the same ones). */
export const NUMBER_FIELDS = [
  'state',
  'exitStatus',
  'leaveCode',
  'errorCode',
  'errorLevel',
  'module',
  'warnCode',
] as const;
/** The id detail fields, strings in the event (Agora sends newUid as a number). */
export const ID_FIELDS = ['streamUid', 'newUid'] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= ID_MAX;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const ID_RULE = `must be a non-empty string of at most ${ID_MAX} characters`;

/** An event as the capture stores it, or the first field that is wrong and why. */
export type EventCheck = { ok: true; event: CaptureEvent } | { ok: false; problem: string };

function checkDetails(raw: unknown): { ok: true; details: Details } | { ok: false; problem: string } {
  if (!isObject(raw)) return { ok: false, problem: 'details: must be an object' };
  const out: Details = {};
  for (const k of NUMBER_FIELDS) {
    const v = raw[k];
    if (v === undefined) continue;
    if (!isNumber(v)) return { ok: false, problem: `details.${k}: must be a number` };
    out[k] = v;
  }
  for (const k of ID_FIELDS) {
    const v = raw[k];
    if (v === undefined) continue;
    if (!isId(v)) return { ok: false, problem: `details.${k}: ${ID_RULE}` };
    out[k] = v;
  }
  for (const k of ['fileName', 'errorMsg'] as const) {
    const v = raw[k];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length > TEXT_MAX)
      return { ok: false, problem: `details.${k}: must be a string of at most ${TEXT_MAX} characters` };
    out[k] = v;
  }
  const shot = raw.screenshot;
  if (shot !== undefined) {
    if (
      !isObject(shot) ||
      !isId(shot.uid) ||
      !isNumber(shot.capturedAtMs) ||
      (shot.failoverIndex !== undefined && !isNumber(shot.failoverIndex))
    )
      return { ok: false, problem: 'details.screenshot: must be { uid, capturedAtMs, failoverIndex? }' };
    out.screenshot = {
      uid: shot.uid,
      capturedAtMs: shot.capturedAtMs,
      ...(shot.failoverIndex !== undefined ? { failoverIndex: shot.failoverIndex } : {}),
    };
  }
  return { ok: true, details: out };
}

/** Checks one event; on success, a copy with only the fields the capture reads. */
export function checkEvent(raw: unknown): EventCheck {
  if (!isObject(raw)) return { ok: false, problem: 'event: must be an object' };
  const { noticeId, eventType, cname, uid, sid, sequence, eventMs } = raw;
  for (const [k, v] of [
    ['noticeId', noticeId],
    ['cname', cname],
    ['uid', uid],
    ['sid', sid],
  ] as const)
    if (!isId(v)) return { ok: false, problem: `${k}: ${ID_RULE}` };
  if (!Number.isInteger(eventType)) return { ok: false, problem: 'eventType: must be an integer' };
  if (!isNumber(eventMs)) return { ok: false, problem: 'eventMs: must be a number (UTC ms)' };
  if (sequence !== undefined && !(Number.isInteger(sequence) && (sequence as number) >= 0))
    return { ok: false, problem: 'sequence: must be an integer ≥ 0' };
  const d = checkDetails(raw.details);
  if (!d.ok) return d;
  return {
    ok: true,
    event: {
      noticeId: noticeId as string,
      eventType: eventType as number,
      cname: cname as string,
      uid: uid as string,
      sid: sid as string,
      ...(sequence !== undefined ? { sequence: sequence as number } : {}),
      eventMs: eventMs,
      details: d.details,
    },
  };
}

/** The signal's argument split into the events the capture can use and what was dropped. */
export function readAgoraEvents(arg: unknown): {
  events: CaptureEvent[];
  malformed: number;
  problem?: string;
} {
  const list = isObject(arg) ? arg.events : undefined;
  if (!Array.isArray(list)) return { events: [], malformed: 1, problem: 'events: must be an array' };
  const events: CaptureEvent[] = [];
  let problem: string | undefined;
  for (const raw of list) {
    const c = checkEvent(raw);
    if (c.ok) events.push(c.event);
    else problem ??= c.problem;
  }
  return { events, malformed: list.length - events.length, ...(problem ? { problem } : {}) };
}
