/**
 * A session whose end only Agora's callback reported gets one stop before the capture says
 * "already-stopped" (patch CONFIRM_AGORA_END). A callback is Agora's word once the receiver has
 * checked its signature, but the same signal can be typed by hand or mis-routed, and a session
 * wrongly taken as ended would bill unseen: settled, it is in no list the sweeper reads. Real
 * Agora answers that stop 404 (or 49) at once, which settles it; a session still running is
 * stopped, and the capture says the callback was wrong. Workflow code.
 */
import { patched } from '@temporalio/workflow';
import { CONFIRM_AGORA_END } from './patches';
import { billableUntilMs } from './open-sessions';
import type { CaptureMachine } from './machine';
import { currentSegment, type OpenSession } from './state';
import type { StopOutcome } from './status';

/**
 * Lists again the sessions whose end only a callback reported (the current screenshot segment,
 * the recording session), to be stopped with the others. Their failover window counts as
 * spent: Agora said they ended, so a 404 settles them at once. Returns what it listed.
 */
export function relistCallbackEnds(m: CaptureMachine): OpenSession[] {
  const { s, request } = m;
  const listed = (resourceId: string) => s.sessions.some((o) => o.resourceId === resourceId);
  const found: { resourceId: string; sid: string; startMs: number; uid?: string; recording?: true }[] = [];
  const seg = currentSegment(s);
  if (seg?.endHeardFromCallback && seg.sid && !listed(seg.resourceId))
    found.push({ resourceId: seg.resourceId, sid: seg.sid, startMs: seg.startedAtMs, uid: seg.botUid });
  const rec = s.recording;
  if (rec?.endHeardFromCallback && rec.sid && rec.resourceId && !listed(rec.resourceId))
    found.push({ resourceId: rec.resourceId, sid: rec.sid, startMs: rec.startedAtMs ?? 0, recording: true });
  if (found.length === 0 || !patched(CONFIRM_AGORA_END)) return [];
  const spentWindow = Date.now() - request.timings.failoverWindowSeconds * 1000;
  const relisted = found.map((f): OpenSession => ({
    resourceId: f.resourceId,
    sid: f.sid,
    startAttemptMs: f.startMs,
    billableUntilMs: billableUntilMs(request, f.startMs),
    missingSinceMs: spentWindow,
    ...(f.uid !== undefined ? { uid: f.uid } : {}),
    ...(f.recording ? { kind: 'recording' as const } : {}),
  }));
  s.sessions.push(...relisted);
  return relisted;
}

/**
 * After the final stop of a session the capture took for ended by Agora (a callback said so,
 * or `query` answered 404 past the failover window): if Agora's stop found it running, Agora
 * had not ended it. The segment then says it was stopped, and lastError says what was wrong.
 */
export function confirmedEnd(m: CaptureMachine, o: OpenSession, outcome: StopOutcome): void {
  if (outcome !== 'stopped') return;
  const { s } = m;
  const now = Date.now();
  const seg = o.kind === 'recording' ? undefined : s.segments.find((g) => g.resourceId === o.resourceId);
  const tookForEnded = o.kind === 'recording' ? s.recording?.endedBy === 'agora' : seg?.endedBy === 'agora';
  if (!tookForEnded) return;
  const heard = (o.kind === 'recording' ? s.recording?.endHeardFromCallback : seg?.endHeardFromCallback)
    ? 'a callback said Agora ended'
    : "Agora's query did not find";
  if (seg) {
    seg.endedAtMs = now;
    seg.endedBy = 'stop';
    delete seg.endHeardFromCallback;
    delete seg.agoraEnd;
  }
  if (o.kind === 'recording' && s.recording) {
    s.recording.endedAtMs = now;
    s.recording.endedBy = 'stop';
    delete s.recording.endHeardFromCallback;
  }
  s.lastError = {
    type: 'AgoraEndNotConfirmed',
    message: `${heard} session ${o.sid ?? '?'}, but Agora's stop found it running: stopped it now`,
    at: new Date(now).toISOString(),
  };
}
