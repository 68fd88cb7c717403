/**
 * The capture state machine: one object owns the capture's state, and `transition` is the only
 * place its phase changes — together with the phase metrics, the search attributes
 * (CapturePhase, CaptureSids, CaptureOpenSessions) and the UI's current details. Message
 * handlers only record facts and intents (validated); the main loop (capture-loop.ts) and the
 * session steps (session.ts) act, in order. Workflow code.
 *
 *   [QUEUED ⇄] ACQUIRING → STARTING → CAPTURING ⇄ PAUSED → STOPPING → STOPPED
 *                                         PAUSED (operator) → ACQUIRING → STARTING → CAPTURING
 *   any phase → FAILED (invalid request, a failure nothing can repair)
 */
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { confirmedEnd, relistCallbackEnds } from './confirm-end';
import { readAgoraEvents } from './event-shape';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { runCapture } from './capture-loop';
import { keptReason, whyNotArgs, whyNotPause, whyNotReason, whyNotResume, whyNotStop } from './commands';
import {
  type AwaitStartArgs,
  type PauseArgs,
  type StopArgs,
  agoraEventSignal,
  awaitStartUpdate,
  messageDescriptions,
  pauseUpdate,
  requestQuery,
  resumeUpdate,
  statusQuery,
  stopSignal,
  stopUpdate,
} from './messages';
import { failureMessage, failureType } from './failure-type';
import { countEnded, countPhaseChange, countStarted, reportStopFailing } from './metrics';
import { captureEnded, manifestSettled } from './manifest';
import { sessionKey } from './open-sessions';
import { HANDOFF_RECHECKS, LEAN_HISTORY, STOPS_SIDE_BY_SIDE } from './patches';
import { flushSearchAttributes, gatherSearchAttributes } from './search-attribute-batch';
import { describe, toResult, toStatus } from './report';
import type { CaptureRequest } from './request';
import {
  CAPTURE_CHANNEL,
  CAPTURE_OPEN_SESSIONS,
  CAPTURE_PHASE,
  CAPTURE_SIDS,
  capturedSidsValue,
} from './search-attributes';
import { startRecording } from './recording';
import { drainLateCallbacks, establishSession, resolveUnknownStarts, stopSession } from './session';
import { refuseStart, startOutcome, startSettled } from './start-outcome';
import { type CaptureState, currentSegment, type OpenSession } from './state';
import type { CaptureResult, CaptureStatus, Phase, StopOutcome } from './status';
import { emitWebhook, startWebhooks, webhookCarry, webhooksHandedOff } from './webhooks/emit';
import type { OutboxState } from './webhooks/outbox';

interface Published {
  phase?: Phase;
  sids: string;
  open: string;
}

export class CaptureMachine {
  private published: Published;
  private ended = false;
  private result?: CaptureResult;
  /**
   * Stops running beside the loop (a rollover's previous session, session.ts stopBesideLoop),
   * until each settles; the compensation awaits them instead of stopping those sessions again,
   * and the loop does not continue as new while one runs (it would abandon the stop).
   */
  readonly stopsBeside = new Map<OpenSession, Promise<StopOutcome>>();
  /** Sessions whose stop is failing now: the stop-failing alert ends when none is left. */
  readonly stopsFailing = new Set<OpenSession>();

  constructor(
    readonly s: CaptureState,
    /** The validated request; for an invalid one, `fail` runs instead of `run`. */
    readonly request: CaptureRequest,
    readonly ids: { channel: string; recorderUid: string },
  ) {
    // What visibility already holds (set by startCapture at start, or carried over by
    // continue-as-new): upsert only what changed, one visibility write fewer per capture.
    const known = workflowInfo().typedSearchAttributes;
    this.published = {
      phase:
        known.get(CAPTURE_CHANNEL) === request.channel
          ? (known.get(CAPTURE_PHASE) as Phase | undefined)
          : undefined,
      sids: (known.get(CAPTURE_SIDS) ?? []).join(','),
      open: (known.get(CAPTURE_OPEN_SESSIONS) ?? []).join(','),
    };
  }

  /**
   * THE place a capture changes phase: state, phase metrics, search attributes and the UI's
   * details move together.
   */
  transition(phase: Phase): void {
    if (this.s.phase !== phase) {
      countPhaseChange(this.s.phase, phase);
      this.s.phase = phase;
      this.announce(phase);
    }
    this.sync();
  }

  /** The customer's webhook hears of pauses and resumes (no-op without a webhook). */
  private announce(phase: Phase): void {
    const { s } = this;
    const sid = currentSegment(s)?.sid;
    if (phase === 'PAUSED' && !s.pauseAnnounced) {
      s.pauseAnnounced = true;
      emitWebhook('capture.paused', {
        reason: s.operatorPaused ? 'operator' : 'video-lost',
        ...(sid ? { sid } : {}),
      });
    } else if (phase === 'CAPTURING' && s.pauseAnnounced) {
      s.pauseAnnounced = false;
      emitWebhook('capture.resumed', sid ? { sid } : {});
    }
  }

  /**
   * Publishes what changed: CapturePhase, CaptureSids, CaptureOpenSessions (in the same
   * workflow task as the change, so it precedes any command scheduled after it) and the
   * UI's details. Called by `transition` and after every change of the open sessions.
   */
  sync(): void {
    const { s } = this;
    // The recording session's sid too: the receiver routes its callbacks by CaptureSids.
    const sids = capturedSidsValue(
      s.segments.flatMap((g) => (g.sid ? [g.sid] : [])),
      s.recording?.sid,
    );
    const open = s.sessions.map(sessionKey);
    const updates: SearchAttributeUpdatePair[] = [];
    if (this.published.phase !== s.phase) {
      updates.push({ key: CAPTURE_CHANNEL, value: this.request.channel });
      updates.push({ key: CAPTURE_PHASE, value: s.phase });
    }
    if (this.published.sids !== sids.join(',')) updates.push({ key: CAPTURE_SIDS, value: sids });
    // A session newly listed as open must be in visibility before the start command that follows.
    const listed = this.published.open.split(',').map((k) => k.split(':')[0]);
    const opened = s.sessions.some((o) => !listed.includes(o.resourceId));
    if (this.published.open !== open.join(','))
      updates.push({ key: CAPTURE_OPEN_SESSIONS, value: open.length ? open : null });
    if (updates.length) {
      this.publish(updates, opened);
      this.published = { phase: s.phase, sids: sids.join(','), open: open.join(',') };
    }
    setCurrentDetails(describe(s, this.request, Date.now()));
  }

  /**
   * Since LEAN_HISTORY, the changes of one workflow task go out as one upsert before the next
   * command (search-attribute-batch.ts); at once when `now` (a newly listed session, which must
   * be in visibility before its start is scheduled). Runs recorded before it replay one upsert
   * per change.
   */
  private publish(updates: SearchAttributeUpdatePair[], now: boolean): void {
    if (!patched(LEAN_HISTORY)) {
      upsertSearchAttributes(updates);
      return;
    }
    gatherSearchAttributes(updates);
    if (now) flushSearchAttributes();
  }

  status(): CaptureStatus {
    return toStatus(this.s, this.ids, this.request, Date.now());
  }

  /**
   * agoraEvent: the events go to the inbox; a malformed one (sent by hand: a signal cannot be
   * refused) is counted and dropped here, so it can never throw in the workflow tasks after it.
   */
  private receiveEvents(arg: unknown): void {
    const { events, malformed, problem } = readAgoraEvents(arg);
    this.s.inbox.push(...events);
    if (malformed === 0) return;
    this.s.counters.malformed = (this.s.counters.malformed ?? 0) + malformed;
    log.warn('agoraEvent: dropped events that are not Agora callbacks as the receiver forwards them', {
      malformed,
      kept: events.length,
      problem,
    });
  }

  /** Handlers, registered before the first await (an update without a handler is rejected). */
  registerHandlers(): void {
    const { s } = this;
    setHandler(statusQuery, () => this.status(), { description: messageDescriptions.status });
    setHandler(requestQuery, () => this.request, { description: messageDescriptions.request });
    setHandler(stopSignal, (a) => void (s.stopRequested ??= keptReason(a?.reason) ?? 'operator'), {
      description: messageDescriptions.stop,
    });
    setHandler(agoraEventSignal, (a: unknown) => this.receiveEvents(a), {
      description: messageDescriptions.agoraEvent,
    });
    setHandler(
      stopUpdate,
      async (a) => {
        s.stopRequested ??= a?.reason ?? 'operator';
        await condition(() => this.ended);
        if (!this.result) {
          throw ApplicationFailure.nonRetryable(
            `capture ended without a result: ${s.lastError?.message ?? s.endReason}`,
            'CaptureFailed',
          );
        }
        return this.result;
      },
      {
        description: messageDescriptions.stopCapture,
        validator: (a: StopArgs) => rejectIf(whyNotArgs(a) ?? whyNotReason(a?.reason) ?? whyNotStop(s)),
      },
    );
    setHandler(
      pauseUpdate,
      async (a: PauseArgs) => {
        s.operatorPauseWanted = true;
        s.operatorPauseReason = a?.reason;
        await condition(() => s.operatorPaused || s.endReason !== undefined);
        return this.status();
      },
      {
        description: messageDescriptions.pause,
        validator: (a: PauseArgs) => rejectIf(whyNotArgs(a) ?? whyNotReason(a?.reason) ?? whyNotPause(s)),
      },
    );
    setHandler(
      resumeUpdate,
      async (_a: PauseArgs) => {
        s.operatorPauseWanted = false;
        await condition(
          () => s.endReason !== undefined || (!s.operatorPaused && ['CAPTURING', 'PAUSED'].includes(s.phase)),
        );
        return this.status();
      },
      {
        description: messageDescriptions.resume,
        validator: (a: PauseArgs) => rejectIf(whyNotArgs(a) ?? whyNotResume(s)),
      },
    );
    setHandler(
      awaitStartUpdate,
      async (a) => {
        // The args decide, so a history recorded with the timer replays with it (no patch needed).
        if (!startSettled(s))
          if (a.callerBoundsWait === true) await condition(() => startSettled(s));
          else await condition(() => startSettled(s), a.waitSeconds * 1000);
        return startOutcome(s, a);
      },
      {
        description: messageDescriptions.awaitStart,
        validator: (a: AwaitStartArgs) => refuseStart(this.request, a),
      },
    );
  }

  /** An invalid request: FAILED before any Agora call. */
  fail(issuesText: string, issues: unknown): never {
    countStarted(this.s);
    this.s.endReason = 'failed';
    this.transitionEnded('FAILED');
    throw ApplicationFailure.nonRetryable(`invalid capture request: ${issuesText}`, 'InvalidCaptureRequest', {
      issues,
    });
  }

  /** Ends without a valid request: only the phase is published (the channel may be invalid). */
  private transitionEnded(phase: Phase): void {
    countPhaseChange(this.s.phase, phase);
    this.s.phase = phase;
    upsertSearchAttributes([{ key: CAPTURE_PHASE, value: phase }]);
    this.ended = true;
    countEnded(this.s, this.s.endReason);
  }

  /** The capture: establish the session, run the loop, and compensate on every path but continue-as-new. */
  async run(carried: boolean, carriedWebhooks?: OutboxState): Promise<CaptureResult> {
    const { s, request } = this;
    if (!carried) countStarted(s);
    // The customer's webhook (if any): events are queued here and delivered by their own
    // workflow, so an endpoint that is down never delays anything the capture does.
    startWebhooks(request.webhook, carriedWebhooks);
    let handingOff = false;
    try {
      if (!carried) {
        // False: the operator stopped it before Agora started a session (e.g. while QUEUED).
        if (!(await establishSession(this))) s.endReason = 'stopped';
        else {
          await startRecording(this); // the second session, when the request records too
          const seg = currentSegment(s);
          // A start learned late (session.ts backdateStart) has run since Agora started it.
          s.startedAtMs = seg?.startLearnedLate ? seg.startedAtMs : Date.now();
          s.deadlineMs = s.startedAtMs + request.durationSeconds * 1000;
          if (seg?.sid)
            emitWebhook('capture.started', {
              sid: seg.sid,
              resourceId: seg.resourceId,
              channel: request.channel,
              recorderUid: request.recorderUid,
            });
        }
      }
      while (s.endReason === undefined && (await runCapture(this)) === 'continue-as-new') {
        flushSearchAttributes();
        await condition(allHandlersFinished);
        await manifestSettled();
        // A stop, pause or callback that came while the hand-off waited (a segment's manifest
        // still being written) is this run's to act on: back to the loop, which hands off again.
        if (arrivedDuringHandOff(s) && patched(HANDOFF_RECHECKS)) continue;
        handingOff = true;
        return await continueAsNew<
          (input: unknown, carried?: CaptureState, carriedWebhooks?: OutboxState) => Promise<CaptureResult>
        >(request, { ...s }, webhookCarry());
      }
    } catch (err) {
      if (!handingOff) {
        s.endReason ??= isCancellation(err) ? 'cancelled' : 'failed';
        // The failure that ended it, in plain words (a classified one replaces an older retry's error).
        if (!isCancellation(err) && (s.lastError === undefined || failureType(err) !== undefined))
          s.lastError = {
            type: failureType(err) ?? 'Error',
            message: failureMessage(err),
            at: new Date(Date.now()).toISOString(),
          };
      }
      throw err;
    } finally {
      if (!handingOff) {
        await CancellationScope.nonCancellable(async () => {
          try {
            await this.compensate();
          } catch (err) {
            s.endedAtMs = Date.now();
            await captureEnded(this); // after the stop, even a failed one: manifest.json still helps
            this.ended = true;
            countEnded(s, s.endReason);
            this.sync();
            emitWebhook('capture.ended', this.endedSummary());
            await webhooksHandedOff();
            throw err;
          }
          s.endedAtMs = Date.now();
          // After the Agora stop, never before it; storage cannot fail the capture.
          await captureEnded(this);
          this.result =
            s.endReason === 'failed' || s.endReason === 'cancelled'
              ? undefined
              : toResult(s, this.ids, s.endedAtMs);
          this.ended = true;
          countEnded(s, s.endReason);
          this.sync();
          // After the Agora stop, so the endpoint can never delay it.
          emitWebhook('capture.ended', this.endedSummary());
          await webhooksHandedOff();
          flushSearchAttributes(); // the final phase, even while an update handler finishes
          await condition(allHandlersFinished);
        });
      }
    }
    return this.result!;
  }

  /** capture.ended's data: the result, or how the capture ended without one. */
  private endedSummary(): { reason: string } & Record<string, unknown> {
    const { s } = this;
    if (this.result) return { ...this.result };
    return {
      reason: s.endReason ?? 'failed',
      stopOutcome: s.stopOutcome,
      ...(s.lastError ? { error: s.lastError.message } : {}),
      ...(s.manifest ? { manifest: s.manifest } : {}),
    };
  }

  /**
   * Stop whatever may bill. Runs on every path except continue-as-new: first learn the sid of
   * starts whose outcome is unknown, then stop every listed session independently (a failed
   * stop of one does not skip the others). A session whose sid stays unknown is reported
   * (`unknown`, alert) and stays listed in CaptureOpenSessions for the sweeper.
   */
  private async compensate(): Promise<void> {
    const { s } = this;
    await resolveUnknownStarts(this);
    relistCallbackEnds(this);
    if (s.sessions.length === 0) {
      if (!s.stopOutcome) s.stopOutcome = s.segments.length === 0 ? 'not-started' : 'already-stopped';
      this.transition(s.endReason === 'failed' && s.startedAtMs === undefined ? 'FAILED' : 'STOPPED');
      return;
    }
    this.transition('STOPPING');
    const current = currentSegment(s);
    const failed: { err?: Error } = {};
    const stopOne = async (o: OpenSession): Promise<StopOutcome> => {
      if (o.sid === undefined) {
        s.stopFailingSinceMs ??= Date.now();
        reportStopFailing(s, {
          resourceId: o.resourceId,
          error: 'start outcome unknown and sid never learned',
        });
        return 'unknown';
      }
      try {
        // A stop already running beside the loop (a rollover's) is awaited, not sent again.
        const outcome = await (this.stopsBeside.get(o) ?? stopSession(this, o));
        confirmedEnd(this, o, outcome);
        return outcome;
      } catch (err) {
        failed.err ??= err instanceof Error ? err : new Error(String(err));
        return 'failed';
      }
    };
    const sessions = [...s.sessions];
    // Side by side: one session's stop failing for hours must not hold up the others' stops.
    const results =
      sessions.length > 1 && patched(STOPS_SIDE_BY_SIDE)
        ? await Promise.all(sessions.map(stopOne))
        : await inTurn(sessions, stopOne);
    // The current segment's outcome first (it is the capture's), then the others'.
    const isCurrent = (o: OpenSession) => o.sid !== undefined && o.resourceId === current?.resourceId;
    const outcomes = [
      ...results.filter((_, i) => isCurrent(sessions[i]!)),
      ...results.filter((_, i) => !isCurrent(sessions[i]!)),
    ];
    const failure = failed.err;
    if (current && current.endedAtMs === undefined) {
      current.endedAtMs = Date.now();
      current.endedBy = 'stop';
    }
    // What came during the stops, before the result is made (after the segment's end is set:
    // our own stop's session_exit must not read as Agora ending it).
    drainLateCallbacks(this);
    // Say what is true: a session that may bill outranks a failed stop, which outranks success.
    s.stopOutcome = outcomes.includes('unknown')
      ? 'unknown'
      : outcomes.includes('failed')
        ? 'failed'
        : (outcomes[0] ?? s.stopOutcome ?? 'already-stopped');
    if (failure !== undefined) {
      s.endReason = 'failed';
      this.transition('FAILED');
      throw failure;
    }
    this.transition(s.endReason === 'failed' && s.startedAtMs === undefined ? 'FAILED' : 'STOPPED');
  }
}

/** `f` on each item, one after the other (how the compensation stopped sessions before STOPS_SIDE_BY_SIDE). */
async function inTurn<T, R>(items: readonly T[], f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await f(item));
  return out;
}

/** Whether the loop has something to act on (what it checks before it hands off, capture-loop.ts). */
function arrivedDuringHandOff(s: CaptureState): boolean {
  return s.inbox.length > 0 || s.stopRequested !== undefined || s.operatorPauseWanted !== s.operatorPaused;
}

/** A validator's refusal: type `CommandRefused`, not retryable (the same update would be refused again). */
function rejectIf(reason: string | undefined): void {
  if (reason !== undefined) throw ApplicationFailure.nonRetryable(reason, 'CommandRefused');
}
