/**
 * The things the receiver asks of Temporal, behind a narrow interface so routing is
 * unit-tested without a server and the fuzz test can use a fake.
 */
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { SWEEP_WORKFLOW_TYPE } from '../../workflows/reap-target';
import { type OnSent, SignalBatcher } from './signal-batcher';
import { type AgoraEventsArgs, agoraEventSignal, type CaptureEvent } from '../../workflows/messages';
import { CAPTURE_OPEN_SESSIONS, CAPTURE_SIDS } from '../../workflows/search-attributes';
import { visibilityString } from '../visibility-query';
import type { SignalName } from './stats';

/** What routing needs from Temporal. Methods throw on anything but a clear answer. */
export interface TemporalPort {
  /** Signals the workflow's current run; false when there is no such workflow or it is closed. */
  signal(workflowId: string, name: SignalName, arg: CaptureEvent, abort: AbortSignal): Promise<boolean>;
  /** A running capture whose CaptureSids contains `sid`, if visibility knows one. */
  findRunningBySid(sid: string, abort: AbortSignal): Promise<string | undefined>;
  /**
   * A callback for `sid` and no running capture owns it: when a CLOSED capture used that sid
   * and may have left it running, hand it to the sweeper (a sweep of that capture, which starts
   * the session's reaper) and return the sweep's workflow id; undefined otherwise. A capture
   * that completed with nothing left open counts only when `aliveAtMs` (the callback shows the
   * bot at work then) is after its close: it took the session for gone, e.g. after 404s past
   * its failover window, and the session came back.
   */
  reapClosedBySid?(sid: string, abort: AbortSignal, aliveAtMs?: number): Promise<string | undefined>;
  /** Resolves when the server answers (readiness). */
  ping(abort: AbortSignal): Promise<void>;
}

/**
 * The visibility query for the closed captures that used `sid` and may have left it running;
 * with `anyClosed`, also those that completed with nothing left open (checked against the
 * callback's time: {@link mayHaveLeft}). A run that continued as new handed its sessions on.
 */
export function closedSidQuery(sid: string, anyClosed = false): string {
  const closed =
    `${CAPTURE_SIDS.name} = ${visibilityString(sid)} AND ExecutionStatus != 'Running' ` +
    `AND ExecutionStatus != 'ContinuedAsNew'`;
  // A capture that completed with nothing left open stopped its sessions: its late callbacks are routine.
  return anyClosed
    ? closed
    : `${closed} AND (ExecutionStatus != 'Completed' OR ${CAPTURE_OPEN_SESSIONS.name} IS NOT NULL)`;
}

/** Agora's clock against the server's: a callback this much after the close is not a late one. */
export const ALIVE_AFTER_CLOSE_MARGIN_MS = 5_000;

/** Whether a closed run may have left the session running that a callback shows alive at `aliveAtMs`. */
export function mayHaveLeft(
  run: { status: string; closeTimeMs?: number; openSessions: number },
  aliveAtMs: number | undefined,
): boolean {
  if (run.status !== 'COMPLETED' || run.openSessions > 0) return true;
  return (
    aliveAtMs !== undefined &&
    run.closeTimeMs !== undefined &&
    aliveAtMs > run.closeTimeMs + ALIVE_AFTER_CLOSE_MARGIN_MS
  );
}

/** The visibility query that finds the running capture owning `sid`. */
export function sidQuery(sid: string): string {
  return `${CAPTURE_SIDS.name} = ${visibilityString(sid)} AND ExecutionStatus = 'Running'`;
}

/**
 * Sends one signal; false when there is no such running workflow. A deadline as well as the
 * abort, because the Rust client ignores abort signals: the deadline bounds a slow answer. It
 * does not bound the Rust client's own retries of an unreachable server (measured: ~10 s,
 * whatever the deadline), so during an outage one capture's next batch can wait that long;
 * each callback still gets its 503 at the receiver's signal timeout (with-timeout.ts).
 */
async function sendSignal(
  client: Client,
  workflowId: string,
  arg: AgoraEventsArgs,
  abort: AbortSignal,
  timeoutMs: number,
): Promise<boolean> {
  try {
    await client.withDeadline(Date.now() + timeoutMs, () =>
      client.withAbortSignal(abort, () =>
        client.workflow.getHandle(workflowId).signal(agoraEventSignal, arg),
      ),
    );
    return true;
  } catch (e) {
    // NOT_FOUND covers both "never existed" and "already completed".
    if (e instanceof WorkflowNotFoundError) return false;
    throw e;
  }
}

/**
 * {@link TemporalPort} over a real client; `agoraEvent` signals are group-committed per capture.
 * `onSent` hears of each signal RPC with its number of events.
 */
export function temporalPort(client: Client, batchTimeoutMs = 5000, onSent?: OnSent): TemporalPort {
  const batcher = new SignalBatcher(
    (id, events, abort) => sendSignal(client, id, { events }, abort, batchTimeoutMs),
    batchTimeoutMs,
    onSent,
  );
  return {
    async signal(workflowId, _name, arg, abort) {
      return batcher.signal(workflowId, arg, abort);
    },
    async findRunningBySid(sid, abort) {
      return client.withAbortSignal(abort, async () => {
        for await (const wf of client.workflow.list({ query: sidQuery(sid), pageSize: 1 }))
          return wf.workflowId;
        return undefined;
      });
    },
    async reapClosedBySid(sid, abort, aliveAtMs) {
      return client.withAbortSignal(abort, async () => {
        const query = closedSidQuery(sid, aliveAtMs !== undefined);
        let looked = 0;
        for await (const wf of client.workflow.list({ query, pageSize: 5 })) {
          if (++looked > 5) break; // a sid belongs to one capture; a few runs at most
          const run = {
            status: wf.status.name,
            closeTimeMs: wf.closeTime?.getTime(),
            openSessions: (wf.typedSearchAttributes.get(CAPTURE_OPEN_SESSIONS) ?? []).length,
          };
          if (!mayHaveLeft(run, aliveAtMs)) continue;
          const workflowId = `sweep/closed/${wf.workflowId}/${wf.runId}`;
          try {
            // On the capture's own task queue: its workers hold the Agora credentials for it.
            await client.workflow.start(SWEEP_WORKFLOW_TYPE, {
              taskQueue: wf.taskQueue,
              workflowId,
              args: [{ captures: [{ workflowId: wf.workflowId, runId: wf.runId }] }],
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
            });
          } catch (e) {
            // A burst of callbacks for that session: the first one started the sweep.
            if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
          }
          return workflowId;
        }
        return undefined;
      });
    },
    async ping(abort) {
      await client.withAbortSignal(abort, () =>
        client.workflowService.describeNamespace({ namespace: client.options.namespace }),
      );
    },
  };
}
