/**
 * Start latency, sequential and interleaved product / no-op baseline / REST baseline. Product
 * and REST baseline: client start → Agora `start` received by the emulator (its request `at`,
 * Date.now on the same machine clock, matched by the session's sid). No-op baseline: client
 * start → its `start` activity began (the activity returns Date.now). One capture at a time,
 * each 1 s long and awaited to its end before the next, so nothing else runs while a start is
 * timed and nothing polls the emulator or the workflow while it is timed.
 */
import { getCapture, startCapture, waitForCapture } from '../../client/api';
import { baselineCaptureWorkflow, baselineRestCaptureWorkflow } from '../baseline/workflows';
import type { Stack } from '../lib/stack';
import { baselineId, benchRequest } from '../lib/requests';
import { startPath } from '../lib/start-path';
import { ratio, summary } from '../lib/stats';

const WARMUP = 3;

interface Once {
  t0: number;
  id: string;
  /** Sid whose emulator `start` request marks the start; or the start time itself. */
  sid?: string;
  at?: number;
}

/** `wait`: the default synchronous start (update-with-start); false: `--no-wait` (a plain start). */
async function productOnce(stack: Stack, wait = true): Promise<Once> {
  const t0 = Date.now();
  const { workflowId } = await startCapture(stack.client, stack.productQueue, benchRequest(1), { wait });
  await waitForCapture(stack.client, workflowId);
  const { sid } = await getCapture(stack.client, workflowId);
  if (!sid) throw new Error(`capture ${workflowId} has no sid`);
  return { t0, id: workflowId, sid };
}

async function noopOnce(stack: Stack): Promise<Once> {
  const id = baselineId('start');
  const t0 = Date.now();
  const at = await stack.client.workflow.execute(baselineCaptureWorkflow, {
    taskQueue: stack.baselineQueue,
    workflowId: id,
    args: [{ id, durationSeconds: 1 }],
  });
  return { t0, id, at };
}

async function restOnce(stack: Stack): Promise<Once> {
  const id = baselineId('rest-start');
  const t0 = Date.now();
  const sid = await stack.client.workflow.execute(baselineRestCaptureWorkflow, {
    taskQueue: stack.restQueue,
    workflowId: id,
    args: [{ cname: id, durationSeconds: 1 }],
  });
  return { t0, id, sid };
}

export async function startLatency(stack: Stack, n: number) {
  const runs = { product: [] as Once[], productNoWait: [] as Once[], noop: [] as Once[], rest: [] as Once[] };
  // Interleaved, so a load swing on the shared machine hits all sides alike. The first few
  // of each pay for cold caches and JIT: run, not kept.
  for (let i = -WARMUP; i < n; i++) {
    const p = await productOnce(stack);
    const b = await noopOnce(stack);
    const r = await restOnce(stack);
    const pn = await productOnce(stack, false);
    if (i < 0) continue;
    runs.product.push(p);
    runs.productNoWait.push(pn);
    runs.noop.push(b);
    runs.rest.push(r);
  }
  const startAt = new Map<string, number>();
  for (const q of await stack.emulator.requests())
    if (q.endpoint === 'start' && q.status === 200 && q.sid) startAt.set(q.sid, q.at);
  const ms = (o: Once) => {
    const at = o.at ?? startAt.get(o.sid!);
    if (at === undefined) throw new Error(`no Agora start recorded for ${o.id}`);
    return at - o.t0;
  };
  const p = summary(runs.product.map(ms));
  const pn = summary(runs.productNoWait.map(ms));
  const b = summary(runs.noop.map(ms));
  const r = summary(runs.rest.map(ms));
  const path = (list: Once[]) =>
    startPath(
      stack.client,
      list.map((o) => ({ id: o.id, t0: o.t0, agoraStartAt: o.t0 + ms(o) })),
    );
  const mid = Math.floor(n / 2);
  return {
    product: p,
    /** The same product start without waiting for the sid (`--no-wait`: a plain workflow start). */
    productNoWait: pn,
    baseline: b,
    restBaseline: r,
    ratio: { p50: ratio(p.p50, b.p50), p95: ratio(p.p95, b.p95), p99: ratio(p.p99, b.p99) },
    restRatio: { p50: ratio(p.p50, r.p50), p95: ratio(p.p95, r.p95), p99: ratio(p.p99, r.p99) },
    target: '≤ 1.1× the REST baseline (p50)',
    met: p.p50 <= 1.1 * r.p50,
    /** Median of each leg of the path to Agora's start, per side (bench/lib/start-path.ts). */
    path: { product: await path(runs.product), restBaseline: await path(runs.rest) },
    sampleIds: { product: runs.product[mid]!.id, baseline: runs.noop[mid]!.id, rest: runs.rest[mid]!.id },
  };
}
