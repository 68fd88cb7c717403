/**
 * Bare-Temporal baselines of the capture's shape: acquire → start → wait (duration or a stop
 * signal) → stop. `baselineCaptureWorkflow`: three no-op activities on the workflow's own
 * queue. `baselineRestCaptureWorkflow`: the same three Agora REST calls the product makes, on
 * the `<queue>-agora` queue as the product schedules them (same rate limit), stop always
 * attempted once start answered. No validation, no state machine, no queries beyond the SDK's
 * own: the distance from these to the product is what the product adds. Bundled on their own
 * (bench/baseline/worker-main.ts), never mixed with workflows/.
 */
import { condition, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { BaselineActivities, RestBaselineActivities } from './activities';

export const baselineStopSignal = defineSignal('stop');

// Same timeout magnitude as the product's start activity; retries never fire (no-ops).
const acts = proxyActivities<BaselineActivities>({ startToCloseTimeout: '20s' });

/** Returns when its start activity began (ms since the epoch). */
export async function baselineCaptureWorkflow(args: {
  id: string;
  durationSeconds: number;
}): Promise<number> {
  let stopped = false;
  setHandler(baselineStopSignal, () => {
    stopped = true;
  });
  await acts.acquire(args.id);
  const startedAt = await acts.start(args.id);
  await condition(() => stopped, args.durationSeconds * 1000);
  await acts.stop(args.id);
  return startedAt;
}

/** `cname` is the channel; returns the session's sid. */
export async function baselineRestCaptureWorkflow(args: {
  cname: string;
  durationSeconds: number;
}): Promise<string> {
  const rest = proxyActivities<RestBaselineActivities>({
    taskQueue: `${workflowInfo().taskQueue}-agora`,
    startToCloseTimeout: '20s',
  });
  let stopped = false;
  setHandler(baselineStopSignal, () => {
    stopped = true;
  });
  const resourceId = await rest.acquire(args.cname);
  const sid = await rest.start({ cname: args.cname, resourceId });
  try {
    await condition(() => stopped, args.durationSeconds * 1000);
  } finally {
    await rest.stop({ cname: args.cname, resourceId, sid });
  }
  return sid;
}
