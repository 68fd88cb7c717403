/**
 * captureChannelWorkflow: acquire → start → wait for the duration, a stop, a cancellation or
 * Agora ending the session → stop, with stop run as compensation on every path that may have
 * started a session. Handlers only record facts; this loop decides and calls activities.
 */
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { checkHealth, nextHealthCheckMs } from './health';
import { messageDescriptions, statusQuery, stopSignal, stopUpdate } from './messages';
import { type CaptureRequest, describeIssues, validateCaptureRequest } from './request';
import { CAPTURE_CHANNEL, CAPTURE_PHASE } from './search-attributes';
import { establishSession, settleUnknownStarts, stopSession } from './session';
import { type CaptureState, describe, initialState, toResult, toStatus } from './state';
import type { CaptureResult, Phase } from './status';

export async function captureChannelWorkflow(input: unknown, carried?: CaptureState): Promise<CaptureResult> {
  const s: CaptureState = carried ? { ...carried, runs: carried.runs + 1 } : initialState(workflowInfo().workflowId);
  const raw = (input ?? {}) as Partial<CaptureRequest>;
  const ids = { channel: String(raw.channel ?? ''), recorderUid: String(raw.recorderUid ?? '') };
  let result: CaptureResult | undefined;
  let ended = false;

  setHandler(statusQuery, () => toStatus(s, ids), { description: messageDescriptions.status });
  setHandler(stopSignal, (a) => void (s.stopRequested ??= a?.reason ?? 'operator'), { description: messageDescriptions.stop });
  setHandler(
    stopUpdate,
    async (a) => {
      s.stopRequested ??= a?.reason ?? 'operator';
      await condition(() => ended);
      if (!result) throw ApplicationFailure.nonRetryable(`capture ended without a result: ${s.lastError?.message ?? s.endReason}`, 'CaptureFailed');
      return result;
    },
    { description: messageDescriptions.stopCapture },
  );

  const validation = validateCaptureRequest(input);
  if (!validation.ok) {
    s.phase = 'FAILED';
    s.endReason = 'failed';
    ended = true;
    throw ApplicationFailure.nonRetryable(`invalid capture request: ${describeIssues(validation.issues)}`, 'InvalidCaptureRequest', {
      issues: validation.issues,
    });
  }
  const request = validation.request;
  const setPhase = (phase: Phase) => {
    s.phase = phase;
    upsertSearchAttributes([
      { key: CAPTURE_CHANNEL, value: request.channel },
      { key: CAPTURE_PHASE, value: phase },
    ]);
    setCurrentDetails(describe(s, request.channel));
  };

  let handingOff = false;
  try {
    if (!carried) {
      setPhase('ACQUIRING');
      await establishSession(s, request);
      s.startedAtMs = Date.now();
      s.deadlineMs = s.startedAtMs + request.durationSeconds * 1000;
      setPhase('CAPTURING');
    }
    await waitForEnd(s, request);
    if (workflowInfo().continueAsNewSuggested && !s.endReason) {
      await condition(allHandlersFinished);
      handingOff = true;
      return await continueAsNew<typeof captureChannelWorkflow>(input, s);
    }
  } catch (err) {
    if (!handingOff) {
      s.endReason ??= isCancellation(err) ? 'cancelled' : 'failed';
      if (!isCancellation(err)) s.lastError ??= { type: 'Error', message: String(err), at: new Date(Date.now()).toISOString() };
    }
    throw err;
  } finally {
    if (!handingOff) {
      await CancellationScope.nonCancellable(async () => {
        await compensate(s, request, setPhase);
        s.endedAtMs = Date.now();
        result = s.endReason === 'failed' || s.endReason === 'cancelled' ? undefined : toResult(s, request, s.endedAtMs);
        ended = true;
        setCurrentDetails(describe(s, request.channel));
        await condition(allHandlersFinished);
      });
    }
  }
  return result!;
}

/** Waits until the duration elapses, a stop arrives, or Agora ends the session; sets endReason. */
async function waitForEnd(s: CaptureState, request: CaptureRequest): Promise<void> {
  for (;;) {
    if (s.stopRequested !== undefined) return void (s.endReason = 'stopped');
    if (s.sessionGone) return void (s.endReason = 'agora-ended');
    const now = Date.now();
    if (now >= s.deadlineMs!) return void (s.endReason = 'duration');
    if (workflowInfo().continueAsNewSuggested) return;
    const checkAt = nextHealthCheckMs(s, request);
    const wakeAt = Math.min(s.deadlineMs!, checkAt);
    // condition(fn, 0) is not free: only wait when there is time left.
    if (wakeAt > now) await condition(() => s.stopRequested !== undefined, wakeAt - now);
    if (s.stopRequested === undefined && Date.now() >= checkAt && Date.now() < s.deadlineMs!) await checkHealth(s, request);
  }
}

/** Stop whatever may be running. Runs on every path except continue-as-new. */
async function compensate(s: CaptureState, request: CaptureRequest, setPhase: (p: Phase) => void): Promise<void> {
  const sids = await settleUnknownStarts(s, request);
  if (!s.sid && sids.length > 0) s.sid = sids[0];
  const toStop = [...new Set([...(s.sid && !s.sessionGone ? [s.sid] : []), ...sids])];
  if (toStop.length === 0) {
    s.stopOutcome ??= s.sessionGone ? 'already-stopped' : 'not-started';
    setPhase(s.endReason === 'failed' && !s.startedAtMs ? 'FAILED' : 'STOPPED');
    return;
  }
  setPhase('STOPPING');
  try {
    for (const sid of toStop) await stopSession(s, request, { resourceId: s.resourceId!, sid });
    setPhase('STOPPED');
  } catch (err) {
    s.stopOutcome = 'failed';
    s.endReason = 'failed';
    setPhase('FAILED');
    throw err;
  }
}
