/**
 * Lifecycle throughput: N captures of 1 s started at once (64 starts in flight) and awaited
 * to the end (STOPPED / baseline completed); captures per second from the first start to the
 * last result, for the product, the REST baseline (same Agora calls) and the no-op baseline,
 * same N. Each side runs twice, in the order product, REST, no-op, no-op, REST, product: the
 * server slows as its database grows, and a fixed order would hand that drift to whichever
 * side runs later. CPU per capture is read for every process of the stack.
 */
import type { Client } from '@temporalio/client';
import { startCapture, waitForCapture } from '../../client/api';
import { baselineCaptureWorkflow, baselineRestCaptureWorkflow } from '../baseline/workflows';
import type { Stack } from '../lib/stack';
import { pool } from '../lib/pool';
import { cpuMsPer, cpuSnapshot } from '../lib/proc';
import { baselineId, benchRequest } from '../lib/requests';
import { r1, ratio, summary } from '../lib/stats';

const IN_FLIGHT = 64;

/** Runs the N; keeps each one's start → result time and names the median one for per-hop timings. */
async function timed(n: number, one: (i: number) => Promise<string>) {
  const t0 = Date.now();
  const each = await pool(n, IN_FLIGHT, async (i) => {
    const t = Date.now();
    const id = await one(i);
    return { id, ms: Date.now() - t };
  });
  const s = (Date.now() - t0) / 1000;
  const sorted = [...each].sort((a, b) => a.ms - b.ms);
  return {
    n,
    seconds: r1(s),
    perSecond: r1(n / s),
    samples: each.map((e) => e.ms),
    medianId: sorted[Math.floor(n / 2)]!.id,
  };
}

export function lifecycleProduct(client: Client, queue: string, n: number) {
  return timed(n, async () => {
    const { workflowId } = await startCapture(client, queue, benchRequest(1));
    const r = await waitForCapture(client, workflowId);
    if (r.reason !== 'duration') throw new Error(`capture ended ${r.reason}`);
    // Storage is reachable in the bench, as in production: a manifest not written is a broken run.
    if (r.manifest?.status !== 'written')
      throw new Error(`capture's manifest ${r.manifest?.status ?? 'missing'}: ${r.manifest?.note ?? ''}`);
    return workflowId;
  });
}

function lifecycleNoop(client: Client, queue: string, n: number) {
  return timed(n, async () => {
    const id = baselineId('life');
    await client.workflow.execute(baselineCaptureWorkflow, {
      taskQueue: queue,
      workflowId: id,
      args: [{ id, durationSeconds: 1 }],
    });
    return id;
  });
}

export function lifecycleRest(client: Client, queue: string, n: number) {
  return timed(n, async () => {
    const id = baselineId('rest-life');
    await client.workflow.execute(baselineRestCaptureWorkflow, {
      taskQueue: queue,
      workflowId: id,
      args: [{ cname: id, durationSeconds: 1 }],
    });
    return id;
  });
}

type Run = Awaited<ReturnType<typeof timed>> & {
  cpu: { before: Record<string, number>; after: Record<string, number> };
};

async function measured(stack: Stack, run: () => ReturnType<typeof timed>): Promise<Run> {
  const before = cpuSnapshot(stack.pids());
  const r = await run();
  return { ...r, cpu: { before, after: cpuSnapshot(stack.pids()) } };
}

/** Two runs of the same N as one figure: all captures over all seconds; CPU ms per capture per process. */
function combine(a: Run, b: Run) {
  const seconds = a.seconds + b.seconds;
  const n = a.n + b.n;
  const spent: Record<string, number> = {};
  for (const r of [a, b])
    for (const k of Object.keys(r.cpu.after))
      spent[k] = (spent[k] ?? 0) + r.cpu.after[k]! - (r.cpu.before[k] ?? 0);
  const cpuMsPerCapture = cpuMsPer({}, spent, n);
  return {
    n: a.n,
    runs: 2,
    seconds: r1(seconds),
    perSecond: r1(n / seconds),
    perRunPerSecond: [a.perSecond, b.perSecond],
    perCaptureMs: summary([...a.samples, ...b.samples]),
    cpuMsPerCapture,
    cpuMsPerCaptureTotal: Object.values(cpuMsPerCapture).reduce((x, y) => x + y, 0),
    medianId: a.medianId,
  };
}

export async function lifecycle(stack: Stack, sizes: number[]) {
  const rows = [];
  for (const n of sizes) {
    const product1 = () => lifecycleProduct(stack.client, stack.productQueue, n);
    const rest1 = () => lifecycleRest(stack.client, stack.restQueue, n);
    const noop1 = () => lifecycleNoop(stack.client, stack.baselineQueue, n);
    const p1 = await measured(stack, product1);
    const r1_ = await measured(stack, rest1);
    const b1 = await measured(stack, noop1);
    const b2 = await measured(stack, noop1);
    const r2_ = await measured(stack, rest1);
    const p2 = await measured(stack, product1);
    const product = combine(p1, p2);
    const restBaseline = combine(r1_, r2_);
    const baseline = combine(b1, b2);
    const restRatio = ratio(product.perSecond, restBaseline.perSecond);
    const rt = ratio(product.perSecond, baseline.perSecond);
    rows.push({
      n,
      product,
      restBaseline,
      baseline,
      ratio: rt,
      restRatio,
      target: '≥ 0.95× the REST baseline',
      met: restRatio >= 0.95,
      metVsNoop: rt >= 0.95,
    });
  }
  return rows;
}
