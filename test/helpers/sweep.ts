/** Runs the sweep workflow now (as the schedule would) and waits for the reapers it started. */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { ReapResult } from '../../workflows/reap-target';
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
