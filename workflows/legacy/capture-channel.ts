/**
 * FROZEN: the capture workflow as released before the CAPTURE_MACHINE patch (../patches.ts).
 * Only captures whose history began on it replay here; see ./README.md. Do not change.
 *
 * captureChannelWorkflow: acquire → start → capture until the duration elapses, a stop, a
 * cancellation, Agora ending the session or the lost-video policy → stop, with stop run as
 * compensation on every path that may have started a session (never on continue-as-new).
 */
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { runCapture } from './capture-loop';
import { registerHandlers } from './handlers';
import { describe, toResult } from './report';
import {
  type CaptureRequest,
  describeIssues,
  validateCaptureRequest,
  type ValidationResult,
} from '../request';
import { CAPTURE_CHANNEL, CAPTURE_PHASE, CAPTURE_SIDS } from '../search-attributes';
import { countEnded, countStarted, enterPhase } from './metrics';
import { FIRST_TASK_V2 } from '../patches';
import { establishSession, settleUnknownStarts, stopSession } from './session';
import { type CaptureState, currentSegment, initialState, sessionActive } from './state';
import type { CaptureResult, Phase } from '../status';

export async function legacyCaptureChannelWorkflow(
  input: unknown,
  carried?: CaptureState,
): Promise<CaptureResult> {
  const s: CaptureState = carried
    ? { ...carried, runs: carried.runs + 1 }
    : initialState(workflowInfo().workflowId);
  // A continue-as-new run receives the request its first run validated (defaults filled in).
  const validation: ValidationResult = carried
    ? { ok: true, request: input as CaptureRequest }
    : validateCaptureRequest(input);
  const request = validation.ok ? validation.request : undefined;
  const raw = (input ?? {}) as Partial<CaptureRequest>;
  const ids = { channel: String(raw.channel ?? ''), recorderUid: String(raw.recorderUid ?? '') };
  const outcome: { ended: boolean; result?: CaptureResult } = { ended: false };
  registerHandlers(s, ids, request, outcome);
  if (!carried) countStarted(s);

  if (!validation.ok) {
    enterPhase(s, 'FAILED');
    s.endReason = 'failed';
    outcome.ended = true;
    countEnded(s, s.endReason);
    throw ApplicationFailure.nonRetryable(
      `invalid capture request: ${describeIssues(validation.issues)}`,
      'InvalidCaptureRequest',
      {
        issues: validation.issues,
      },
    );
  }
  const req = validation.request;

  // What visibility already holds (set by startCapture at start, or carried over by
  // continue-as-new): upsert only what changed, one visibility write fewer per capture.
  const known = workflowInfo().typedSearchAttributes;
  let published: { phase?: Phase; sids: string } = patched(FIRST_TASK_V2)
    ? {
        phase:
          known.get(CAPTURE_CHANNEL) === req.channel
            ? (known.get(CAPTURE_PHASE) as Phase | undefined)
            : undefined,
        sids: (known.get(CAPTURE_SIDS) ?? []).join(','),
      }
    : { sids: '' };
  const setPhase = (phase: Phase) => {
    enterPhase(s, phase);
    const sids = s.segments.flatMap((g) => (g.sid ? [g.sid] : []));
    if (published.phase !== phase || published.sids !== sids.join(',')) {
      upsertSearchAttributes([
        { key: CAPTURE_CHANNEL, value: req.channel },
        { key: CAPTURE_PHASE, value: phase },
        { key: CAPTURE_SIDS, value: sids },
      ]);
      published = { phase, sids: sids.join(',') };
    }
    setCurrentDetails(describe(s, req, Date.now()));
  };

  let handingOff = false;
  try {
    if (!carried) {
      setPhase('ACQUIRING');
      await establishSession(s, req);
      s.startedAtMs = Date.now();
      s.deadlineMs = s.startedAtMs + req.durationSeconds * 1000;
    }
    if ((await runCapture(s, req, setPhase)) === 'continue-as-new') {
      await condition(allHandlersFinished);
      handingOff = true;
      return await continueAsNew<typeof legacyCaptureChannelWorkflow>(req, { ...s, inbox: [] });
    }
  } catch (err) {
    if (!handingOff) {
      s.endReason ??= isCancellation(err) ? 'cancelled' : 'failed';
      if (!isCancellation(err))
        s.lastError ??= { type: 'Error', message: String(err), at: new Date(Date.now()).toISOString() };
    }
    throw err;
  } finally {
    if (!handingOff) {
      await CancellationScope.nonCancellable(async () => {
        try {
          await compensate(s, req, setPhase);
        } catch (err) {
          countEnded(s, s.endReason);
          throw err;
        }
        s.endedAtMs = Date.now();
        outcome.result =
          s.endReason === 'failed' || s.endReason === 'cancelled' ? undefined : toResult(s, ids, s.endedAtMs);
        outcome.ended = true;
        countEnded(s, s.endReason);
        setCurrentDetails(describe(s, req, Date.now()));
        await condition(allHandlersFinished);
      });
    }
  }
  return outcome.result!;
}

/** Stop whatever may be running. Runs on every path except continue-as-new. */
async function compensate(
  s: CaptureState,
  request: CaptureRequest,
  setPhase: (p: Phase) => void,
): Promise<void> {
  const recovered = await settleUnknownStarts(s, request);
  const seg = currentSegment(s);
  const toStop = [
    ...(seg?.sid && sessionActive(s) ? [{ resourceId: seg.resourceId, sid: seg.sid }] : []),
    ...recovered,
  ];
  if (toStop.length === 0) {
    if (!s.stopOutcome) s.stopOutcome = s.segments.length === 0 ? 'not-started' : 'already-stopped';
    setPhase(s.endReason === 'failed' && s.startedAtMs === undefined ? 'FAILED' : 'STOPPED');
    return;
  }
  setPhase('STOPPING');
  try {
    for (const ref of toStop) await stopSession(s, request, ref);
    if (seg && seg.endedAtMs === undefined) {
      seg.endedAtMs = Date.now();
      seg.endedBy = 'stop';
    }
    setPhase('STOPPED');
  } catch (err) {
    s.stopOutcome = 'failed';
    s.endReason = 'failed';
    setPhase('FAILED');
    throw err;
  }
}
