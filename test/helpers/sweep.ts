/** Runs the sweep workflow now (as the schedule would) and waits for the reapers it started. */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { type ReapResult, reapWorkflowId } from '../../workflows/reap-target';
import type { SweepInput, SweepResult } from '../../workflows/sweep';

export async function sweepNow(
  client: Client,
  taskQueue: string,
  input: SweepInput = {},
): Promise<{ sweep: SweepResult; reaps: ReapResult[] }> {
  const sweep = await client.workflow.execute<(i: SweepInput) => Promise<SweepResult>>(
    'captureSweepWorkflow',
    {
      taskQueue,
      workflowId: `sweep-test/${randomUUID()}`,
      args: [input],
    },
  );
  const reaps = await Promise.all(
    sweep.reapers.map((id) => client.workflow.getHandle(id).result() as Promise<ReapResult>),
  );
  return { sweep, reaps };
}

/**
 * The results of these sessions' reapers, whichever sweep started them. A callback of a closed
 * capture makes the receiver sweep it too: when that sweep comes first, the test's own sweep
 * finds the reapers already started and lists them in `alreadyReapedBy`, not `reapers`.
 */
export async function reapsOf(
  client: Client,
  sessions: { resourceId?: string; sid?: string }[],
): Promise<ReapResult[]> {
  return Promise.all(
    sessions.map((s) => client.workflow.getHandle(reaperIdOf(s)).result() as Promise<ReapResult>),
  );
}

/** The reapers a sweep accounted for, started by it or before it (sorted workflow ids). */
export const sweptReapers = (sweep: SweepResult): string[] =>
  [...sweep.reapers, ...sweep.alreadyReapedBy].sort();

/** The reaper workflow ids of these sessions (sorted). */
export const reaperIdsOf = (sessions: { resourceId?: string; sid?: string }[]): string[] =>
  sessions.map(reaperIdOf).sort();

/** A session's reaper workflow id (the one every sweep gives it). */
function reaperIdOf(s: { resourceId?: string; sid?: string }): string {
  if (s.resourceId === undefined) throw new Error('a session without its resourceId has no reaper id');
  return reapWorkflowId(s.resourceId, s.sid);
}
