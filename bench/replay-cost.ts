/**
 * `npm run bench:replay`: the workflow code's own CPU per capture, measured by replaying
 * recorded histories in this process — no server, no activities, no network, so it moves only
 * when workflow code (or the SDK) does, and a change can be judged in seconds. Replays the
 * product's synchronous start → stop history (test/replay/histories) and the no-op baseline's
 * (bench/baseline/histories, same acquire → start → wait → stop shape), each N times after a
 * warm-up, and prints CPU ms per replay and the ratio. Replay runs the same workflow code,
 * SDK promise hooks included, as a live worker's workflow thread does for the same history.
 *
 * `--record-baseline` records the baseline's history again on a dev server of its own.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { connectCloseSafe } from '../client/grpc-retry';
import { startDevServer } from '../test/helpers/dev-server';
import { bundleCaptureWorkflows } from '../worker/workflow-bundle';
import { createBaselineActivities } from './baseline/activities';
import { baselineCaptureWorkflow } from './baseline/workflows';

const ROOT = path.join(__dirname, '..');
const PRODUCT_HISTORY = path.join(ROOT, 'test', 'replay', 'histories', 'sync-start-stop-update.json');
const BASELINE_HISTORY = path.join(__dirname, 'baseline', 'histories', 'noop-capture.json');
const BASELINE_WORKFLOWS = path.join(__dirname, 'baseline', 'workflows.ts');
const WARMUP = 50;

const logger = new DefaultLogger('WARN');

async function recordBaseline(): Promise<void> {
  const server = await startDevServer();
  const connection = await connectCloseSafe({ address: server.address });
  const native = await NativeConnection.connect({ address: server.address });
  try {
    const client = new Client({ connection });
    const worker = await Worker.create({
      connection: native,
      taskQueue: 'replay-cost-baseline',
      workflowsPath: BASELINE_WORKFLOWS,
      activities: createBaselineActivities(),
    });
    const workflowId = 'replay-cost-baseline';
    await worker.runUntil(
      client.workflow.execute(baselineCaptureWorkflow, {
        taskQueue: 'replay-cost-baseline',
        workflowId,
        args: [{ id: workflowId, durationSeconds: 1 }],
      }),
    );
    writeFileSync(
      BASELINE_HISTORY,
      historyToJSON(await client.workflow.getHandle(workflowId).fetchHistory()),
    );
    process.stdout.write(`recorded ${path.relative(ROOT, BASELINE_HISTORY)}\n`);
  } finally {
    await native.close();
    await connection.close();
    await server.stop();
  }
}

/** CPU ms (this process, all threads) per replay of `history`, over `n` replays after a warm-up. */
async function cpuPerReplay(
  bundle: WorkflowBundleWithSourceMap,
  history: temporal.api.history.v1.IHistory,
  n: number,
): Promise<number> {
  const batch = (k: number) => Array.from({ length: k }, (_, i) => ({ workflowId: `replay-${i}`, history }));
  const replay = async (k: number) => {
    for await (const r of Worker.runReplayHistories({ workflowBundle: bundle }, batch(k)))
      if (r.error) throw r.error;
  };
  await replay(WARMUP);
  const before = process.cpuUsage();
  await replay(n);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / n;
}

const load = (file: string) => historyFromJSON(JSON.parse(readFileSync(file, 'utf8')));

async function main(): Promise<void> {
  Runtime.install({ logger });
  if (process.argv.includes('--record-baseline')) return recordBaseline();
  const n = Number(process.argv.find((a) => a.startsWith('--n='))?.slice(4) ?? 300);
  const product = await bundleCaptureWorkflows(logger);
  const baseline = await bundleWorkflowCode({ workflowsPath: BASELINE_WORKFLOWS, logger });
  const p = await cpuPerReplay(product, load(PRODUCT_HISTORY), n);
  const b = await cpuPerReplay(baseline, load(BASELINE_HISTORY), n);
  process.stdout.write(
    `workflow code CPU per capture (replay, ${n} each): product ${p.toFixed(1)} ms, ` +
      `no-op baseline ${b.toFixed(1)} ms, ratio ${(p / b).toFixed(2)}\n`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
