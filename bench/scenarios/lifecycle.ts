/**
 * Lifecycle throughput: N captures of 1 s started at once (64 starts in flight) and awaited
 * to the end (STOPPED / baseline completed); captures per second from the first start to
 * the last result, product vs the baseline with the same N. Each side runs twice, in the order
 * product, baseline, baseline, product: the dev server slows as its database grows, and a
 * fixed order would hand that drift to whichever side runs second.
 */
import type { Client } from '@temporalio/client';
import { startCapture, waitForCapture } from '../../client/api';
import { baselineCaptureWorkflow } from '../baseline/workflows';
import type { Stack } from '../lib/stack';
import { pool } from '../lib/pool';
import { cpuSeconds } from '../lib/proc';
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
    perCaptureMs: summary(each.map((e) => e.ms)),
    samples: each.map((e) => e.ms),
    medianId: sorted[Math.floor(n / 2)]!.id,
  };
}

export async function lifecycleProduct(client: Client, queue: string, n: number) {
  return timed(n, async () => {
    const { workflowId } = await startCapture(client, queue, benchRequest(1));
    const r = await waitForCapture(client, workflowId);
    if (r.reason !== 'duration') throw new Error(`capture ended ${r.reason}`);
    return workflowId;
  });
}

export async function lifecycleBaseline(client: Client, queue: string, n: number) {
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

type Run = Awaited<ReturnType<typeof timed>> & { cpu: { bench: number; server: number } };

/**
 * Runs one side and the CPU it cost: this process (client, both in-process workers, the
 * emulator and receiver) and the dev server. On 2 shared cores, CPU per capture is the limit.
 */
async function measured(stack: Stack, run: () => ReturnType<typeof timed>): Promise<Run> {
  const spid = stack.server.process.pid!;
  const [b0, s0] = [cpuSeconds(process.pid), cpuSeconds(spid)];
  const r = await run();
  return { ...r, cpu: { bench: cpuSeconds(process.pid) - b0, server: cpuSeconds(spid) - s0 } };
}

/** Two runs of the same N as one figure: all captures over all seconds. */
function combine(a: Run, b: Run) {
  const seconds = a.seconds + b.seconds;
  const n = a.n + b.n;
  const perCapture = (x: number) => Math.round((x * 1000) / n);
  return {
    n: a.n,
    runs: 2,
    seconds: r1(seconds),
    perSecond: r1(n / seconds),
    perRunPerSecond: [a.perSecond, b.perSecond],
    perCaptureMs: summary([...a.samples, ...b.samples]),
    cpuMsPerCapture: {
      benchProcess: perCapture(a.cpu.bench + b.cpu.bench),
      server: perCapture(a.cpu.server + b.cpu.server),
    },
    medianId: a.medianId,
  };
}

export async function lifecycle(stack: Stack, sizes: number[]) {
  const rows = [];
  for (const n of sizes) {
    const product1 = () => lifecycleProduct(stack.client, stack.productQueue, n);
    const baseline1 = () => lifecycleBaseline(stack.client, stack.baselineQueue, n);
    const p1 = await measured(stack, product1);
    const b1 = await measured(stack, baseline1);
    const b2 = await measured(stack, baseline1);
    const p2 = await measured(stack, product1);
    const product = combine(p1, p2);
    const baseline = combine(b1, b2);
    const rt = ratio(product.perSecond, baseline.perSecond);
    rows.push({ n, product, baseline, ratio: rt, target: '≥ 0.9× baseline', met: rt >= 0.9 });
  }
  return rows;
}
