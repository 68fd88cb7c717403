/** Builds a capture worker from its parts; used by the worker process and by the tests. */
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { createActivities } from '../activities';
import { createWebhookActivities } from '../activities/webhooks';
import { createSweepActivities } from '../activities/sweep';
import { AgoraClient } from '../agora';
import type { WorkerConfig } from './config';
import { PRELOAD_MODULES, WORKFLOWS_PATH } from './workflow-bundle';

export interface CaptureWorkerParts {
  connection: NativeConnection;
  config: Pick<
    WorkerConfig,
    | 'TEMPORAL_NAMESPACE'
    | 'TEMPORAL_TASK_QUEUE'
    | 'AGORA_REST_URL'
    | 'AGORA_APP_ID'
    | 'AGORA_CUSTOMER_ID'
    | 'AGORA_CUSTOMER_SECRET'
    | 'AGORA_APP_CERTIFICATE'
    | 'AGORA_REQUEST_TIMEOUT_MS'
    | 'storageProfiles'
  > &
    Partial<Pick<WorkerConfig, 'WORKER_SHUTDOWN_GRACE_SECONDS' | 'WORKER_MAX_CACHED_WORKFLOWS'>> &
    Partial<
      Pick<
        WorkerConfig,
        | 'webhookSecrets'
        | 'AGORA_CAPTURE_WEBHOOK_RETRY_INITIAL_MS'
        | 'AGORA_CAPTURE_WEBHOOK_RETRY_MAX_MS'
        | 'AGORA_CAPTURE_WEBHOOK_GIVE_UP_HOURS'
        | 'AGORA_CAPTURE_WEBHOOK_TIMEOUT_MS'
      >
    >;
  /** A prebuilt bundle (from bundleCaptureWorkflows); default: bundle workflows/ at start-up. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  overrides?: Partial<WorkerOptions>;
}

export async function createCaptureWorker({
  connection,
  config,
  workflowBundle,
  overrides,
}: CaptureWorkerParts) {
  const agora = new AgoraClient({
    baseUrl: config.AGORA_REST_URL,
    appId: config.AGORA_APP_ID,
    customerId: config.AGORA_CUSTOMER_ID,
    customerSecret: config.AGORA_CUSTOMER_SECRET,
    requestTimeoutMs: config.AGORA_REQUEST_TIMEOUT_MS,
  });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(workflowBundle
      ? { workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: PRELOAD_MODULES } }),
    activities: {
      ...createActivities({
        agora,
        config: {
          appId: config.AGORA_APP_ID,
          appCertificate: config.AGORA_APP_CERTIFICATE,
          storageProfiles: config.storageProfiles,
          webhookSecretNames: Object.keys(config.webhookSecrets ?? {}),
        },
      }),
      // Webhooks: the outbox hands events to the delivery workflow through this client.
      ...createWebhookActivities({
        client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
        config: {
          secrets: config.webhookSecrets ?? {},
          retry: {
            initialIntervalMs: config.AGORA_CAPTURE_WEBHOOK_RETRY_INITIAL_MS ?? 5_000,
            maximumIntervalMs: config.AGORA_CAPTURE_WEBHOOK_RETRY_MAX_MS ?? 3_600_000,
            giveUpAfterMs: (config.AGORA_CAPTURE_WEBHOOK_GIVE_UP_HOURS ?? 26) * 3_600_000,
          },
          timeoutMs: config.AGORA_CAPTURE_WEBHOOK_TIMEOUT_MS ?? 15_000,
        },
      }),
      // The sweeper's: they read closed captures through the worker's own client.
      ...createSweepActivities(),
    },
    shutdownGraceTime: `${config.WORKER_SHUTDOWN_GRACE_SECONDS ?? 30}s`,
    ...(config.WORKER_MAX_CACHED_WORKFLOWS !== undefined
      ? { maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS }
      : {}),
    ...overrides,
  });
  return { worker, agora };
}
