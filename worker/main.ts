/**
 * The worker process (`npm run worker`). Config is validated before anything connects;
 * SIGINT/SIGTERM drain it: polling stops, in-flight activities get the grace time.
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { ConfigError, loadDotEnv, loadWorkerConfig } from './config';
import { createCaptureWorker } from './create-worker';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadWorkerConfig();
  Runtime.install({ logger: new DefaultLogger((process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO') });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const { worker, agora } = await createCaptureWorker({ connection, config });
    console.log(
      `agora-capture worker polling ${config.TEMPORAL_ADDRESS} namespace=${config.TEMPORAL_NAMESPACE} taskQueue=${config.TEMPORAL_TASK_QUEUE} agora=${config.AGORA_REST_URL}`,
    );
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
