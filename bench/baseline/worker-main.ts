/**
 * The baseline worker as its own process, so the capacity scenario can read its RSS and CPU
 * from /proc exactly as for the product's worker; both start through test/helpers/worker-process.ts.
 * Env: TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE. Prints "worker polling" like worker/main.ts.
 */
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createBaselineActivities } from './activities';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    taskQueue: process.env.TEMPORAL_TASK_QUEUE!,
    workflowsPath: path.join(__dirname, 'workflows.ts'),
    activities: createBaselineActivities(),
    shutdownGraceTime: '1s',
  });
  console.log('baseline worker polling');
  await worker.run();
  await connection.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
