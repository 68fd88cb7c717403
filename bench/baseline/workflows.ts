/**
 * Bare-Temporal baseline of the capture's shape: acquire → start → wait (duration or a stop
 * signal) → stop, as three no-op activities. No validation, no state machine, no queries
 * beyond the SDK's own: the distance from this to the product is what the product adds.
 * Bundled on its own (bench/lib/stack.ts), never mixed with workflows/.
 */
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BaselineActivities } from './activities';

export const baselineStopSignal = defineSignal('stop');

// Same timeout magnitude as the product's start activity; retries never fire (no-ops).
const acts = proxyActivities<BaselineActivities>({ startToCloseTimeout: '20s' });

export async function baselineCaptureWorkflow(args: { id: string; durationSeconds: number }): Promise<void> {
  let stopped = false;
  setHandler(baselineStopSignal, () => {
    stopped = true;
  });
  await acts.acquire(args.id);
  await acts.start(args.id);
  await condition(() => stopped, args.durationSeconds * 1000);
  await acts.stop(args.id);
}
