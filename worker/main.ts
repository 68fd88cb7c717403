/**
 * The worker process (`npm start` runs the build, `npm run worker` the sources). Config is validated before anything connects;
 * SIGINT/SIGTERM drain it: polling stops, in-flight activities get the grace time. Logs are
 * JSON lines on stdout (LOG_FORMAT=json, the default); WORKER_METRICS_ADDRESS turns on /metrics.
 */
import { NativeConnection } from '@temporalio/worker';
import { connectionOptions, describeTemporalTarget } from '../client/temporal-connection';
import { ConfigError, loadDotEnv, loadWorkerConfig } from './config';
import { createCaptureWorker } from './create-worker';
import { checkNamespacePrepared } from './namespace-check';
import { announce, installRuntime } from './telemetry';
import { chooseWorkflowCode } from './workflow-bundle';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadWorkerConfig();
  const code = chooseWorkflowCode(config);
  installRuntime(config);
  const connection = await NativeConnection.connect(connectionOptions(config.temporal));
  try {
    await checkNamespacePrepared(connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_TASK_QUEUE);
    const { worker, agora } = await createCaptureWorker({
      connection,
      config,
      ...(code.prebuilt ? { workflowBundle: { codePath: code.prebuilt } } : {}),
    });
    announce(config, `agora-capture worker polling ${describeTemporalTarget(config.temporal)}`, {
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      agora: config.AGORA_REST_URL,
      workflows: code.prebuilt ?? 'bundled from source at start-up',
      metrics: config.WORKER_METRICS_ADDRESS ? `http://${config.WORKER_METRICS_ADDRESS}/metrics` : 'off',
    });
    await worker.run();
    await agora.close();
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
