/**
 * captureSweepWorkflow: run by the namespace's Schedule (`agora-capture setup`, every minute by
 * default). Finds the sessions closed captures may have left billing — terminated, reset,
 * timed out, failed or cancelled runs, and any closed run whose CaptureOpenSessions is not
 * empty — and hands each to its session reaper. Reapers are abandoned children with a
 * deterministic id: a session already reaped (or being reaped) is skipped, so sweeps overlap
 * harmlessly and the sweep itself ends in seconds. Workflow code.
 */
import {
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  log,
  metricMeter,
  proxyActivities,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { SweepActivities } from '../activities/sweep';
import { reapWorkflowId } from './reap-target';
import { sessionReaperWorkflow } from './reaper';

export const SWEEPS = 'agora_capture_sweeps_total';
export const SWEEP_UNREADABLE = 'agora_capture_sweep_unreadable_runs_total';

export interface SweepInput {
  /** Look at captures closed this long ago at most. Default 3 h (a sweeper outage shorter than that loses nothing). */
  lookbackSeconds?: number;
  /** Only these captures (the receiver, for a callback of a closed capture), instead of listing. */
  captures?: { workflowId: string; runId?: string }[];
}

export interface SweepResult {
  /** Closed capture runs read. */
  scanned: number;
  /** Reapers this sweep started (workflow ids). */
  reapers: string[];
  /** Sessions whose reaper already existed (reaped before, or being reaped). */
  alreadyReaped: number;
  /**
   * Those reapers' workflow ids, so an operator can follow each session whichever sweep (this
   * one, an overlapping one, the receiver's for a callback of a closed capture) started it.
   */
  alreadyReapedBy: string[];
  /** Closed runs whose history could not be read: their sessions were not swept (see the worker's log). */
  unreadable?: string[];
}

export const DEFAULT_LOOKBACK_SECONDS = 3 * 3600;

const { findLeakedSessions } = proxyActivities<SweepActivities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', maximumInterval: '1m', maximumAttempts: 5 },
  summary: 'find sessions closed captures left billing',
});

export async function captureSweepWorkflow(input: SweepInput = {}): Promise<SweepResult> {
  const { taskQueue } = workflowInfo();
  const found = await findLeakedSessions({
    taskQueue,
    lookbackSeconds: input.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS,
    ...(input.captures ? { captures: input.captures } : {}),
  });
  const reapers: string[] = [];
  const alreadyReapedBy: string[] = [];
  for (const target of found.targets) {
    const workflowId = reapWorkflowId(target.resourceId, target.sid);
    try {
      await startChild(sessionReaperWorkflow, {
        workflowId,
        args: [target],
        taskQueue,
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      });
      reapers.push(workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      alreadyReapedBy.push(workflowId);
    }
  }
  metricMeter.createCounter(SWEEPS, '', 'Sweeps run, by whether they found sessions to reap.').add(1, {
    found: reapers.length > 0 ? 'true' : 'false',
  });
  const unreadable = found.unreadable ?? [];
  if (unreadable.length > 0)
    metricMeter
      .createCounter(
        SWEEP_UNREADABLE,
        '',
        'Closed captures a sweep could not read (their sessions were not swept).',
      )
      .add(unreadable.length);
  const line = {
    scanned: found.scanned,
    reapersStarted: reapers.length,
    alreadyReaped: alreadyReapedBy.length,
    unreadable: unreadable.length,
  };
  if (unreadable.length > 0)
    log.error('sweep: closed captures whose history could not be read were not swept', line);
  else if (reapers.length > 0) log.warn('sweep: closed captures left sessions; reapers started', line);
  else log.info('sweep: nothing left billing', line);
  return {
    scanned: found.scanned,
    reapers,
    alreadyReaped: alreadyReapedBy.length,
    alreadyReapedBy,
    ...(unreadable.length ? { unreadable } : {}),
  };
}
