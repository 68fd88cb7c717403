/**
 * Capacity: N concurrent active captures on ONE worker child process (as production runs it),
 * then each baseline's N waiting workflows (no-op, and the REST baseline whose process also
 * serves its Agora queue, as the product's does) on one baseline worker child. Per process: CPU
 * seconds to bring them up, RSS once all are active, CPU% while they sit idle (timers,
 * health checks), CPU to stop them all; history events per capture (a few described).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { getCapture, startCapture, stopCapture, waitForCapture } from '../../client/api';
import {
  baselineCaptureWorkflow,
  baselineRestCaptureWorkflow,
  baselineStopSignal,
} from '../baseline/workflows';
import { spawnChild } from '../lib/child';
import type { Stack } from '../lib/stack';
import { pool, sleep, until } from '../lib/pool';
import { cpuSeconds, rssMb } from '../lib/proc';
import { baselineId, benchRequest } from '../lib/requests';
import { r1, ratio } from '../lib/stats';

const IDLE_WINDOW_MS = 20_000;
const POLLING = /worker polling/;

interface Side {
  pid: number;
  start: (i: number) => Promise<string>;
  active: (ids: string[]) => Promise<boolean>;
  stop: (id: string) => Promise<void>;
}

async function measure(client: Client, n: number, side: Side) {
  const { pid } = side;
  const rss0 = rssMb(pid);
  const c0 = cpuSeconds(pid);
  const t0 = Date.now();
  const ids = await pool(n, 32, side.start);
  await until(async () => ((await side.active(ids)) ? true : undefined), 600_000, 'all active', 500);
  const rampS = (Date.now() - t0) / 1000;
  const c1 = cpuSeconds(pid);
  const rssActive = rssMb(pid);
  await sleep(IDLE_WINDOW_MS);
  const c2 = cpuSeconds(pid);
  const rssIdle = rssMb(pid);
  const sample = [ids[0]!, ids[Math.floor(n / 2)]!, ids[n - 1]!];
  const activeHistory = await Promise.all(
    sample.map(async (id) => (await client.workflow.getHandle(id).describe()).historyLength),
  );
  const t3 = Date.now();
  await pool(n, 32, (i) => side.stop(ids[i]!));
  const stopS = (Date.now() - t3) / 1000;
  const c3 = cpuSeconds(pid);
  const finalHistory = await Promise.all(
    sample.map(async (id) => (await client.workflow.getHandle(id).describe()).historyLength),
  );
  return {
    n,
    rssMb: {
      beforeStart: rss0,
      allActive: rssActive,
      afterIdle: rssIdle,
      perCaptureKb: Math.round(((rssIdle - rss0) * 1024) / n),
    },
    cpu: {
      rampSeconds: r1(rampS),
      rampCpuSeconds: r1(c1 - c0),
      idleCpuPercent: r1(((c2 - c1) / (IDLE_WINDOW_MS / 1000)) * 100),
      stopAllSeconds: r1(stopS),
      stopCpuSeconds: r1(c3 - c2),
    },
    historyEvents: { whileActive: activeHistory, afterStop: finalHistory, sampleIds: sample },
  };
}

export async function capacity(stack: Stack, n: number) {
  const queue = `bench-capacity-${randomUUID()}`;
  const worker = await spawnChild(
    'worker/main.ts',
    [],
    { ...stack.workerEnv(queue), LOG_LEVEL: 'WARN' },
    POLLING,
  );
  const activeBefore = (await stack.emulator.ledger()).filter((e) => e.active).length;
  let product;
  try {
    product = await measure(stack.client, n, {
      pid: worker.pid,
      start: async () => (await startCapture(stack.client, queue, benchRequest(3600))).workflowId,
      // Active = Agora start answered and the capture says CAPTURING; sampled to spare the worker.
      active: async (ids) => {
        const started = (await stack.emulator.ledger()).filter((e) => e.active).length;
        if (started < activeBefore + ids.length) return false;
        // A worker busy bringing 1,000 captures up may let a status query time out: not yet.
        const s = await Promise.all(ids.slice(-5).map((id) => getCapture(stack.client, id))).catch(() => []);
        return s.length > 0 && s.every((x) => x.phase === 'CAPTURING');
      },
      stop: async (id) => {
        await stopCapture(stack.client, id);
        await waitForCapture(stack.client, id);
      },
    });
  } finally {
    await worker.stop();
  }

  const baseline = await baselineSide(stack, n, 'noop');
  const restBaseline = await baselineSide(stack, n, 'rest');
  const vs = (b: typeof baseline) => ({
    rss: ratio(product.rssMb.afterIdle, b.rssMb.afterIdle),
    rampCpu: ratio(product.cpu.rampCpuSeconds, b.cpu.rampCpuSeconds),
    idleCpu: ratio(product.cpu.idleCpuPercent || 0.1, b.cpu.idleCpuPercent || 0.1),
  });
  const restRatio = vs(restBaseline);
  return {
    product,
    baseline,
    restBaseline,
    ratio: vs(baseline),
    restRatio,
    target: 'RSS ≤ 1.1× the REST baseline worker',
    met: restRatio.rss <= 1.1,
  };
}

/** One baseline worker process of `kind` with N waiting workflows. */
async function baselineSide(stack: Stack, n: number, kind: 'noop' | 'rest') {
  const bqueue = `bench-capacity-${kind}-${randomUUID()}`;
  const bworker = await spawnChild(
    'bench/baseline/worker-main.ts',
    [],
    { ...stack.baselineEnv(bqueue, kind), LOG_LEVEL: 'WARN' },
    POLLING,
  );
  try {
    return await measure(stack.client, n, {
      pid: bworker.pid,
      start: async () => {
        const id = baselineId(`cap-${kind}`);
        if (kind === 'rest')
          await stack.client.workflow.start(baselineRestCaptureWorkflow, {
            taskQueue: bqueue,
            workflowId: id,
            args: [{ cname: id, durationSeconds: 3600 }],
          });
        else
          await stack.client.workflow.start(baselineCaptureWorkflow, {
            taskQueue: bqueue,
            workflowId: id,
            args: [{ id, durationSeconds: 3600 }],
          });
        return id;
      },
      // Active = its timer started (event 17): acquire and start done, the workflow sits in its wait.
      active: async (ids) => {
        const h = await Promise.all(
          ids
            .slice(-5)
            .map(async (id) => (await stack.client.workflow.getHandle(id).describe()).historyLength),
        );
        return h.every((x) => x >= 17);
      },
      stop: async (id) => {
        const h = stack.client.workflow.getHandle(id);
        await h.signal(baselineStopSignal);
        await h.result();
      },
    });
  } finally {
    await bworker.stop();
  }
}
