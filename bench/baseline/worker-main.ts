/**
 * A baseline worker as its own process, like the product's worker (test/helpers/worker-process.ts
 * starts both), so each one's RSS and CPU is read from /proc. Env: TEMPORAL_ADDRESS,
 * TEMPORAL_TASK_QUEUE, BASELINE_KIND (`noop`, default, or `rest`), and for `rest`
 * AGORA_REST_URL and AGORA_DISPATCH_RATE: the REST baseline polls `<queue>-agora` with the
 * server-side dispatch rate the product's worker sets (the bench computes it with the product's
 * agoraDispatchRate; importing worker/ here would weigh this process down with the product's code). Prints "worker polling" like worker/main.ts.
 * WORKER_WORKFLOW_BUNDLE_PATH (as for the product's worker): load this prebuilt bundle of
 * workflows.ts instead of bundling it at start-up (the bench prebuilds both sides' bundles).
 */
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createBaselineActivities, createRestBaselineActivities } from './activities';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE!;
  const rest = process.env.BASELINE_KIND === 'rest';
  const bundlePath = process.env.WORKER_WORKFLOW_BUNDLE_PATH;
  const workflows = await Worker.create({
    connection,
    taskQueue,
    ...(bundlePath
      ? { workflowBundle: { codePath: bundlePath } }
      : { workflowsPath: path.join(__dirname, 'workflows.ts') }),
    ...(rest ? {} : { activities: createBaselineActivities() }),
    shutdownGraceTime: '1s',
  });
  const workers = [workflows];
  if (rest)
    workers.push(
      await Worker.create({
        connection,
        taskQueue: `${taskQueue}-agora`,
        activities: createRestBaselineActivities(process.env.AGORA_REST_URL!),
        maxTaskQueueActivitiesPerSecond: Number(process.env.AGORA_DISPATCH_RATE),
        shutdownGraceTime: '1s',
      }),
    );
  console.log(`baseline worker polling (${rest ? 'rest' : 'noop'})`);
  await Promise.all(workers.map((w) => w.run()));
  await connection.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
