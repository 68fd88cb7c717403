/**
 * The Agora session steps the state machine drives: acquire (QUEUED while Agora's task quota
 * is full) + start (with reconciliation when a start's outcome is unknown), and stop (through
 * Agora's failover 404 window, and on until the session can no longer bill). Every phase change
 * goes through `m.transition`; every change of the sessions that may bill through the pure
 * open-sessions.ts functions followed by `m.sync()`. Workflow code.
 */
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaptureActivities } from '../activities';
import type { SweepActivities } from '../activities/sweep';
import { failureMessage, failureType, outcomeUnknown } from './failure-type';
import { drainInbox } from './inbox';
import type { CaptureMachine } from './machine';
import { clearStopFailing, countStopRetry, reportStopFailing } from './metrics';
import { segmentStopped } from './manifest';
import { learnSid, settle, trackStart } from './open-sessions';
import {
  ACQUIRE_OUTLASTS_OUTAGE,
  AGORA_QUEUE_V3,
  COMPENSATION_ADOPTS_SID,
  DRAIN_WHILE_STOPPING,
  START_AT_AGORA_TIME,
  STOP_BEFORE_START,
  SWEEP_TASK_CONFLICT,
  WAIT_FOR_PREDECESSOR,
  EXIT_ENDS_STOP_ROUNDS,
  UNKNOWN_START_NEEDS_PROOF,
  since,
} from './patches';
import {
  acquireOptions,
  NON_RETRYABLE_TYPES,
  NOTHING_RUNS_TYPES,
  QUEUED_RETRY,
  QUOTA_EXCEEDED,
  queryOptions,
  startOptions,
  STOP_ROUNDS,
  stopOptions,
} from './policies';
import { noteStopped, sessionRequest, type SessionRequest } from './recording';
import { sidCandidate } from './sid-adoption';
import { WakeTimer } from './wake-timer';
import type { CaptureRequest } from './request';
import type { CaptureState, OpenSession, Segment } from './state';
import type { StopOutcome } from './status';

const starter = proxyActivities<CaptureActivities>(startOptions);
const stopper = proxyActivities<CaptureActivities>(stopOptions);
const querier = proxyActivities<CaptureActivities>(queryOptions);
/** The sweeper's path for a 53 on a new run (see resolveForeignSession). */
const { stopSessionsOfClosedRuns } = proxyActivities<SweepActivities>({
  startToCloseTimeout: '3m',
  heartbeatTimeout: '30s',
  retry: { initialInterval: '2s', maximumAttempts: 3 },
  summary: 'stop sessions earlier runs of this capture left running',
});

/**
 * acquire: since AGORA_QUEUE_V3 an ordinary activity on the Agora task queue, whose dispatch
 * the workers rate-limit to the App ID's QPS (patches.ts): a local activity never passes
 * through a task queue, so a burst of new captures would send a burst of acquires past
 * Agora's limit. Captures recorded before it replay the local acquire they took (one workflow
 * task and one dispatch fewer before Agora start). start is always an ordinary activity,
 * scheduled only once the resourceId is in history: if a worker dies while start runs, the
 * retry reuses that resourceId and Agora answers 201/7 with the running session. Were start
 * local, a crash would lose the resourceId with the task, the next worker's fresh acquire +
 * start would meet 53 "task conflict", and the first session would run on unstopped
 * (test/integration/several-workers.test.ts caught exactly that).
 */
const remoteAcquire = proxyActivities<CaptureActivities>(acquireOptions).acquire;
const localAcquire = proxyLocalActivities<CaptureActivities>(acquireOptions).acquire;
const acquire = (...args: Parameters<typeof localAcquire>) =>
  since(AGORA_QUEUE_V3) ? remoteAcquire(...args) : localAcquire(...args);

export function recordError(s: CaptureState, err: unknown): void {
  s.lastError = {
    type: failureType(err) ?? 'Error',
    message: failureMessage(err),
    at: new Date(Date.now()).toISOString(),
  };
}

/** Rethrows the workflow's cancellation, if it was requested while a non-cancellable step ran. */
export async function honourCancellation(): Promise<void> {
  const scope = CancellationScope.current();
  if (scope.consideredCancelled) await scope.cancelRequested;
}

/**
 * The request as a segment's bot sees it: under `uid` when a rollover segment runs with the
 * second recorder uid (rollover.ts), else the request itself. Its acquire, start and stop all
 * name that uid (Agora checks they match), and so does what the sweeper reads from history.
 */
export function requestFor(request: CaptureRequest, uid: string | undefined): CaptureRequest {
  return uid === undefined || uid === request.recorderUid ? request : { ...request, recorderUid: uid };
}

/** The request open session `o` was started with: the recording's, or a segment's (its uid). */
function openSessionRequest(request: CaptureRequest, o: OpenSession): SessionRequest {
  return o.kind === 'recording' ? sessionRequest(request, o) : requestFor(request, o.uid);
}

/** How establishSession starts a segment other than the first (rollover.ts). */
export interface SegmentOptions {
  /** The recorder uid; default the request's. */
  uid?: string;
  /** Seconds the session is meant to run (the token lives an hour longer, 24 h at most); default the request's duration. */
  durationSeconds?: number;
  /**
   * Fail when Agora keeps failing acquire (5xx, 429, timeouts) for the activity's retries,
   * instead of waiting the outage out: a rollover, whose old segment runs on meanwhile.
   */
  failOnOutage?: boolean;
}

function openSegment(
  s: CaptureState,
  m: CaptureMachine,
  resourceId: string,
  sid: string | undefined,
  req: CaptureRequest = m.request,
): Segment {
  const seg: Segment = {
    index: s.segments.length,
    resourceId,
    sid,
    uid: req.recorderUid,
    ...(req.recorderUid !== m.request.recorderUid ? { botUid: req.recorderUid } : {}),
    startedAtMs: Date.now(),
    failovers: 0,
  };
  s.segments.push(seg);
  s.resourceId = resourceId;
  s.sid = sid;
  s.sessionGone = false;
  s.missingSinceMs = undefined;
  s.lastHealthCheckMs = seg.startedAtMs;
  return seg;
}

/** A start answer the workflow received this much later than the activity did was held up (a worker crash). */
const LATE_ANSWER_MS = 5_000;

/**
 * Agora's `recorder_started` (event 40): the bot joined, the session runs.
 * https://docs.agora.io/en/cloud-recording/develop/receive-notifications
 */
const RECORDER_STARTED = 40;

/**
 * A session the workflow learned of late has run since Agora started it, not since the
 * workflow heard: its segment starts at the session's event 40 (Agora's clock), else at
 * `fallbackMs`, never before `earliestMs` (the first start attempt: nothing started before it)
 * nor after now. Without it a worker crash during STARTING stretched the capture by the outage
 * (the deadline counts from the segment's start, machine.ts) and the manifest expected
 * screenshots from the wrong time. Asked only when the start moves, so only such histories carry
 * the patch's marker.
 */
function backdateStart(s: CaptureState, seg: Segment, earliestMs: number, fallbackMs: number): void {
  const started = s.inbox.find((e) => e.sid === seg.sid && e.eventType === RECORDER_STARTED);
  const atMs = Math.max(earliestMs, Math.min(seg.startedAtMs, started?.eventMs ?? fallbackMs));
  if (atMs >= seg.startedAtMs || !patched(START_AT_AGORA_TIME)) return;
  seg.startedAtMs = atMs;
  seg.startLearnedLate = true;
}

/**
 * Whether a failed acquire is worth another round once the activity's own retries are spent:
 * Agora kept answering 5xx or 429, or did not answer. Any other failure says a retry cannot
 * fix it (NON_RETRYABLE_TYPES); a cancellation is the capture's.
 */
function agoraOutage(err: unknown): boolean {
  const type = failureType(err);
  return !isCancellation(err) && !(type !== undefined && NON_RETRYABLE_TYPES.includes(type));
}

/**
 * acquire; while Agora's concurrent-task quota is full (406), wait and try again — showing
 * QUEUED unless another session already captures (the recording session, recording.ts).
 * While Agora fails acquire past the activity's retries (an outage: 5xx, 429, no answer),
 * the capture waits it out the same way in ACQUIRING with the error as `lastError`, unless
 * `failOnOutage`; before, half a minute of 5xx failed the capture. Undefined: the operator
 * asked to stop while it waited, so nothing was acquired (a slot taken now would only start a
 * billed session to stop it, and keep it from the next in line).
 */
export async function acquireSlot(
  m: CaptureMachine,
  req: SessionRequest = m.request,
  showQueued = true,
  failOnOutage = false,
): Promise<string | undefined> {
  let waitMs = QUEUED_RETRY.initialMs;
  for (;;) {
    try {
      return (await acquire({ request: req })).resourceId;
    } catch (err) {
      const queued = failureType(err) === QUOTA_EXCEEDED;
      // Asked only once an outage outlasted the activity's retries; earlier histories failed there.
      if (!queued && (failOnOutage || !agoraOutage(err) || !patched(ACQUIRE_OUTLASTS_OUTAGE))) throw err;
      recordError(m.s, err);
      if (queued && showQueued) m.transition('QUEUED');
      // Asked on the queued path only: earlier histories slept through a stop.
      if (queued && !patched(STOP_BEFORE_START)) await sleep(waitMs);
      else if (await condition(() => m.s.stopRequested !== undefined, waitMs)) return undefined;
      waitMs = Math.min(waitMs * 2, QUEUED_RETRY.maxMs);
    }
  }
}

/**
 * Whether an operator's stop came before this start was sent: then no session is started
 * only to be stopped. Asked only when a stop is pending, so only such histories carry the
 * patch's marker.
 */
function stoppedBeforeStart(s: CaptureState): boolean {
  return s.stopRequested !== undefined && patched(STOP_BEFORE_START);
}

/**
 * Whether Agora knows `sid` as the session on `resourceId`: `query` answers for a running
 * session of that resource only. A definite 404/mismatch says no; anything else (a flaky
 * query) leaves the callback's own evidence (event time after our start) to decide.
 */
async function confirmSid(
  m: CaptureMachine,
  resourceId: string,
  sid: string,
  req: CaptureRequest,
): Promise<boolean> {
  try {
    await querier.query({ channel: req.channel, recorderUid: req.recorderUid, resourceId, sid });
    return true;
  } catch (err) {
    const type = failureType(err);
    return type !== 'AgoraNotFound' && type !== 'AgoraResourceMismatch';
  }
}

/**
 * The first sid among the callbacks that belongs to `o`'s start (sid-adoption.ts) and that
 * Agora's query does not deny; each denied one joins `rejected`. Undefined: none (yet).
 */
async function confirmedCandidate(
  m: CaptureMachine,
  o: OpenSession,
  req: CaptureRequest,
  rejected: string[],
): Promise<string | undefined> {
  for (
    let sid = sidCandidate(m.s, req, o, rejected);
    sid !== undefined;
    sid = sidCandidate(m.s, req, o, rejected)
  ) {
    if (await confirmSid(m, o.resourceId, sid, req)) return sid;
    rejected.push(sid);
  }
  return undefined;
}

/**
 * Agora said "already started" (201/7) without the sid: our earlier start landed. Every
 * callback carries the sid, so wait for one that belongs to this start (sid-adoption.ts) and
 * that Agora confirms for our resourceId. A sid never learned: stopOutcome `unknown`, alert,
 * and the session stays listed in CaptureOpenSessions for the sweeper.
 */
async function recoverSid(m: CaptureMachine, resourceId: string, req: CaptureRequest): Promise<void> {
  const { s, request } = m;
  const session = s.sessions.find((o) => o.resourceId === resourceId);
  const seg = openSegment(s, m, resourceId, undefined, req);
  const deadline = Date.now() + request.timings.sidRecoverySeconds * 1000;
  const rejected: string[] = [];
  const candidate = () => (session ? sidCandidate(s, req, session, rejected) : undefined);
  for (;;) {
    const sid = session ? await confirmedCandidate(m, session, req, rejected) : undefined;
    if (sid !== undefined) {
      seg.sid = sid;
      s.sid = sid;
      learnSid(s, resourceId, sid);
      const earliest = session?.startAttemptMs ?? seg.startedAtMs;
      backdateStart(s, seg, earliest, earliest);
      m.sync();
      drainInbox(s, request, Date.now());
      return;
    }
    const left = deadline - Date.now();
    if (left <= 0) break;
    await condition(() => candidate() !== undefined, left);
  }
  drainInbox(s, request, Date.now());
  s.stopOutcome = 'unknown';
  s.stopFailingSinceMs ??= Date.now();
  const message = `Agora runs this capture's session on resource ${resourceId} but its sid was not learned within ${request.timings.sidRecoverySeconds}s: it cannot be stopped until Agora ends it (maxIdleTime, resourceExpiredHour)`;
  reportStopFailing(s, { resourceId, error: message });
  throw ApplicationFailure.nonRetryable(message, 'SessionSidUnknown');
}

/**
 * One start on a resourceId. The session is listed as open before the start is scheduled,
 * and the start runs non-cancellable: a cancelled capture waits for Agora's answer and so
 * knows what to stop. Only a failure that proves nothing started removes the listing.
 */
async function startOn(
  m: CaptureMachine,
  resourceId: string,
  req: CaptureRequest = m.request,
  durationSeconds: number = m.request.durationSeconds,
): Promise<void> {
  const { s, request } = m;
  await honourCancellation(); // cancelled while acquiring: start nothing
  trackStart(s, request, resourceId, Date.now());
  const open = s.sessions.find((o) => o.resourceId === resourceId);
  if (open && req.recorderUid !== request.recorderUid) open.uid = req.recorderUid;
  m.transition('STARTING');
  try {
    // The token is issued at the session's first start attempt (workflow time): every retry
    // builds the same expiry, and the workflow knows it (rollover.ts).
    const tokenIssuedAtMs = open?.startAttemptMs ?? Date.now();
    const r = await CancellationScope.nonCancellable(() =>
      starter.start({ request: req, resourceId, durationSeconds, tokenIssuedAtMs }),
    );
    learnSid(s, resourceId, r.sid);
    const seg = openSegment(s, m, resourceId, r.sid, req);
    if (r.tokenExpiresAtMs !== undefined) seg.tokenValidUntilMs = r.tokenExpiresAtMs;
    const earliest = open?.startAttemptMs ?? seg.startedAtMs;
    // 201/7: an earlier attempt started it (its answer was lost), some time since the first.
    if (r.adopted) backdateStart(s, seg, earliest, earliest);
    else if (r.answeredAtMs !== undefined && seg.startedAtMs - r.answeredAtMs > LATE_ANSWER_MS)
      backdateStart(s, seg, earliest, r.answeredAtMs);
    m.sync();
  } catch (err) {
    recordError(s, err);
    if (failureType(err) === 'AgoraAlreadyStarted') return recoverSid(m, resourceId, req);
    if (!outcomeUnknown(err)) {
      settle(s, resourceId);
      m.sync();
    }
    throw err;
  }
  await honourCancellation();
}

/**
 * SWEEPER-HOOK — the one place for Agora 53 "task conflict" on this run's first start: a
 * session of this channel and recorder uid that this run did not start is running (an earlier
 * run was terminated or reset, and its CaptureOpenSessions still lists it). Wire the sweeper's
 * activity here to stop (or adopt) that session and return true: establishSession then
 * acquires afresh and starts. Until it is wired, false: the capture fails with the conflict.
 */
async function resolveForeignSession(m: CaptureMachine): Promise<'resolved' | 'stopped' | 'conflict'> {
  // Histories recorded before this was wired failed the capture on a 53 here.
  if (!since(SWEEP_TASK_CONFLICT)) return 'conflict';
  const { s } = m;
  const { workflowId, runId } = workflowInfo();
  const waits = patched(WAIT_FOR_PREDECESSOR);
  // Only a session an earlier run left, now ended, frees the channel and uid for this run.
  const ended = ['stopped', 'already-stopped', 'no-recorded-data'];
  let pauseMs = PREDECESSOR_PAUSE.initialMs;
  for (;;) {
    const r = await stopSessionsOfClosedRuns({
      workflowId,
      currentRunId: runId,
      ...(waits ? { waitSeconds: PREDECESSOR_PAUSE.reapWaitSeconds } : {}),
    });
    if (r.reaped.some((x) => ended.includes(x.outcome))) return 'resolved';
    if (!waits || r.pending.length === 0) return 'conflict';
    s.lastError = {
      type: 'PreviousRunSessionStopping',
      message: `waiting for the Agora session an earlier run of this capture left to be stopped (${r.pending.join(', ')}: its stop keeps failing); this run starts once it is`,
      at: new Date(Date.now()).toISOString(),
    };
    m.sync();
    if (await condition(() => s.stopRequested !== undefined, pauseMs)) return 'stopped';
    pauseMs = Math.min(pauseMs * 2, PREDECESSOR_PAUSE.maxMs);
  }
}

/** How a run that met 53 waits for its predecessor's reaper (patch WAIT_FOR_PREDECESSOR). */
const PREDECESSOR_PAUSE = { initialMs: 5_000, maxMs: 300_000, reapWaitSeconds: 10 };

/**
 * acquire → start, opening a new segment. If start keeps failing in a way that may have
 * started a session, Agora's advice is a fresh acquire and start; a 53 "task conflict" then
 * proves the first start did create a session, which a repeated start on the first
 * resourceId adopts (201/7).
 */
export async function establishSession(m: CaptureMachine, opts: SegmentOptions = {}): Promise<boolean> {
  const { s } = m;
  const req = requestFor(m.request, opts.uid);
  const seconds = opts.durationSeconds ?? m.request.durationSeconds;
  m.transition('ACQUIRING');
  const first = await acquireSlot(m, req, true, opts.failOnOutage);
  if (first === undefined || stoppedBeforeStart(s)) return false;
  s.resourceId = first;
  let conflictResolved = false;
  try {
    await startOn(m, first, req, seconds);
    return true;
  } catch (err) {
    if (isCancellation(err)) throw err;
    const unknown = s.sessions.some((o) => o.resourceId === first && o.sid === undefined);
    if (failureType(err) === 'AgoraTaskConflict') {
      const resolved = await resolveForeignSession(m);
      if (resolved === 'stopped') return false;
      if (resolved === 'conflict') throw err;
      conflictResolved = true;
    } else if (!(unknown && outcomeUnknown(err)) && failureType(err) !== 'AgoraResourceExpired') throw err;
  }
  m.transition('ACQUIRING');
  const second = await acquireSlot(m, req, true, opts.failOnOutage);
  // The first start's session, if it landed, is the compensation's to resolve and stop.
  if (second === undefined || stoppedBeforeStart(s)) return false;
  s.resourceId = second;
  try {
    await startOn(m, second, req, seconds);
  } catch (err) {
    // Our own first start landed after all (its outcome was unknown): adopt it (201/7).
    if (failureType(err) !== 'AgoraTaskConflict' || !s.sessions.some((o) => o.resourceId === first))
      throw err;
    await startOn(m, first, req, seconds); // expect 201/7 for the running session
  }
  // The 53 was an earlier run's session, now stopped: no error of this capture's to show.
  const resolvedTypes = ['AgoraTaskConflict', 'PreviousRunSessionStopping'];
  if (conflictResolved && resolvedTypes.includes(s.lastError?.type ?? '')) s.lastError = undefined;
  return true;
}

/**
 * Settles starts whose outcome is unknown (listed sessions without a sid): repeating start on
 * the same resourceId either reports the running session (201/7 with its sid) or starts one;
 * either way a sid to stop. A repeat refused for a reason that proves nothing about the earlier
 * start (429, 401) leaves it listed, to adopt a callback's sid or to report. Called from the
 * compensation: never throws.
 */
export async function resolveUnknownStarts(m: CaptureMachine): Promise<void> {
  const { s, request } = m;
  for (const o of s.sessions.filter((x) => x.sid === undefined)) {
    try {
      const r = await starter.start({
        request: openSessionRequest(request, o),
        resourceId: o.resourceId,
        durationSeconds: request.durationSeconds,
        tokenIssuedAtMs: o.startAttemptMs,
      });
      learnSid(s, o.resourceId, r.sid);
    } catch (err) {
      recordError(s, err);
      const refused = !outcomeUnknown(err) && failureType(err) !== 'AgoraAlreadyStarted';
      // A refusal of the repeat says nothing of the earlier start unless it proves none runs.
      if (
        refused &&
        (NOTHING_RUNS_TYPES.includes(failureType(err) ?? '') || !patched(UNKNOWN_START_NEEDS_PROOF))
      )
        settle(s, o.resourceId);
      else await adoptSidFromCallbacks(m, o);
    }
    m.sync();
  }
}

/**
 * The repeated start could not tell the sid (Agora keeps answering 5xx, or 201/7 without it),
 * but callbacks may carry it: Agora reports on a session whose start answer was lost. Adopt a
 * callback's sid that belongs to this start (sid-adoption.ts), is no other session's, and that
 * Agora's query does not deny; the compensation then stops that session itself, rather than
 * reporting it unknown and leaving it to the sweeper. The adopted session becomes a segment (it
 * ran, and its screenshots are the capture's). A recording session is not adopted this way.
 */
async function adoptSidFromCallbacks(m: CaptureMachine, o: OpenSession): Promise<void> {
  const { s, request } = m;
  if (o.kind === 'recording') return;
  const req = requestFor(request, o.uid);
  const rejected = s.sessions.flatMap((x) => (x.sid === undefined ? [] : [x.sid]));
  // Asked only with a candidate in hand: histories recorded before it replay without the query.
  if (sidCandidate(s, req, o, rejected) === undefined || !patched(COMPENSATION_ADOPTS_SID)) return;
  const sid = await confirmedCandidate(m, o, req, rejected);
  if (sid === undefined) return;
  learnSid(s, o.resourceId, sid);
  // A session ran, from the lost start on: a segment of the capture, so status names its sid
  // and its screenshots count (the callbacks held meanwhile, the manifest's listing).
  const seg = openSegment(s, m, o.resourceId, sid, req);
  seg.startedAtMs = o.startAttemptMs;
  m.sync();
  drainInbox(s, request, Date.now());
}

/**
 * Applies the callbacks that came while the capture was stopping (the loop that drains them
 * has ended): a stop that fails for a while leaves a session uploading, and the last
 * screenshots' callbacks often arrive during the stop. Their files are the capture's: counted
 * in status and result, announced to the webhook. Asked only with callbacks waiting, so only
 * such histories carry the patch's marker; earlier ones left them unapplied.
 */
export function drainLateCallbacks(m: CaptureMachine): void {
  if (m.s.inbox.length > 0 && patched(DRAIN_WHILE_STOPPING)) drainInbox(m.s, m.request, Date.now());
}

/**
 * Stops one session; returns the outcome and settles it. 404 is retried for Agora's failover
 * window (from the first 404 seen, by query or stop; a session already missing that long gets
 * this one final attempt), then taken as "already gone". Any other failure is retried in
 * rounds with capped backoff until the session can no longer bill (its resource expires):
 * meanwhile the capture shows STOPPING with the error, and the stop-failing alert is raised.
 * Throws only when the resource expired with the stop still failing.
 */
export async function stopSession(
  m: CaptureMachine,
  o: OpenSession,
  opts: { beside?: boolean } = {},
): Promise<StopOutcome> {
  const outcome = await stopUntilSettled(m, o, opts.beside === true);
  // The screenshot segment's manifest, beside the loop (manifest.ts); a recording session has none.
  if (o.kind !== 'recording') segmentStopped(m);
  return outcome;
}

/**
 * Stops `o` beside the loop: a rollover's previous session, once the next one captures (patch
 * ROLLOVER_STOPS_BESIDE). The capture goes on meanwhile, so a stop that keeps failing (it is
 * retried until the session can no longer bill) no longer holds up the deadline, an operator's
 * stop or the current session's health checks, and the phase stays the current session's.
 * Non-cancellable like every stop; the compensation awaits it (machine.ts stopsBeside) instead
 * of stopping the session again. A stop that fails to the end is reported as before
 * (stop-failing alert, lastError) and the capture goes on.
 */
export function stopBesideLoop(m: CaptureMachine, o: OpenSession): void {
  const stopping = CancellationScope.nonCancellable(() => stopSession(m, o, { beside: true }));
  m.stopsBeside.set(o, stopping);
  void stopping.then(
    () => m.stopsBeside.delete(o),
    (err: unknown) => {
      m.stopsBeside.delete(o);
      if (!isCancellation(err)) recordError(m.s, err);
    },
  );
}

/**
 * Waits out one pause between failing stop rounds, applying callbacks as they come (the
 * session still runs and uploads: status stays current); true as soon as Agora reports the
 * session ended (session_exit / leave settle it). One timer for the round, whatever the
 * number of callbacks.
 */
async function roundOrAgoraEnd(m: CaptureMachine, o: OpenSession, ms: number): Promise<boolean> {
  if (ms <= 0) return false;
  const timer = new WakeTimer();
  timer.set(Date.now() + ms, Date.now());
  try {
    for (;;) {
      await condition(() => timer.fired || m.s.inbox.length > 0);
      drainInbox(m.s, m.request, Date.now());
      if (!m.s.sessions.includes(o)) return true;
      if (timer.fired) return false;
    }
  } finally {
    timer.cancel();
  }
}

async function stopUntilSettled(m: CaptureMachine, o: OpenSession, beside: boolean): Promise<StopOutcome> {
  const { s, request } = m;
  const sid = o.sid!;
  const windowMs = request.timings.failoverWindowSeconds * 1000;
  let notFoundDelayMs = 2000;
  let roundDelayMs = STOP_ROUNDS.initialMs;
  const done = (outcome: StopOutcome): StopOutcome => {
    settle(s, o.resourceId);
    m.stopsFailing.delete(o);
    // The alert ends once no session that may bill is left unstoppable: none whose stop is
    // failing (stops may run side by side), none whose sid is unknown.
    if (
      s.stopFailingSinceMs !== undefined &&
      m.stopsFailing.size === 0 &&
      !s.sessions.some((x) => x.sid === undefined)
    ) {
      s.stopFailingSinceMs = undefined;
      clearStopFailing(s);
    }
    m.sync();
    return outcome;
  };
  for (;;) {
    try {
      const r = await stopper.stop({
        channel: request.channel,
        recorderUid: openSessionRequest(request, o).recorderUid,
        resourceId: o.resourceId,
        sid,
      });
      if (o.resourceId === s.resourceId) s.uploadingStatus = r.uploadingStatus;
      noteStopped(s, o, r);
      return done(r.outcome);
    } catch (err) {
      const type = failureType(err);
      const now = Date.now();
      if (type === 'AgoraNotFound') {
        o.missingSinceMs ??= now;
        const left = o.missingSinceMs + windowMs - now;
        if (left <= 0) return done('already-stopped');
        countStopRetry('not-found');
        // Wake early for callbacks: a session_exit arriving now ends the wait.
        await condition(() => s.inbox.length > 0, Math.min(notFoundDelayMs, left));
        drainInbox(s, request, Date.now());
        if (!s.sessions.includes(o)) return done('already-stopped'); // Agora reported its end
        notFoundDelayMs = Math.min(notFoundDelayMs * 2, 15_000);
        continue;
      }
      recordError(s, err);
      if (type === 'AgoraResourceMismatch' || now >= o.billableUntilMs) {
        // Nothing more to try: the resource never matches, or it expired (Agora ended the session).
        reportStopFailing(s, { resourceId: o.resourceId, sid, error: failureMessage(err) });
        settle(s, o.resourceId);
        m.stopsFailing.delete(o);
        m.sync();
        throw err;
      }
      s.stopFailingSinceMs ??= now;
      m.stopsFailing.add(o);
      // Beside the loop, the capture goes on: its phase is the current session's.
      if (!beside) m.transition('STOPPING');
      reportStopFailing(s, { resourceId: o.resourceId, sid, error: failureMessage(err) });
      countStopRetry('error');
      const roundMs = Math.min(roundDelayMs, o.billableUntilMs - now);
      if (patched(EXIT_ENDS_STOP_ROUNDS)) {
        if (await roundOrAgoraEnd(m, o, roundMs)) return done('already-stopped');
      } else {
        await sleep(roundMs);
        // The session still runs and uploads: its callbacks count (status stays current).
        drainLateCallbacks(m);
      }
      roundDelayMs = Math.min(roundDelayMs * 2, STOP_ROUNDS.maxMs);
    }
  }
}
