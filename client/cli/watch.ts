/**
 * Follows a capture until it ends: polls the status query for the live view and waits on the
 * workflow result for the end (the result follows continue-as-new; the query alone could not
 * tell "STOPPED and done" from "STOPPED, handlers still finishing"). Shared by `watch` and
 * `npm run dev`.
 */
import { type Client, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { GRPC, grpcCode } from '../grpc-code';
import { statusQuery } from '../../workflows/messages';
import type { CaptureResult, CaptureStatus } from '../../workflows/status';
import type { captureChannelWorkflow } from '../../workflows';
import { describeWorkflowFailure, type EndKind } from './failures';
import { statusLine } from './format';
import type { CliIo } from './io';

/** How a watched capture ended. */
export type WatchOutcome =
  | { kind: 'completed'; result: CaptureResult; status?: CaptureStatus }
  | { kind: EndKind; message: string; status?: CaptureStatus };

export interface WatchOptions {
  /** Poll period of the status query. Default 1000. */
  intervalMs?: number;
  /** How long one status query may take before the view says so. Default 10 s. */
  queryTimeoutMs?: number;
}

/** Shows the phase live (one redrawn line on a TTY, a line per change otherwise) until the end. */
export async function watchCapture(
  client: Client,
  workflowId: string,
  io: CliIo,
  opts: WatchOptions = {},
): Promise<WatchOutcome> {
  const intervalMs = opts.intervalMs ?? 1000;
  const handle = client.workflow.getHandle<typeof captureChannelWorkflow>(workflowId);
  const d = await handle.describe(); // fails fast with WorkflowNotFoundError for a wrong id
  // A run that has already closed has no live view: its status query answers with its last one.
  const closed = d.status.name !== 'RUNNING';
  let settled: RunEnd | undefined;
  const done = runEnd(handle).then((end) => void (settled = end));
  const view = liveView(io);
  let status: CaptureStatus | undefined;
  while (!settled && !closed) {
    const polled = await pollStatus(client, workflowId, opts.queryTimeoutMs ?? 10_000);
    if (polled.ok) status = polled.status;
    // Temporal unreachable: the last status would read as live; say what is known instead.
    if (!polled.ok && (polled.unreachable || !status)) view.show(`waiting: ${polled.error}`, polled.error);
    else if (status) view.show(statusLine(status), statusKey(status));
    await Promise.race([done, sleep(intervalMs)]);
  }
  await done;
  const end = settled as unknown as RunEnd;
  if ('interrupted' in end) {
    view.end();
    throw end.interrupted;
  }
  const failure = end.ok ? undefined : describeWorkflowFailure(end.error);
  // One last query so the final line shows STOPPED/FAILED, not the phase before the end; only
  // of a capture that ended itself (terminate and a timeout leave its last live view behind).
  const last = await pollStatus(client, workflowId, opts.queryTimeoutMs ?? 10_000);
  if (last.ok) status = last.status;
  const selfEnded = failure === undefined || failure.kind === 'failed' || failure.kind === 'cancelled';
  if (status && selfEnded) view.show(statusLine(status), statusKey(status));
  view.end();
  if (end.ok) return { kind: 'completed', result: end.result, status };
  return { ...failure!, status };
}

/**
 * The watch could not learn how the capture ends: Temporal refused the wait for its result
 * (permission denied after a credential rotation, an internal error, the run no longer found)
 * for a reason that waiting does not cure. The capture may well still be running.
 */
export class WatchInterruptedError extends Error {
  override name = 'WatchInterruptedError';
  constructor(
    readonly workflowId: string,
    override readonly cause: unknown,
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(
      `stopped watching ${workflowId}: Temporal did not say how it ends (${why}); ` +
        'whether the capture is still running is not known',
    );
  }
}

/** How the wait for the run's end came out. */
type RunEnd =
  | { ok: true; result: CaptureResult }
  | { ok: false; error: unknown }
  | { interrupted: WatchInterruptedError };

/**
 * The run's own end: its result, or the failure it closed with (a WorkflowFailedError: failed,
 * cancelled, terminated, timed out). Temporal unreachable or rate-limiting (a server restart, a
 * network blip, RESOURCE_EXHAUSTED) is not an end: the wait goes on until Temporal answers
 * again, as the capture does (the live view says "waiting" meanwhile). Any other error is not
 * the run's end either, and is not waited out: a WatchInterruptedError, never "failed".
 */
async function runEnd(handle: WorkflowHandle<typeof captureChannelWorkflow>): Promise<RunEnd> {
  for (;;) {
    try {
      return { ok: true, result: await handle.result() };
    } catch (error) {
      if (error instanceof WorkflowFailedError) return { ok: false, error };
      // Returned, not thrown: the live view's loop awaits this promise only between polls.
      if (!transient(error)) return { interrupted: new WatchInterruptedError(handle.workflowId, error) };
      await sleep(1000);
    }
  }
}

/** Temporal could not be asked (UNAVAILABLE, DEADLINE_EXCEEDED): nothing is known of the run. */
function unreachable(e: unknown): boolean {
  const code = grpcCode(e);
  return code === GRPC.UNAVAILABLE || code === GRPC.DEADLINE_EXCEEDED;
}

/** Worth asking again: Temporal unreachable, or rate-limiting this client (RESOURCE_EXHAUSTED). */
function transient(e: unknown): boolean {
  return unreachable(e) || grpcCode(e) === GRPC.RESOURCE_EXHAUSTED;
}

async function pollStatus(
  client: Client,
  workflowId: string,
  timeoutMs: number,
): Promise<{ ok: true; status: CaptureStatus } | { ok: false; error: string; unreachable: boolean }> {
  try {
    const status = await client.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.getHandle(workflowId).query(statusQuery),
    );
    return { ok: true, status };
  } catch (e) {
    // A query that failed for want of Temporal itself (the SDK retries UNAVAILABLE until the
    // deadline): then the frontend does not answer even the cheapest call.
    if (unreachable(e) && !(await temporalAnswers(client)))
      return {
        ok: false,
        error: `Temporal is not reachable (${(e as Error).message}); still watching`,
        unreachable: true,
      };
    return {
      ok: false,
      error: `status not available yet (${(e as Error).message}); is a worker running?`,
      unreachable: false,
    };
  }
}

/** Whether Temporal's frontend answers at all (GetSystemInfo, the cheapest call) within 2 s. */
async function temporalAnswers(client: Client): Promise<boolean> {
  try {
    await client.withDeadline(Date.now() + 2000, () => client.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}

/** What counts as a change for line-per-change output (elapsed time alone is not one). */
function statusKey(s: CaptureStatus): string {
  return JSON.stringify([
    s.phase,
    s.sid,
    s.stopReason,
    s.lastError?.message,
    s.endReason,
    s.streams,
    s.segments.length,
  ]);
}

/** TTY: rewrite one line in place. Otherwise: append a timestamped line when the key changes. */
function liveView(io: CliIo) {
  let lastKey: string | undefined;
  let drawn = false;
  return {
    show(line: string, key: string) {
      if (io.isTTY) {
        io.out(`\r\x1b[2K${line}`);
        drawn = true;
      } else if (key !== lastKey) {
        io.out(`${new Date().toISOString().slice(11, 19)}  ${line}\n`);
      }
      lastKey = key;
    },
    end() {
      if (drawn) io.out('\n');
    },
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
