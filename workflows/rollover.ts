/**
 * Make-before-break segments: captures past the recorder token's life. With an App
 * Certificate the bot's RTC token cannot be renewed and lives 24 h at most, so a capture
 * cannot outlive its first session. Before the token expires (timings.rolloverMarginSeconds),
 * the next segment starts under the other recorder uid (recorderUid ⇄ rolloverRecorderUid,
 * so the two bots never conflict: Agora 53 is per channel + uid) with a fresh token; once it
 * is capturing (start answered with a sid) the previous session is stopped. Both are open
 * sessions in state meanwhile, so every stop path (duration, stop, cancel, terminate + sweep)
 * stops both.
 *
 * If the next segment fails to start, the previous one runs on until its token expires (Agora
 * ends it then) and the capture says so (status/result `rolloverFailure`); that segment gets
 * no second try (a segment started after an operator resume rolls over again). While the next
 * segment is acquired and started the phase shows ACQUIRING/STARTING (establishSession's),
 * though the previous bot still captures. Workflow code.
 */
import { isCancellation, patched } from '@temporalio/workflow';
import { durationDeadlineMs } from './clock';
import { failureMessage } from './failure-type';
import type { CaptureMachine } from './machine';
import { ROLLOVER_ONLY_BEFORE_EXPIRY, ROLLOVER_STOPS_BESIDE, SEGMENT_ROLLOVER, since } from './patches';
import { type CaptureRequest, rolloverUidOf } from './request';
import { establishSession, recordError, stopBesideLoop, stopSession } from './session';
import { type CaptureState, currentSegment } from './state';

/** Captures whose request predates timings.rolloverMarginSeconds (carried by continue-as-new). */
const DEFAULT_MARGIN_SECONDS = 600;

/**
 * How long a token must outlive the capture's end for no rollover to be due, when the margin
 * is longer: time for the deadline's stop. (A margin up to this long keeps its own meaning.)
 */
const END_ALLOWANCE_MS = 10 * 60_000;

/**
 * When the loop must act for the current segment's token: the moment to start the next
 * segment, or, after a failed rollover, the token's expiry (to check the session at once
 * instead of at the next health check). Undefined when nothing is due: no token (no App
 * Certificate), the capture ends before the rollover would, or nothing runs.
 */
export function rolloverDueMs(s: CaptureState, request: CaptureRequest, nowMs: number): number | undefined {
  const seg = currentSegment(s);
  if (!seg || seg.sid === undefined || seg.endedAtMs !== undefined || s.sessionGone || s.operatorPaused)
    return undefined;
  const expiresAt = seg.tokenValidUntilMs;
  if (expiresAt === undefined) return undefined;
  let due: number | undefined;
  // A failed rollover concerns its own segment; one started later (after an operator resume) rolls over again.
  const failed = s.rolloverFailed?.segment === seg.index ? s.rolloverFailed : undefined;
  if (failed) due = failed.expiryChecked ? undefined : expiresAt;
  else {
    const margin = (request.timings.rolloverMarginSeconds ?? DEFAULT_MARGIN_SECONDS) * 1000;
    const end = durationDeadlineMs(s, request, nowMs);
    due = end !== undefined && end <= expiresAt - margin ? undefined : expiresAt - margin;
    // A token outliving the capture's end needs no next segment. Each token lives an hour past
    // the time left, so with a margin of an hour or more `expiresAt - margin` was already past
    // for every new segment: each rolled over at once, a billed session per half second.
    if (due !== undefined && end !== undefined && end <= expiresAt - Math.min(margin, END_ALLOWANCE_MS))
      if (patched(ROLLOVER_ONLY_BEFORE_EXPIRY)) due = undefined;
  }
  // Only histories that reached this code have tokens with a known expiry; the marker keeps
  // the new timer and activities out of replays of older ones.
  return due !== undefined && since(SEGMENT_ROLLOVER) ? due : undefined;
}

/** The loop's branch when rolloverDueMs has come. */
export async function rollOver(m: CaptureMachine): Promise<void> {
  const { s, request } = m;
  const old = currentSegment(s)!;
  if (s.rolloverFailed?.segment === old.index) {
    // The token of the segment that ran on has expired: Agora ends the session now.
    s.rolloverFailed.expiryChecked = true;
    s.healthCheckDue = true;
    return;
  }
  const previous = s.sessions.find((o) => o.resourceId === old.resourceId);
  const uid =
    (old.botUid ?? request.recorderUid) === request.recorderUid
      ? rolloverUidOf(request)
      : request.recorderUid;
  const now = Date.now();
  const end = durationDeadlineMs(s, request, now);
  // What is left of the capture (the token lives an hour longer, 24 h at most); with the
  // clock stopped (paused), as long as a token can live.
  const seconds = end === undefined ? 24 * 3600 : Math.max(1, Math.ceil((end - now) / 1000));
  try {
    if (!(await establishSession(m, { uid, durationSeconds: seconds, failOnOutage: true }))) {
      // Stopped before the next segment started: the old one is current, and the loop stops it.
      s.resourceId = old.resourceId;
      s.sid = old.sid;
      m.sync();
      return;
    }
  } catch (err) {
    if (isCancellation(err)) throw err;
    // A segment opened without a sid (SessionSidUnknown) cannot be left behind quietly.
    if (currentSegment(s) !== old) throw err;
    recordError(s, err);
    s.rolloverFailed = {
      atMs: Date.now(),
      segment: old.index,
      error: `the next segment (recorder uid ${uid}) did not start: ${failureMessage(err)}; segment ${old.index} runs on until its token expires at ${new Date(old.tokenValidUntilMs ?? now).toISOString()}`,
    };
    // establishSession pointed the capture at the resource it acquired; the old one is current.
    s.resourceId = old.resourceId;
    s.sid = old.sid;
    m.sync();
    return;
  }
  // The next segment captures: break the previous one.
  old.endedAtMs = Date.now();
  old.endedBy = 'rollover';
  if (previous?.sid !== undefined && s.sessions.includes(previous)) {
    if (patched(ROLLOVER_STOPS_BESIDE)) return stopBesideLoop(m, previous);
    try {
      await stopSession(m, previous);
    } catch (err) {
      if (isCancellation(err)) throw err;
      // stopSession reported it (stop-failing alert); the capture goes on with the new segment.
      recordError(s, err);
    }
  }
}
