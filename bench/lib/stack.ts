/**
 * Everything one bench run shares: one dev server (the product's dynamic config), one client,
 * an Agora emulator, a callback receiver, and two in-process workers on their own task queues:
 * the product's (workflows/ bundle) and the bare baseline's (bench/baseline bundle). Both run
 * in this process so each ratio compares like with like.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { type Receiver, startReceiver } from '../../client/receiver';
import { type AgoraEmulator, startEmulator } from '../../emulator';
import { type DevServer, startDevServer, temporalCliPath } from '../../test/helpers/dev-server';
import { APP_ID, CUSTOMER_ID, SECRETS } from '../../test/helpers/fixtures';
import { NCS_SECRET } from '../../test/helpers/ncs';
import { workerEnv as testWorkerEnv } from '../../test/helpers/worker-env';
import { loadWorkerConfig } from '../../worker/config';
import { createCaptureWorker } from '../../worker/create-worker';
import { bundleCaptureWorkflows } from '../../worker/workflow-bundle';
import { createBaselineActivities } from '../baseline/activities';

export interface Stack {
  server: DevServer;
  cli: string;
  client: Client;
  emulator: AgoraEmulator;
  receiver: Receiver;
  productQueue: string;
  baselineQueue: string;
  /** Env for a product worker child process (capacity), on a task queue of its own. */
  workerEnv(taskQueue: string): Record<string, string>;
  close(): Promise<void>;
}

/** The tests' worker environment, with a longer Agora request timeout for a loaded machine. */
const workerEnv = (agoraUrl: string, address: string, taskQueue: string) =>
  testWorkerEnv(agoraUrl, address, taskQueue, true, 5000);

export async function startStack(): Promise<Stack> {
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const cli = temporalCliPath();
  const server = await startDevServer();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: 'default' });
  // No callback URL and no autoPublishers: the emulator only answers REST (no simulated
  // screenshots), so the bench's own callbacks are the only ones. Capacity needs >50 sessions.
  const emulator = await startEmulator({
    appId: APP_ID,
    customerId: CUSTOMER_ID,
    customerSecret: SECRETS.customerSecret,
    appCertificate: SECRETS.appCertificate,
    maxConcurrentTasks: 100_000,
  });
  const receiver = await startReceiver({ client, secrets: [NCS_SECRET] });

  const native = await NativeConnection.connect({ address: server.address });
  const productQueue = `bench-product-${randomUUID()}`;
  const baselineQueue = `bench-baseline-${randomUUID()}`;
  const logger = new DefaultLogger('WARN');
  const [productBundle, baselineBundle] = await Promise.all([
    bundleCaptureWorkflows(logger),
    bundleWorkflowCode({ workflowsPath: path.join(__dirname, '..', 'baseline', 'workflows.ts'), logger }),
  ]);
  const config = loadWorkerConfig(workerEnv(emulator.url, server.address, productQueue));
  const product = await createCaptureWorker({
    connection: native,
    config: { ...config, WORKER_SHUTDOWN_GRACE_SECONDS: 1 },
    workflowBundle: productBundle,
    ...(process.env.BENCH_DEBUG_MODE ? { overrides: { debugMode: true } } : {}),
  });
  const baseline = await Worker.create({
    connection: native,
    taskQueue: baselineQueue,
    workflowBundle: baselineBundle,
    activities: createBaselineActivities(),
    shutdownGraceTime: '1s',
  });
  const running = [product.worker.run(), baseline.run()];

  return {
    server,
    cli,
    client,
    emulator,
    receiver,
    productQueue,
    baselineQueue,
    workerEnv: (q) => workerEnv(emulator.url, server.address, q),
    close: async () => {
      product.worker.shutdown();
      baseline.shutdown();
      await Promise.allSettled(running);
      await product.agora.close();
      await receiver.close({ graceMs: 500 });
      await emulator.close();
      await connection.close();
      await native.close();
      await server.stop();
    },
  };
}
