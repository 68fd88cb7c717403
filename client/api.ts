/**
 * The typed API backend code uses to run captures. Each capture is one workflow execution
 * whose id comes from the channel and recorder uid, so starting the same capture twice
 * returns the running one instead of paying for a second bot.
 */
import { randomUUID } from 'node:crypto';
import {
  ActivityFailure,
  ApplicationFailure,
  type Client,
  QueryNotRegisteredError,
  WithStartWorkflowOperation,
  type WorkflowHandle,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowExecutionInfo,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import {
  awaitStartUpdate,
  pauseUpdate,
  requestQuery,
  resumeUpdate,
  statusQuery,
  stopSignal,
  type StartOutcome,
  stopUpdate,
} from '../workflows/messages';
import {
  type CaptureRequest,
  type CaptureRequestInput,
  captureWorkflowId,
  validateNewCaptureRequest,
} from '../workflows/request';
import { requestDifferences } from '../workflows/request-diff';
import { startedBy } from '../workflows/start-outcome';
import { CAPTURE_CHANNEL, CAPTURE_PHASE } from '../workflows/search-attributes';
import type { CaptureResult, CaptureStatus, Phase } from '../workflows/status';
import type { captureChannelWorkflow } from '../workflows';
import {
  CaptureConflictError,
  CaptureStartFailedError,
  InvalidCaptureRequestError,
  NamespaceNotPreparedError,
} from './errors';
import { GRPC, grpcCode } from './grpc-code';
import { visibilityString } from './visibility-query';
import { describeMissingSetup, missingSetup } from './setup';

export interface StartedCapture {
  workflowId: string;
  runId: string;
  /** True when this call started the capture; false when the identical capture was already running. */
  started: boolean;
  /**
   * The Agora session's sid once its start answered; absent after `wait: false`, when the server
   * could not wait (`waitUnsupported`) or while the start still retries.
   */
  sid?: string;
  /**
   * The capture's phase when the call returned: CAPTURING/PAUSED with a sid; ACQUIRING,
   * STARTING or QUEUED when Agora had not answered within the wait (5xx, 429, 406 are
   * retried). Absent after `wait: false` and when the server could not wait (`waitUnsupported`).
   */
  phase?: Phase;
  /**
   * True when the call was asked to wait for Agora's answer but could not: the server does not
   * run update-with-start (it answered UNIMPLEMENTED), so the capture was started (or the running
   * one joined) without waiting. Nothing is known of its Agora session yet: `sid` and `phase`
   * are absent; `getCapture` reads them later. Absent when the wait ran, and after `wait: false`.
   */
  waitUnsupported?: true;
}

export interface StartOptions {
  /** Wait for Agora's answer to the start (default true); false returns once the workflow is started. */
  wait?: boolean;
  /** Bound on that wait, seconds (default 20, at most 600). */
  waitSeconds?: number;
}

/** How long a synchronous start waits for Agora's answer by default. */
export const DEFAULT_START_WAIT_SECONDS = 20;

/**
 * Validates the request (throws InvalidCaptureRequestError naming each field) and starts it.
 * By default it waits (update-with-start, bounded by `waitSeconds`) until Agora's start has
 * answered and returns the session's `sid`; a capture that fails before a session runs throws
 * CaptureStartFailedError naming the failure (unknown storage profile, Agora 401, code 2, …).
 * A start Agora keeps answering with 5xx/429/406 returns after the wait with its `phase` and no
 * `sid`: the capture goes on retrying. If the capture (channel + recorder uid) already runs:
 * with the identical request (defaults filled in) that one is returned with `started: false`;
 * with a different one, CaptureConflictError names the differing fields and nothing changes.
 * A capture cancelled, terminated or timed out while the call waits throws
 * CaptureStartFailedError (`CaptureCancelled`, `CaptureTerminated`, …) saying what became of
 * its Agora session, as far as the capture knows. A server without update-with-start (it
 * answers UNIMPLEMENTED) cannot wait: the capture is started without waiting and the result
 * says so with `waitUnsupported: true`, no `sid` and no `phase`.
 */
export async function startCapture(
  client: Client,
  taskQueue: string,
  input: CaptureRequestInput,
  opts: StartOptions = {},
): Promise<StartedCapture> {
  const v = validateNewCaptureRequest(input);
  if (!v.ok) throw new InvalidCaptureRequestError(v.issues);
  const waitSeconds = opts.waitSeconds ?? DEFAULT_START_WAIT_SECONDS;
  if (opts.wait !== false && !(waitSeconds > 0 && waitSeconds <= 600))
    throw new RangeError(`waitSeconds must be within (0, 600], got ${waitSeconds}`);
  try {
    if (opts.wait === false) return await startNoWait(client, taskQueue, v.request);
    try {
      return await startAndWait(client, taskQueue, v.request, waitSeconds);
    } catch (e) {
      // A server without update-with-start (ExecuteMultiOperation): start without waiting.
      if (grpcCode(e) === GRPC.UNIMPLEMENTED)
        return { ...(await startNoWait(client, taskQueue, v.request)), waitUnsupported: true };
      throw e;
    }
  } catch (e) {
    throw (await notPrepared(client, taskQueue, e)) ?? e;
  }
}

/**
 * A start the server refused as invalid, on a namespace `agora-capture setup` has not
 * prepared (the start sets search attributes it does not know): that, named, instead of the
 * server's "Update-with-Start could not be executed". Undefined for any other error.
 */
async function notPrepared(client: Client, taskQueue: string, e: unknown): Promise<Error | undefined> {
  if (grpcCode(e) !== GRPC.INVALID_ARGUMENT) return undefined;
  const namespace = client.options.namespace;
  const missing = await missingSetup(
    { operatorService: client.connection.operatorService, workflowService: client.workflowService },
    namespace,
    taskQueue,
  ).catch(() => undefined);
  // Only missing search attributes explain the refusal; a missing schedule alone does not.
  if (!missing?.searchAttributes.length) return undefined;
  return new NamespaceNotPreparedError(namespace, describeMissingSetup(missing)!);
}

async function startAndWait(
  client: Client,
  taskQueue: string,
  r: CaptureRequest,
  waitSeconds: number,
): Promise<StartedCapture> {
  const workflowId = captureWorkflowId(r.channel, r.recorderUid);
  const startToken = randomUUID();
  // USE_EXISTING (required by update-with-start): a running capture receives the update, whose
  // validator refuses a different request; a closed one is started anew (ALLOW_DUPLICATE).
  const op = new WithStartWorkflowOperation<typeof captureChannelWorkflow>('captureChannelWorkflow', {
    ...startOptions(taskQueue, r),
    workflowIdConflictPolicy: 'USE_EXISTING',
    memo: { startToken },
  });
  let outcome: StartOutcome;
  let runId = '';
  try {
    const update = await client.workflow.startUpdateWithStart(awaitStartUpdate, {
      args: [{ request: r, waitSeconds, startToken, callerBoundsWait: true }],
      waitForStage: 'ACCEPTED',
      startWorkflowOperation: op,
    });
    runId = update.workflowRunId ?? '';
    outcome =
      (await resultWithin(client, waitSeconds, () => update.result())) ??
      (await unsettledOutcome(client, workflowId, runId, startToken));
  } catch (e) {
    if (e instanceof CaptureStartFailedError) throw e;
    const cause = e instanceof WorkflowUpdateFailedError ? e.cause : undefined;
    if (cause instanceof ApplicationFailure) {
      if (cause.type === 'CaptureConflict') {
        const fields = (cause.details?.[0] as { fields?: string[] } | undefined)?.fields ?? [];
        throw new CaptureConflictError(workflowId, fields);
      }
      // A capture started before the awaitStart update existed: compare the way it can answer.
      if (/no registered handler|update.*not (found|registered)|unknown update/i.test(cause.message))
        return joinLegacy(client, workflowId, r);
      if (cause.type !== 'AcceptedUpdateCompletedWorkflow')
        throw new CaptureStartFailedError(
          workflowId,
          runId || undefined,
          cause.type ?? 'Error',
          cause.message,
          await sessionAfterStartFailed(client, workflowId, runId || undefined),
        );
    }
    // The capture was cancelled while the update waited; the run is still stopping what it started.
    if (cause instanceof CancelledFailure)
      throw new CaptureStartFailedError(
        workflowId,
        runId || undefined,
        'CaptureCancelled',
        'the capture was cancelled while the start waited for Agora',
        await sessionAfterStartFailed(client, workflowId, runId || undefined),
      );
    // The run ended before the update could answer: its own failure says why.
    throw (await runEnded(client, workflowId, runId || undefined)) ?? e;
  }
  return {
    workflowId,
    runId,
    started: outcome.started,
    phase: outcome.phase,
    ...(outcome.sid ? { sid: outcome.sid } : {}),
  };
}

/**
 * The update's result if it comes within `waitSeconds`, else undefined. The wait is bounded
 * here rather than by a workflow timer (AwaitStartArgs.callerBoundsWait): the update stays
 * pending in the capture and completes, unread, once Agora's start answers.
 */
async function resultWithin<T>(
  client: Client,
  waitSeconds: number,
  result: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await client.withDeadline(Date.now() + waitSeconds * 1000, result);
  } catch (e) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return undefined;
    throw e;
  }
}

/**
 * What a caller whose wait ran out learns: the phase the capture is in (ACQUIRING, STARTING,
 * QUEUED… while Agora's start is retried), the sid if it was learned meanwhile, and whether
 * this call's start created the run (its memo holds the caller's token).
 */
async function unsettledOutcome(
  client: Client,
  workflowId: string,
  runId: string,
  startToken: string,
): Promise<StartOutcome> {
  const handle = client.workflow.getHandle(workflowId, runId || undefined);
  const [status, described] = await Promise.all([handle.query(statusQuery), handle.describe()]);
  // Ending or ended just as the wait ran out: say how, as the update would have, never "retrying".
  if (status.endReason !== undefined || status.phase === 'FAILED') {
    const reason = status.endReason ?? 'failed';
    throw (
      (await runEnded(client, workflowId, runId || undefined)) ??
      new CaptureStartFailedError(
        workflowId,
        runId || undefined,
        reason === 'failed'
          ? (status.lastError?.type ?? 'CaptureFailed')
          : reason === 'cancelled'
            ? 'CaptureCancelled'
            : 'CaptureEnded',
        `the capture is ending (${reason}) as the start's wait ran out`,
        await sessionAfterStartFailed(client, workflowId, runId || undefined),
      )
    );
  }
  return {
    phase: status.phase,
    ...(status.sid ? { sid: status.sid } : {}),
    started: startedBy(described.memo, startToken),
  };
}

/**
 * Why a run ended while a synchronous start waited on it: its classified failure if it failed,
 * or that it was cancelled, terminated or timed out; with what it knows of its Agora session.
 * Undefined when the run has not ended or cannot be described.
 */
async function runEnded(
  client: Client,
  workflowId: string,
  runId: string | undefined,
): Promise<CaptureStartFailedError | undefined> {
  const handle = client.workflow.getHandle(workflowId, runId);
  const d = await handle.describe().catch(() => undefined);
  const status = d?.status.name;
  if (!d || status === undefined || status === 'RUNNING') return undefined;
  const session = await sessionOfClosedRun(handle, status);
  if (status !== 'FAILED') {
    const [type, how] = ENDED_WHILE_WAITING[status] ?? ['CaptureEnded', `ended ${status}`];
    return new CaptureStartFailedError(
      workflowId,
      d.runId,
      type,
      `the capture was ${how} while the start waited for Agora`,
      session,
    );
  }
  const err = await handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  let cause = err instanceof WorkflowFailedError ? err.cause : undefined;
  if (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  if (!(cause instanceof Error)) return undefined;
  const type = cause instanceof ApplicationFailure ? (cause.type ?? 'Error') : cause.name;
  return new CaptureStartFailedError(workflowId, d.runId, type, cause.message, session);
}

/** A run that closed other than FAILED while a start waited: the error type and the words. */
const ENDED_WHILE_WAITING: Record<string, [string, string]> = {
  CANCELLED: ['CaptureCancelled', 'cancelled'],
  TERMINATED: ['CaptureTerminated', 'terminated'],
  TIMED_OUT: ['CaptureTimedOut', 'timed out'],
  COMPLETED: ['CaptureEnded', 'ended'],
  CONTINUED_AS_NEW: ['CaptureContinuedAsNew', 'continued as a new run'],
};

/** How long a failed start waits for the capture to finish its compensation before saying so. */
const COMPENSATION_GRACE_MS = 5_000;

/**
 * What the capture knows of its Agora session after a synchronous start failed, in one clause:
 * read from the closed run's status (its stopOutcome), after giving a run that is still ending
 * (its compensation stops what it started) a few seconds. Never claims more than the status says.
 */
async function sessionAfterStartFailed(
  client: Client,
  workflowId: string,
  runId: string | undefined,
): Promise<string | undefined> {
  const handle = client.workflow.getHandle(workflowId, runId);
  await client.withDeadline(Date.now() + COMPENSATION_GRACE_MS, () => handle.result()).catch(() => undefined);
  const status = await handle.describe().then(
    (d) => d.status.name,
    () => undefined,
  );
  if (status === undefined) return undefined;
  if (status === 'RUNNING')
    return 'still ending: it stops any Agora session it started (agora-capture status shows the stop outcome)';
  return sessionOfClosedRun(handle, status);
}

/** The clause for a run known to be closed with `status` (the SDK's name). */
async function sessionOfClosedRun(handle: WorkflowHandle, status: string): Promise<string> {
  if (status === 'TERMINATED')
    return 'ended TERMINATED, which runs no stop: the sweeper stops any Agora session it had';
  const outcome = await handle.query(statusQuery).then(
    (st) => st.stopOutcome,
    () => undefined,
  );
  return `ended ${executionStatus(status)}${sessionSaid(outcome)}`;
}

/** What a closed capture's stopOutcome says of its Agora session, as a clause. */
function sessionSaid(outcome: string | undefined): string {
  switch (outcome) {
    case 'not-started':
      return '; no Agora session was started';
    case 'stopped':
    case 'already-stopped':
    case 'no-recorded-data':
      return `; its Agora session was stopped (${outcome})`;
    case undefined:
      return '';
    default:
      return `; its Agora session's stop outcome is ${outcome}: see agora-capture status`;
  }
}

/** A running capture that predates awaitStart: the request query says whether it is the same. */
async function joinLegacy(client: Client, workflowId: string, r: CaptureRequest): Promise<StartedCapture> {
  const handle = client.workflow.getHandle(workflowId);
  const running = await handle.describe();
  const theirs = await handle.query(requestQuery).catch((e: unknown) => {
    if (e instanceof QueryNotRegisteredError) return undefined;
    throw e;
  });
  const fields = theirs ? requestDifferences(theirs, r) : [];
  if (fields.length > 0) throw new CaptureConflictError(workflowId, fields);
  const status = await handle.query(statusQuery).catch(() => undefined);
  return {
    workflowId,
    runId: running.runId,
    started: false,
    ...(status ? { phase: status.phase } : {}),
    ...(status?.sid ? { sid: status.sid } : {}),
  };
}

/** Fire-and-forget: returns once the workflow runs (the previous behaviour; `--no-wait`). */
async function startNoWait(client: Client, taskQueue: string, r: CaptureRequest): Promise<StartedCapture> {
  const workflowId = captureWorkflowId(r.channel, r.recorderUid);
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await client.workflow.start<typeof captureChannelWorkflow>('captureChannelWorkflow', {
        ...startOptions(taskQueue, r),
        workflowIdConflictPolicy: 'FAIL',
      });
      return { workflowId, runId: handle.firstExecutionRunId, started: true };
    } catch (e) {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError) || attempt > 0) throw e;
    }
    const handle = client.workflow.getHandle(workflowId);
    const running = await handle.describe().catch(() => undefined);
    if (!running || running.status.name !== 'RUNNING') continue; // it just ended: start anew
    // The running capture says which request it runs (validated, so defaults are filled in).
    // A capture started before this query existed (workflows/legacy) cannot say: taken as the same.
    const theirs = await handle.query(requestQuery).catch((e: unknown) => {
      if (e instanceof QueryNotRegisteredError) return undefined;
      throw e;
    });
    const fields = theirs ? requestDifferences(theirs, r) : [];
    if (fields.length > 0) throw new CaptureConflictError(workflowId, fields);
    return { workflowId, runId: running.runId, started: false };
  }
}

function startOptions(taskQueue: string, r: CaptureRequest) {
  return {
    taskQueue,
    workflowId: captureWorkflowId(r.channel, r.recorderUid),
    args: [r] as [CaptureRequest],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE' as const,
    typedSearchAttributes: [
      { key: CAPTURE_CHANNEL, value: r.channel },
      { key: CAPTURE_PHASE, value: 'ACQUIRING' },
    ],
    staticSummary: `Screenshots of ${r.channel} as uid ${r.recorderUid} every ${r.snapshotConfig.captureInterval}s for ${r.durationSeconds}s`,
    staticDetails: `storage profile \`${r.storageProfile}\` · subscribe video: ${r.recordingConfig.subscribeVideoUids?.join(', ') ?? 'all'}`,
  };
}

/** Signals a stop and returns at once; `wait: true` uses the stop update and returns the final result. */
export async function stopCapture(
  client: Client,
  workflowId: string,
  opts: { reason?: string; wait: true },
): Promise<CaptureResult>;
export async function stopCapture(
  client: Client,
  workflowId: string,
  opts?: { reason?: string; wait?: false },
): Promise<void>;
export async function stopCapture(
  client: Client,
  workflowId: string,
  opts: { reason?: string; wait?: boolean } = {},
): Promise<CaptureResult | void> {
  const handle = client.workflow.getHandle(workflowId);
  if (opts.wait) return handle.executeUpdate(stopUpdate, { args: [{ reason: opts.reason }] });
  await handle.signal(stopSignal, { reason: opts.reason });
}

/**
 * Operator pause: the capture releases its Agora session (Agora has no pause in individual
 * mode, so stopping is the only way to stop paying) until {@link resumeCapture}. Returns the
 * status once released (`operatorPaused`); rejected (WorkflowUpdateFailedError, naming the
 * phase) when the capture cannot pause (not capturing yet, already paused, ending). While
 * Agora's stop keeps failing the session still bills and the pause waits, for as long as the
 * stop is retried (until the session's resource expires): with `waitSeconds`, the status after
 * that long is returned instead (`operatorPaused` not set, `lastError` Agora's), and the pause
 * goes on in the capture.
 */
export async function pauseCapture(
  client: Client,
  workflowId: string,
  reason?: string,
  opts: { waitSeconds?: number } = {},
): Promise<CaptureStatus> {
  const handle = client.workflow.getHandle(workflowId);
  const pause = () => handle.executeUpdate(pauseUpdate, { args: [{ reason }] });
  if (opts.waitSeconds === undefined) return pause();
  return (await resultWithin(client, opts.waitSeconds, pause)) ?? handle.query(statusQuery);
}

/**
 * Resumes an operator-paused capture with a new Agora session (a new segment); returns the
 * status once it runs (phase CAPTURING, or PAUSED when the video is off) or once the capture
 * ended trying (`endReason` set). Rejected (WorkflowUpdateFailedError, naming the phase) when
 * the capture is not operator-paused. While Agora fails acquire the capture keeps retrying:
 * with `waitSeconds`, the status after that long is returned instead (phase ACQUIRING,
 * `lastError` Agora's), and the resume goes on in the capture.
 */
export async function resumeCapture(
  client: Client,
  workflowId: string,
  opts: { waitSeconds?: number } = {},
): Promise<CaptureStatus> {
  const handle = client.workflow.getHandle(workflowId);
  const resume = () => handle.executeUpdate(resumeUpdate, { args: [{}] });
  if (opts.waitSeconds === undefined) return resume();
  return (await resultWithin(client, opts.waitSeconds, resume)) ?? handle.query(statusQuery);
}

/** The capture's live status (works after it ended too). */
export async function getCapture(client: Client, workflowId: string): Promise<CaptureStatus> {
  return client.workflow.getHandle(workflowId).query(statusQuery);
}

/** Cancels the capture: the workflow stops the Agora session and ends Cancelled. */
export async function cancelCapture(client: Client, workflowId: string): Promise<void> {
  await client.workflow.getHandle(workflowId).cancel();
}

/** Waits for the capture's result (rejects with WorkflowFailedError when it failed or was cancelled). */
export async function waitForCapture(client: Client, workflowId: string): Promise<CaptureResult> {
  return client.workflow.getHandle<typeof captureChannelWorkflow>(workflowId).result();
}

export interface CaptureSummary {
  workflowId: string;
  runId: string;
  /** Temporal's execution status as the server spells it: RUNNING, COMPLETED, FAILED, CANCELED, TERMINATED, TIMED_OUT, … */
  status: ExecutionStatus;
  channel?: string;
  phase?: string;
  startTime: Date;
  closeTime?: Date;
}

/** Lists captures from Temporal visibility (eventually consistent: seconds behind). */
export async function listCaptures(
  client: Client,
  filter: { phase?: string; channel?: string; running?: boolean } = {},
): Promise<CaptureSummary[]> {
  const q = [`WorkflowType = 'captureChannelWorkflow'`];
  if (filter.running) q.push(`ExecutionStatus = 'Running'`);
  if (filter.phase) q.push(`CapturePhase = ${visibilityString(filter.phase)}`);
  if (filter.channel) q.push(`CaptureChannel = ${visibilityString(filter.channel)}`);
  const out: CaptureSummary[] = [];
  for await (const w of client.workflow.list({ query: q.join(' AND ') })) out.push(summarize(w));
  return out;
}

/** Temporal's execution statuses as the server, the UI and `temporal` spell them (CANCELED). */
export type ExecutionStatus =
  | 'RUNNING'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELED'
  | 'TERMINATED'
  | 'TIMED_OUT'
  | 'CONTINUED_AS_NEW'
  | 'UNKNOWN';

/** The TypeScript SDK spells one of them CANCELLED; everything this package prints says CANCELED. */
const STATUS_NAMES: Record<string, ExecutionStatus> = {
  RUNNING: 'RUNNING',
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELED',
  CANCELED: 'CANCELED',
  TERMINATED: 'TERMINATED',
  TIMED_OUT: 'TIMED_OUT',
  CONTINUED_AS_NEW: 'CONTINUED_AS_NEW',
};

/** An SDK execution status name in the server's spelling ('UNKNOWN' for one this package does not know). */
export function executionStatus(sdkName: string): ExecutionStatus {
  return STATUS_NAMES[sdkName] ?? 'UNKNOWN';
}

function summarize(w: WorkflowExecutionInfo): CaptureSummary {
  return {
    workflowId: w.workflowId,
    runId: w.runId,
    status: executionStatus(w.status.name),
    channel: w.typedSearchAttributes.get(CAPTURE_CHANNEL),
    phase: w.typedSearchAttributes.get(CAPTURE_PHASE),
    startTime: w.startTime,
    closeTime: w.closeTime,
  };
}
