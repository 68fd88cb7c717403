/**
 * Envelope → what to do with it. Pure: no I/O, so every branch is unit-tested.
 *
 * Only Cloud Recording events the capture acts on become signals, because each signal costs
 * workflow history. Everything else is acknowledged (200) so Agora does not resend it.
 */
import { z } from 'zod';
import {
  NCS_EVENT,
  NcsErrorDetails,
  NcsRecorderLeaveDetails,
  NcsSessionExitDetails,
  NcsSessionFailoverDetails,
  NcsSnapshotFileDetails,
  NcsStreamStateDetails,
  NcsWarningDetails,
} from '../../agora/ncs-events';
import { NCS_PRODUCT_CLOUD_RECORDING, type NcsEnvelope } from '../../agora/notifications';
import { type CaptureEvent, FORWARDED_EVENT_TYPES } from '../../workflows/messages';
import { checkEvent } from '../../workflows/event-shape';
import { buildCaptureEvent, type CaptureTarget } from './capture-event';
import { describeIssues } from './parse-envelope';

/** The decision for one envelope. */
export type RouteAction =
  | { kind: 'ignore'; verdict: 'ignored-product' | 'ignored-event' }
  | { kind: 'reject'; error: string }
  | { kind: 'signal'; signal: 'agoraEvent'; arg: CaptureEvent; target: CaptureTarget };

/** Event 44 `state`: 0 = Agora receives the stream's video, 1 = it does not. */
const VIDEO_RECEIVING = 0;
const VIDEO_NOT_RECEIVING = 1;

/** Bounds keep a hostile-but-signed payload from producing absurd workflow ids (cname < 64 bytes at Agora). */
const Target = z.object({
  cname: z.string().min(1, 'required').max(128, 'too long'),
  uid: z.string().min(1, 'required').max(32, 'too long'),
  sid: z.string().min(1, 'required').max(128, 'too long'),
});

/** Detail schemas of routed events; the capture needs these fields to act. 40 carries none it reads. */
const DETAILS: Partial<Record<number, z.ZodType<Record<string, unknown>>>> = {
  [NCS_EVENT.ERROR]: NcsErrorDetails,
  [NCS_EVENT.WARNING]: NcsWarningDetails,
  [NCS_EVENT.SESSION_EXIT]: NcsSessionExitDetails,
  [NCS_EVENT.SESSION_FAILOVER]: NcsSessionFailoverDetails,
  [NCS_EVENT.RECORDER_LEAVE]: NcsRecorderLeaveDetails,
  [NCS_EVENT.VIDEO_STREAM_STATE_CHANGED]: NcsStreamStateDetails,
  [NCS_EVENT.SNAPSHOT_FILE]: NcsSnapshotFileDetails,
};

const FORWARDED: ReadonlySet<number> = new Set(FORWARDED_EVENT_TYPES);

/** Decides what an authenticated, schema-valid envelope becomes. */
export function routeEvent(env: NcsEnvelope): RouteAction {
  if (env.productId !== NCS_PRODUCT_CLOUD_RECORDING) return { kind: 'ignore', verdict: 'ignored-product' };
  const isVideoState = env.eventType === NCS_EVENT.VIDEO_STREAM_STATE_CHANGED;
  // Unrouted events are acknowledged before any field is required: the console's health
  // check sends test events whose payloads we must not reject.
  if (!FORWARDED.has(env.eventType)) return { kind: 'ignore', verdict: 'ignored-event' };

  const p = env.payload;
  const target = Target.safeParse({ cname: p.cname, uid: p.uid, sid: p.sid }, { reportInput: true });
  if (!target.success) return { kind: 'reject', error: describeIssues(target.error.issues, 'payload') };

  let details: Record<string, unknown> | undefined = p.details;
  const schema = DETAILS[env.eventType];
  if (schema) {
    if (details === undefined) return { kind: 'reject', error: 'payload.details: required' };
    const parsed = schema.safeParse(details, { reportInput: true });
    if (!parsed.success)
      return { kind: 'reject', error: describeIssues(parsed.error.issues, 'payload.details') };
    details = parsed.data;
  }
  const event = buildCaptureEvent(env, target.data, details);
  // The capture's own check (a signal cannot be refused): answer 400 for what it would drop.
  const storable = checkEvent(event);
  if (!storable.ok) return { kind: 'reject', error: `the callback as an event: ${storable.problem}` };
  if (isVideoState) {
    const { state } = event.details;
    if (state !== VIDEO_RECEIVING && state !== VIDEO_NOT_RECEIVING)
      return { kind: 'reject', error: 'payload.details.state: must be 0 (receiving) or 1 (not receiving)' };
  }
  // Every Agora fact, 44 included, goes as agoraEvent: batched, and never mistaken for an operator's command.
  return { kind: 'signal', signal: 'agoraEvent', arg: event, target: target.data };
}
