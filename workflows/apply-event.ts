/**
 * What one de-duplicated Agora callback means for the capture (only 44 arrives in order; every
 * other event's effect does not depend on order). Pure: the workflow's
 * loop calls it; unit tests call it directly.
 */
import type { CaptureEvent } from './messages';
import type { CaptureRequest } from './request';
import { type CaptureState, currentSegment } from './state';
import { firstSightOfFile } from './event-order';
import { noteVideoState } from './manifest-record';
import { settle } from './open-sessions';
import { callbackErrorMessage } from './callback-error';
import { EVIDENCE, exitText, leaveText, noteAgoraEnd } from './agora-end';

const VIDEO_STATE_CHANGED = 44;

/** The video uids this capture subscribed to, or undefined for "everyone". */
export function subscribedVideoUids(request: CaptureRequest): Set<string> | undefined {
  const list = request.recordingConfig.subscribeVideoUids;
  return list && !list.includes('#allstream#') ? new Set(list) : undefined;
}

function excluded(request: CaptureRequest, uid: string): boolean {
  const subscribed = subscribedVideoUids(request);
  if (subscribed && !subscribed.has(uid)) return true;
  return request.recordingConfig.unSubscribeVideoUids?.includes(uid) ?? false;
}

function applyVideoState(s: CaptureState, request: CaptureRequest, e: CaptureEvent, nowMs: number): void {
  const uid = e.details.streamUid;
  if (!uid || excluded(request, uid)) return;
  const receiving = e.details.state === 0;
  const prev = s.streams[uid];
  if (prev && prev.sinceMs > e.eventMs) return; // an older change than the one applied
  s.streams[uid] = { receiving, sinceMs: e.eventMs };
  const streams = Object.values(s.streams);
  const allLost = streams.length > 0 && streams.every((st) => !st.receiving);
  noteVideoState(s, uid, receiving, allLost, e.eventMs); // the manifest's coverage
  if (allLost && s.videoLostSinceMs === undefined) {
    s.videoLostSinceMs = e.eventMs;
    s.videoLostSinceWfMs = nowMs;
    s.pauseCount += 1;
  } else if (!allLost && s.videoLostSinceMs !== undefined) {
    s.videoLostMs += Math.max(0, e.eventMs - s.videoLostSinceMs);
    s.videoLostSinceMs = undefined;
    s.videoLostSinceWfMs = undefined;
  }
}

function applyScreenshot(s: CaptureState, e: CaptureEvent): void {
  const shot = e.details.screenshot;
  if (
    !shot ||
    !firstSightOfFile(
      s.order,
      e.details.fileName ?? `${shot.uid}/${shot.capturedAtMs}/${shot.failoverIndex ?? ''}`,
    )
  )
    return;
  const t = s.screenshots[shot.uid];
  if (!t) s.screenshots[shot.uid] = { count: 1, firstMs: shot.capturedAtMs, lastMs: shot.capturedAtMs };
  else {
    t.count += 1;
    t.firstMs = Math.min(t.firstMs, shot.capturedAtMs);
    t.lastMs = Math.max(t.lastMs, shot.capturedAtMs);
  }
}

/** Applies one event (already ordered and de-duplicated) to the state. */
export function applyEvent(s: CaptureState, request: CaptureRequest, e: CaptureEvent, nowMs: number): void {
  const seg = s.segments.find((g) => g.sid === e.sid);
  switch (e.eventType) {
    case VIDEO_STATE_CHANGED:
      return applyVideoState(s, request, e, nowMs);
    case 45:
      return applyScreenshot(s, e);
    case 11: // session_exit
    case 41: // recorder_leave
      // Agora closed the session: it bills no more. If we had not ended this segment ourselves, it is gone.
      if (seg) settle(s, seg.resourceId);
      if (e.eventType === 41) noteAgoraEnd(seg, leaveText(e.details.leaveCode), EVIDENCE.leave);
      else noteAgoraEnd(seg, exitText(e.details.exitStatus), EVIDENCE.ended);
      if (seg && seg === currentSegment(s) && seg.endedAtMs === undefined) {
        s.sessionGone = true;
        // When Agora says it ended, not when we heard (a worker down meanwhile would stretch the
        // segment, and the manifest would expect screenshots for time nothing ran).
        seg.endedAtMs = Math.max(seg.startedAtMs, Math.min(nowMs, e.eventMs));
        seg.endedBy = 'agora';
        seg.endHeardFromCallback = true;
      }
      return;
    case 12: {
      // session_failover: the bot rejoined with a new uid; the sid stays.
      const newUid = e.details.newUid;
      if (!seg || !newUid || s.failovers.some((f) => f.sid === e.sid && f.newUid === newUid)) return;
      seg.uid = newUid;
      seg.failovers += 1;
      s.failovers.push({ atMs: e.eventMs, sid: e.sid, newUid });
      return;
    }
    case 1: {
      const d = e.details;
      s.lastError = {
        type: 'AgoraCallbackError',
        message: callbackErrorMessage(d),
        at: new Date(e.eventMs).toISOString(),
      };
      // Fatal: Agora says to call query; the loop checks the session at once.
      if ((d.errorLevel ?? 0) >= 5) {
        s.healthCheckDue = true;
        noteAgoraEnd(seg, s.lastError.message, EVIDENCE.fatal);
      }
      return;
    }
    default:
      return;
  }
}
