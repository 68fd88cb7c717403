/**
 * The recording session beside the screenshots (issue 13). A capture whose request has
 * `recording` runs a second session: acquired and started right after the screenshot session,
 * under its own recorder uid, with a recording-mode start body. (Agora could record and take
 * screenshots in one task since 2021-09-06, billed as recording only; two tasks keep the parts
 * independent under this product's guarantees, at the cost of billing both: docs/recording.md.)
 *
 * It is a first-class open session (`s.sessions`, kind 'recording'): the compensation and the
 * sweeper stop it on every path they stop the screenshot session. Its start activity carries
 * the recording's own session request (recorder uid, storage profile, `sessionKind`), so a
 * sweeper reading the closed run's history stops (or re-starts to learn the sid of) the right
 * bot. Its progress lives in `s.recording`, never in `s.segments`. Workflow code.
 */
import { ApplicationFailure, CancellationScope, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { CaptureActivities, StopResult } from '../activities';
import { failureMessage, failureType, outcomeUnknown } from './failure-type';
import type { CaptureMachine } from './machine';
import type { CaptureEvent } from './messages';
import { learnSid, settle, trackStart } from './open-sessions';
import { startOptions } from './policies';
import { recordingSessionRequest } from './recording-request';
import type { RecordingProgress } from './recording-state';
import type { CaptureRequest } from './request';
import { acquireSlot, honourCancellation, recordError } from './session';
import type { CaptureState, OpenSession } from './state';

export { recordingSessionRequest, sessionRequest, type SessionRequest } from './recording-request';

const { start } = proxyActivities<CaptureActivities>(startOptions);

/** The capture fails naming the session that could not start (the compensation stops the other). */
function startFailed(err: unknown, uid: string, step: 'acquire' | 'start'): unknown {
  if (isCancellation(err)) return err;
  return ApplicationFailure.nonRetryable(
    `the recording session (recorder uid ${uid}) failed to ${step}: ${failureMessage(err)}`,
    'RecordingStartFailed',
    { session: 'recording', step, cause: failureType(err) ?? 'Error', outcomeUnknown: outcomeUnknown(err) },
  );
}

/**
 * acquire + start of the recording session, when the request asks for one. Listed as open
 * before its start is scheduled and started non-cancellable (as the screenshot session is), so
 * a cancellation waits for Agora's answer and the compensation knows what to stop.
 */
export async function startRecording(m: CaptureMachine): Promise<void> {
  const { s, request } = m;
  if (!request.recording || s.recording?.sid !== undefined) return;
  const req = recordingSessionRequest(request);
  const rec: RecordingProgress = (s.recording ??= { recorderUid: req.recorderUid, failovers: 0 });
  await honourCancellation();
  let resourceId: string | undefined;
  try {
    resourceId = await acquireSlot(m, req, false, true);
  } catch (err) {
    recordError(s, err);
    throw startFailed(err, req.recorderUid, 'acquire');
  }
  if (resourceId === undefined) return; // stopped while waiting for a slot: the capture ends next
  rec.resourceId = resourceId;
  await honourCancellation();
  trackStart(s, req, resourceId, Date.now(), 'recording');
  m.sync();
  try {
    const r = await CancellationScope.nonCancellable(() =>
      start({ request: req, resourceId, durationSeconds: request.durationSeconds }),
    );
    learnSid(s, resourceId, r.sid);
    rec.sid = r.sid;
    rec.startedAtMs = Date.now();
    m.sync();
  } catch (err) {
    recordError(s, err);
    // Only a refusal that proves nothing started unlists it; otherwise compensation resolves it.
    if (!outcomeUnknown(err) && failureType(err) !== 'AgoraAlreadyStarted') {
      settle(s, resourceId);
      m.sync();
    }
    throw startFailed(err, req.recorderUid, 'start');
  }
  await honourCancellation();
}

/** Stop answered for open session `o`: keep the recording's file list and end time. */
export function noteStopped(s: CaptureState, o: OpenSession, r: StopResult): void {
  const rec = s.recording;
  if (o.kind !== 'recording' || !rec || rec.resourceId !== o.resourceId) return;
  rec.endedAtMs ??= Date.now();
  rec.endedBy ??= 'stop';
  rec.stopOutcome = r.outcome;
  rec.uploadingStatus = r.uploadingStatus;
  if (r.fileList) rec.fileList = r.fileList;
}

const SESSION_EXIT = 11;
const RECORDER_LEAVE = 41;
const FAILOVER = 12;

/**
 * Applies a callback of the recording session (routed by its sid); false for any other sid.
 * None of its events needs ordering: exit/leave end it (Agora no longer bills it), failover
 * counts, the rest (uploads, file infos) is reported by stop's fileList.
 */
export function applyRecordingEvent(s: CaptureState, e: CaptureEvent, nowMs: number): boolean {
  const rec = s.recording;
  if (!rec?.sid || e.sid !== rec.sid) return false;
  s.counters.applied += 1;
  if (e.eventType === SESSION_EXIT || e.eventType === RECORDER_LEAVE) {
    if (rec.resourceId) settle(s, rec.resourceId);
    if (rec.endedAtMs === undefined) {
      rec.endedAtMs = nowMs;
      rec.endedBy = 'agora';
      rec.endHeardFromCallback = true;
    }
  } else if (e.eventType === FAILOVER && e.details.newUid) {
    rec.failovers += 1;
  }
  return true;
}

/**
 * Whether Agora ending a session ends the capture. Without recording: when the screenshot
 * session is gone (not operator-released). With it, by `recording.ifOneEnds`: `continue`
 * (default) goes on while either session runs; `end-capture` ends when either is gone.
 */
export function agoraEndedCapture(s: CaptureState, request: CaptureRequest): boolean {
  const screenshotsGone = s.sessionGone && !s.operatorPaused;
  const rec = s.recording;
  if (!request.recording || rec?.sid === undefined) return screenshotsGone;
  const recordingGone = rec.endedBy === 'agora';
  if (request.recording.ifOneEnds === 'end-capture') return screenshotsGone || recordingGone;
  return screenshotsGone && recordingGone;
}
