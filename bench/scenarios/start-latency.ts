/**
 * Start latency, sequential and interleaved product/baseline: client start → Agora `start` received by the emulator (its
 * request `at`, Date.now — the clock this process reads), against the baseline's client
 * start → its `start` activity began. One capture at a time, each stopped and awaited before
 * the next, so nothing else is running while a start is timed.
 */
import { startCapture, stopCapture, waitForCapture } from '../../client/api';
import { startedAt } from '../baseline/activities';
import { baselineCaptureWorkflow, baselineStopSignal } from '../baseline/workflows';
import type { Stack } from '../lib/stack';
import { until } from '../lib/pool';
import { baselineId, benchRequest } from '../lib/requests';
import { ratio, summary } from '../lib/stats';

const WARMUP = 3;

/** One product start: client start → Agora start at the emulator; then stopped and awaited. */
async function productOnce(stack: Stack): Promise<{ ms: number; id: string }> {
  const before = stack.emulator.requests().length;
  const t0 = Date.now();
  const { workflowId } = await startCapture(stack.client, stack.productQueue, benchRequest(60));
  const start = await until(
    () =>
      stack.emulator
        .requests()
        .slice(before)
        .find((r) => r.endpoint === 'start'),
    30_000,
    'Agora start',
  );
  await stopCapture(stack.client, workflowId);
  await waitForCapture(stack.client, workflowId);
  return { ms: start.at - t0, id: workflowId };
}

/** One baseline start: client start → its start activity began; then stopped and awaited. */
async function baselineOnce(stack: Stack): Promise<{ ms: number; id: string }> {
  const id = baselineId('start');
  const t0 = Date.now();
  const h = await stack.client.workflow.start(baselineCaptureWorkflow, {
    taskQueue: stack.baselineQueue,
    workflowId: id,
    args: [{ id, durationSeconds: 60 }],
  });
  const at = await until(() => startedAt.get(id), 30_000, 'baseline start activity');
  await h.signal(baselineStopSignal);
  await h.result();
  return { ms: at - t0, id };
}

export async function startLatency(stack: Stack, n: number) {
  const product: number[] = [];
  const baseline: number[] = [];
  const productIds: string[] = [];
  const baselineIds: string[] = [];
  // Interleaved, so a load swing on the shared machine hits both sides alike. The first few
  // of each pay for cold caches and JIT: run, not kept.
  for (let i = -WARMUP; i < n; i++) {
    const p = await productOnce(stack);
    const b = await baselineOnce(stack);
    if (i < 0) continue;
    product.push(p.ms);
    productIds.push(p.id);
    baseline.push(b.ms);
    baselineIds.push(b.id);
  }
  const p = summary(product);
  const b = summary(baseline);
  return {
    product: p,
    baseline: b,
    ratio: { p50: ratio(p.p50, b.p50), p95: ratio(p.p95, b.p95), p99: ratio(p.p99, b.p99) },
    target: '≤ 1.2× baseline (p50)',
    met: p.p50 <= 1.2 * b.p50,
    sampleIds: { product: productIds[Math.floor(n / 2)]!, baseline: baselineIds[Math.floor(n / 2)]! },
  };
}
