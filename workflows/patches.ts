/**
 * Patch ids for `patched()`: workflow changes made after captures could already be running.
 * A running capture replays its history on the code path it took; new captures take the new
 * one. One id per release of workflow changes: each patch costs a marker and an upsert of
 * Temporal's TemporalChangeVersion search attribute. test/replay holds histories of both paths
 * (first-task-v1/ before this patch). Workflow code.
 */
import { patched } from '@temporalio/workflow';

/**
 * Release 2 of the first workflow task (bench/: fewer server round trips before Agora start):
 * acquire runs as a local activity (session.ts), and the search attributes the client set at
 * start are trusted instead of upserted again (capture-channel.ts).
 */
export const FIRST_TASK_V2 = 'first-task-v2';

/**
 * A first start that meets Agora 53 "task conflict" stops the sessions earlier closed runs of
 * the same capture left (stopSessionsOfClosedRuns), then starts again. Histories recorded
 * before it failed the capture instead.
 */
export const SWEEP_TASK_CONFLICT = 'sweep-task-conflict';

/**
 * The capture state machine (machine.ts): every capture started after this patch runs it;
 * captures whose history has no marker replay the frozen code in legacy/ (see its README).
 * Asked once, first thing in the workflow. It supersedes FIRST_TASK_V2 (the machine always
 * runs acquire locally and trusts the search attributes set at start).
 */
export const CAPTURE_MACHINE = 'capture-machine';

/**
 * Release 3: every Agora call, acquire included, is an activity on the Agora task queue, whose
 * dispatch the workers rate-limit to the App ID's QPS (policies.ts, worker/create-worker.ts).
 * acquire stops being a local activity: a local activity never passes through a task queue,
 * so a burst of new captures would send a burst of acquires past the limit.
 */
export const AGORA_QUEUE_V3 = 'agora-queue-v3';

/**
 * Release 4: the reconciled manifest. After a segment's session is stopped (while the capture
 * goes on) and after the capture's final stop, the workflow runs reconcileManifest
 * (manifest.ts): one more activity per segment and per capture. Histories recorded before it
 * have no such activity and replay without it (test/replay/histories/pre-manifest/ and the
 * top-level histories not yet recorded again).
 */
export const RECONCILED_MANIFEST = 'reconciled-manifest';

/**
 * Release 5: make-before-break segments (rollover.ts). With an App Certificate, a timer before the
 * recorder token expires, then acquire + start of the next segment and stop of the previous.
 * Asked only once a segment's token expiry is known (start results carry it since this change).
 */
export const SEGMENT_ROLLOVER = 'segment-rollover';
/**
 * Release 6: a leaner history for the same capture (bench/: every history event is server CPU).
 * A new run records this one marker instead of one per earlier release (`since`), publishes the
 * search attributes that change in one workflow task as one upsert before its next command
 * (search-attribute-batch.ts), runs the final manifest reconciliation as a local activity inside
 * the workflow task that follows the stop (manifest.ts), and keeps the capture loop's wake-up
 * timer armed across callbacks instead of cancelling and re-arming it for each (wake-timer.ts).
 * A run recorded before it replays its own markers and commands.
 */
export const LEAN_HISTORY = 'lean-history';

/**
 * A start whose outcome is still unknown when the capture compensates (the repeated start
 * keeps failing: 5xx, or 201/7 without the sid) adopts the sid from a callback of that start,
 * unless Agora's query denies it, and so stops the session itself instead of leaving it to the
 * sweeper. Asked only on that path, so only such histories carry its marker; histories recorded
 * before it replay without the adoption.
 */
export const COMPENSATION_ADOPTS_SID = 'compensation-adopts-sid';

/**
 * A capture whose workflow id is not `capture/<channel>/<recorderUid>` fails before any Agora
 * call: every lookup (the CLI, the receiver's routing, a second start, the sweeper) finds a
 * capture by that id, so one started under another would bill unseen. Asked only when the id
 * differs; histories recorded before it replay the capture they ran.
 */
export const WORKFLOW_ID_RULE = 'workflow-id-rule';

/**
 * A request that cannot deliver what it asks (request-delivery.ts: a uid listed twice,
 * `#allstream#` beside uids, a recorder bot's own uid subscribed) fails before any Agora
 * call. Asked only when such a rule is broken; histories recorded before it replay the
 * capture they ran.
 */
export const DELIVERY_RULES = 'delivery-rules';

/**
 * A capture with a webhook announces, before capture.ended, the screenshots its final listing
 * found after each uid's last callback (workflows/manifest.ts). Asked only when there are such
 * files; histories recorded before it replay without those events.
 */
export const ANNOUNCE_LISTED_FILES = 'announce-listed-files';

/**
 * An operator's stop that comes before a session is started ends the capture without one: a
 * QUEUED capture stops waiting for a slot at once, and an acquired resource is not started
 * (workflows/session.ts). Asked on the queued path and when a stop is pending after acquire;
 * histories recorded before it waited for a slot, started, and then stopped.
 */
export const STOP_BEFORE_START = 'stop-before-start';

/**
 * Callbacks that arrive while the capture stops its sessions are applied (session.ts
 * drainLateCallbacks): after each failed stop round and once the stops are done. Asked only
 * with callbacks waiting; histories recorded before it left them unapplied.
 */
export const DRAIN_WHILE_STOPPING = 'drain-while-stopping';

/**
 * A session whose start the workflow learned of late (a retried start answered 201/7, or a
 * worker crash delayed the workflow task that held Agora's answer) starts when Agora started
 * it: its event 40, else the earliest time it can have started (session.ts backdateStart);
 * the capture's deadline counts from there, so it bills the duration asked, not that plus the
 * outage. Asked only on that path; histories recorded before it counted from when they heard.
 */
export const START_AT_AGORA_TIME = 'start-at-agora-time';
/**
 * A segment whose token outlives the capture's end (by the margin, at most 10 min) is not
 * rolled over (rollover.ts). With `rolloverMarginSeconds` of an hour or more every new segment
 * was due at once (its token lives an hour past the time left): a storm of billed sessions.
 * Asked only where the two rules differ; histories recorded before it replay their storm.
 */
export const ROLLOVER_ONLY_BEFORE_EXPIRY = 'rollover-only-before-expiry';
/**
 * A capture (first start, operator resume) whose acquire Agora keeps failing past the
 * activity's retries (5xx, 429, no answer) waits the outage out in ACQUIRING, as a QUEUED one
 * waits for a slot, and a stop ends the wait (session.ts acquireSlot). Asked only when such a
 * failure comes; histories recorded before it failed the capture there.
 */
export const ACQUIRE_OUTLASTS_OUTAGE = 'acquire-outlasts-outage';
/**
 * An operator pause records its segment's end before stopping the session (capture-loop.ts
 * releaseForPause), so the manifest reconciled after that stop shows it ended and the pause
 * begun. Asked at each operator pause; histories recorded before it ended the segment after.
 */
export const PAUSE_ENDS_SEGMENT_FIRST = 'pause-ends-segment-first';
/**
 * An operator pause lasts until the resume's session runs (capture-loop.ts resumeSegment):
 * the time spent acquiring and starting counts as paused, as the manifest counts it, and with
 * `pausedTimeCounts: false` it is not taken from the duration. Asked at each resume; histories
 * recorded before it ended the pause when the resume began.
 */
export const PAUSE_UNTIL_SESSION = 'pause-until-session';
/**
 * A session whose end only Agora's callback reported (session_exit 11 / recorder_leave 41) gets
 * one stop at the compensation, so the capture's "already-stopped" is Agora's REST answer (404
 * or 49), never a signal's word: a mis-routed or hand-sent event 11 must not leave a session
 * billing unseen. Asked only on that path; histories recorded before it trusted the callback.
 */
export const CONFIRM_AGORA_END = 'confirm-agora-end';
/**
 * A new run that met Agora 53 while its predecessor's session is still being stopped (the
 * reaper's stop keeps failing) waits for that stop, in STARTING with the reason as lastError,
 * asking again with a growing pause (5 s → 5 min), instead of failing with "task conflict"
 * after one 90 s wait. A stop meanwhile ends it with nothing started. Asked on the 53 path only.
 */
export const WAIT_FOR_PREDECESSOR = 'wait-for-predecessor';
/**
 * Between failing stop rounds, Agora's own word that the session ended (session_exit, leave)
 * settles it at once, as it already did while stop answered 404: the capture no longer shows
 * "may bill", raises the stop-failing alert, nor calls stop for a session Agora ended. Asked
 * on the failing-stop path only; histories recorded before it slept each round out.
 */
export const EXIT_ENDS_STOP_ROUNDS = 'exit-ends-stop-rounds';
/**
 * The session reaper's Agora calls go through the Agora task queue, paced to the App ID's QPS
 * with the captures' own calls (reaper.ts); before, they ran on the reaper's own queue, outside
 * the cluster-wide limit. Asked once by every reaper.
 */
export const REAPER_AGORA_QUEUE = 'reaper-agora-queue';
/**
 * A start whose outcome is unknown stays listed (and so is reported `unknown`, alerted and left
 * to the sweeper) unless its repeat at the compensation proves no session runs on its resourceId
 * (433, 53: policies.ts NOTHING_RUNS_TYPES). Before, any definite refusal of the repeat (a 429,
 * a 401 after a secret rotation) settled it: the run ended `not-started` with the session the
 * first start created billing, and the sweeper, which reads the open-session listing, missed it.
 * Asked only when the repeat is refused without such proof.
 */
export const UNKNOWN_START_NEEDS_PROOF = 'unknown-start-needs-proof';
/**
 * Before it continues as new, a run that waited for a segment's manifest (machine.ts) goes back
 * to its loop when a stop, a pause or a callback came meanwhile, and hands off once nothing is
 * left to act on. Before, such a callback was dropped from the carried state (its screenshot
 * uncounted, though the receiver had acknowledged it) and a stop update was left unanswered by
 * a run that had ended. Asked only when something came during that wait.
 */
export const HANDOFF_RECHECKS = 'handoff-rechecks';
/**
 * A rollover stops the previous segment's session beside the loop (session.ts stopBesideLoop)
 * instead of awaiting it: a stop that kept failing held the loop for as long as it failed (until
 * the session could no longer bill), while the deadline, an operator's stop and the health checks
 * waited and the new segment's session billed on. Asked at each rollover's stop.
 */
export const ROLLOVER_STOPS_BESIDE = 'rollover-stops-beside';
/**
 * The compensation stops a capture's sessions side by side (machine.ts), so one that keeps
 * failing does not hold up the stop of the others. Asked only with more than one session.
 */
export const STOPS_SIDE_BY_SIDE = 'stops-side-by-side';
/**
 * Whether this run takes release `id`'s path. A run started since LEAN_HISTORY takes every
 * earlier release's path under that one marker; a run recorded before it replays the release's
 * own marker (or its absence). Live, both are true, as for any patch.
 */
export function since(id: string): boolean {
  return patched(LEAN_HISTORY) || patched(id);
}

/*
 * No patch for the recording session (issue 13, workflows/recording.ts): it adds commands only
 * for requests with a `recording` part, which earlier code rejected as an unknown field before
 * any command, so no history recorded by earlier code can reach them; for every other request
 * the commands are unchanged (test/replay).
 */
