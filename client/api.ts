/**
 * The typed API backend code uses to run captures. Each capture is one workflow execution
 * whose id comes from the channel and recorder uid, so starting the same capture twice
 * returns the running one instead of paying for a second bot.
 */
import {
  type Client,
  QueryNotRegisteredError,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import {
  pauseUpdate,
  requestQuery,
  resumeUpdate,
  statusQuery,
  stopSignal,
  stopUpdate,
} from '../workflows/messages';
import {
  type CaptureRequest,
  type CaptureRequestInput,
  captureWorkflowId,
  validateCaptureRequest,
} from '../workflows/request';
import { requestDifferences } from '../workflows/request-diff';
import { CAPTURE_CHANNEL, CAPTURE_PHASE } from '../workflows/search-attributes';
import type { CaptureResult, CaptureStatus } from '../workflows/status';
import type { captureChannelWorkflow } from '../workflows';
import { CaptureConflictError, InvalidCaptureRequestError } from './errors';

export interface StartedCapture {
  workflowId: string;
  runId: string;
  /** True when this call started the capture; false when the identical capture was already running. */
  started: boolean;
}

/**
 * Validates the request (throws InvalidCaptureRequestError naming each field) and starts it.
 * If the capture (channel + recorder uid) already runs: with the identical request (defaults
 * filled in) that one is returned with `started: false`; with a different one,
 * CaptureConflictError names the differing fields and nothing changes.
 */
export async function startCapture(
  client: Client,
  taskQueue: string,
  input: CaptureRequestInput,
): Promise<StartedCapture> {
  const v = validateCaptureRequest(input);
  if (!v.ok) throw new InvalidCaptureRequestError(v.issues);
  const r = v.request;
  const workflowId = captureWorkflowId(r.channel, r.recorderUid);
  for (let attempt = 0; ; attempt++) {
    try {
      return { ...(await startNew(client, taskQueue, r)), started: true };
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

async function startNew(
  client: Client,
  taskQueue: string,
  r: CaptureRequest,
): Promise<{ workflowId: string; runId: string }> {
  const workflowId = captureWorkflowId(r.channel, r.recorderUid);
  const handle = await client.workflow.start<typeof captureChannelWorkflow>('captureChannelWorkflow', {
    taskQueue,
    workflowId,
    args: [r],
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    typedSearchAttributes: [
      { key: CAPTURE_CHANNEL, value: r.channel },
      { key: CAPTURE_PHASE, value: 'ACQUIRING' },
    ],
    staticSummary: `Screenshots of ${r.channel} as uid ${r.recorderUid} every ${r.snapshotConfig.captureInterval}s for ${r.durationSeconds}s`,
    staticDetails: `storage profile \`${r.storageProfile}\` · subscribe video: ${r.recordingConfig.subscribeVideoUids?.join(', ') ?? 'all'}`,
  });
  return { workflowId, runId: handle.firstExecutionRunId };
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
 * status once released; rejected (WorkflowUpdateFailedError, naming the phase) when the capture
 * cannot pause (not capturing yet, already paused, ending).
 */
export async function pauseCapture(
  client: Client,
  workflowId: string,
  reason?: string,
): Promise<CaptureStatus> {
  return client.workflow.getHandle(workflowId).executeUpdate(pauseUpdate, { args: [{ reason }] });
}

/**
 * Resumes an operator-paused capture with a new Agora session (a new segment); returns the
 * status once it runs. Rejected (WorkflowUpdateFailedError, naming the phase) when the capture
 * is not operator-paused.
 */
export async function resumeCapture(client: Client, workflowId: string): Promise<CaptureStatus> {
  return client.workflow.getHandle(workflowId).executeUpdate(resumeUpdate, { args: [{}] });
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
  status: string;
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
  if (filter.phase) q.push(`CapturePhase = '${filter.phase.replace(/'/g, '')}'`);
  if (filter.channel) q.push(`CaptureChannel = '${filter.channel.replace(/'/g, "\\'")}'`);
  const out: CaptureSummary[] = [];
  for await (const w of client.workflow.list({ query: q.join(' AND ') })) out.push(summarize(w));
  return out;
}

function summarize(w: WorkflowExecutionInfo): CaptureSummary {
  return {
    workflowId: w.workflowId,
    runId: w.runId,
    status: w.status.name,
    channel: w.typedSearchAttributes.get(CAPTURE_CHANNEL),
    phase: w.typedSearchAttributes.get(CAPTURE_PHASE),
    startTime: w.startTime,
    closeTime: w.closeTime,
  };
}
