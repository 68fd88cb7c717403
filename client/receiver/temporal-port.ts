/**
 * The three things the receiver asks of Temporal, behind a narrow interface so routing is
 * unit-tested without a server and the fuzz test can use a fake.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { SignalBatcher } from './signal-batcher';
import { type AgoraEventsArgs, agoraEventSignal, type CaptureEvent } from '../../workflows/messages';
import { CAPTURE_SIDS } from '../../workflows/search-attributes';
import type { SignalName } from './stats';

/** What routing needs from Temporal. Methods throw on anything but a clear answer. */
export interface TemporalPort {
  /** Signals the workflow's current run; false when there is no such workflow or it is closed. */
  signal(workflowId: string, name: SignalName, arg: CaptureEvent, abort: AbortSignal): Promise<boolean>;
  /** A running capture whose CaptureSids contains `sid`, if visibility knows one. */
  findRunningBySid(sid: string, abort: AbortSignal): Promise<string | undefined>;
  /** Resolves when the server answers (readiness). */
  ping(abort: AbortSignal): Promise<void>;
}

/** A string literal for a visibility query: backslash and quote escaped. */
export function visibilityString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The visibility query that finds the running capture owning `sid`. */
export function sidQuery(sid: string): string {
  return `${CAPTURE_SIDS.name} = ${visibilityString(sid)} AND ExecutionStatus = 'Running'`;
}

/** Sends one signal; false when there is no such running workflow. */
async function sendSignal(
  client: Client,
  workflowId: string,
  arg: AgoraEventsArgs,
  abort: AbortSignal,
): Promise<boolean> {
  try {
    await client.withAbortSignal(abort, () =>
      client.workflow.getHandle(workflowId).signal(agoraEventSignal, arg),
    );
    return true;
  } catch (e) {
    // NOT_FOUND covers both "never existed" and "already completed".
    if (e instanceof WorkflowNotFoundError) return false;
    throw e;
  }
}

/** {@link TemporalPort} over a real client; `agoraEvent` signals are group-committed per capture. */
export function temporalPort(client: Client, batchTimeoutMs = 5000): TemporalPort {
  const batcher = new SignalBatcher(
    (id, events, abort) => sendSignal(client, id, { events }, abort),
    batchTimeoutMs,
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
    async ping(abort) {
      await client.withAbortSignal(abort, () =>
        client.workflowService.describeNamespace({ namespace: client.options.namespace }),
      );
    },
  };
}
