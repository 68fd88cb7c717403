/** Builds a capture worker from its parts; used by the worker process and by the tests. */
import { type NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { createActivities } from '../activities';
import { createSweepActivities } from '../activities/sweep';
import { createWebhookActivities } from '../activities/webhooks';
import { AgoraClient } from '../agora';
import { agoraTaskQueue } from '../workflows/agora-task-queue';
import { CaptureWorker } from './capture-worker';
import type { WorkerConfig } from './config';
import { credentialSource } from './credential-source';
import { bundleCaptureWorkflows } from './workflow-bundle';

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
    Partial<
      Pick<
        WorkerConfig,
        | 'WORKER_SHUTDOWN_GRACE_SECONDS'
        | 'WORKER_MAX_CACHED_WORKFLOWS'
        | 'AGORA_QPS'
        | 'AGORA_CUSTOMER_ID_FILE'
        | 'AGORA_CUSTOMER_SECRET_FILE'
        | 'AGORA_APP_CERTIFICATE_FILE'
        | 'webhookSecrets'
        | 'AGORA_CAPTURE_WEBHOOK_RETRY_INITIAL_MS'
        | 'AGORA_CAPTURE_WEBHOOK_RETRY_MAX_MS'
        | 'AGORA_CAPTURE_WEBHOOK_GIVE_UP_HOURS'
        | 'AGORA_CAPTURE_WEBHOOK_TIMEOUT_MS'
      >
    >;
  /** A prebuilt bundle (from bundleCaptureWorkflows); default: bundle workflows/ at start-up. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Options of the workflow worker (the Agora worker keeps its own). */
  overrides?: Partial<WorkerOptions>;
}

/**
 * The dispatch rate for an App ID's QPS: 80% of it. The server paces the queue with a token
 * bucket per partition (4 by default) whose burst is one second's worth, rounded up: after a
 * quiet spell a burst of demand gets about burst + rate calls into one second, which Agora's
 * one-second window counts. At 80% that is ~16 calls for a limit of 10 (at 100%, ~22); the
 * excess is answered 429 and retried through the same limiter, so it stays a handful.
 */
export function agoraDispatchRate(qps: number): number {
  return qps * 0.8;
}

export async function createCaptureWorker({
  connection,
  config,
  workflowBundle,
  overrides,
}: CaptureWorkerParts): Promise<{ worker: CaptureWorker; agora: AgoraClient }> {
  const credentials = credentialSource(config);
  const agora = new AgoraClient({
    baseUrl: config.AGORA_REST_URL,
    appId: config.AGORA_APP_ID,
    customerId: config.AGORA_CUSTOMER_ID,
    customerSecret: config.AGORA_CUSTOMER_SECRET,
    requestTimeoutMs: config.AGORA_REQUEST_TIMEOUT_MS,
    refreshCredentials: () => credentials.customer(),
  });
  const activities = createActivities({
    agora,
    config: {
      appId: config.AGORA_APP_ID,
      appCertificate: () => credentials.appCertificate(),
      storageProfiles: config.storageProfiles,
      webhookSecretNames: Object.keys(config.webhookSecrets ?? {}),
    },
  });
  const shutdownGraceTime = `${config.WORKER_SHUTDOWN_GRACE_SECONDS ?? 30}s`;
  const workflows = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    // From source: bundled here by the one function that defines the bundle (preloaded modules,
    // interceptors), the same one the build, the tests and the replay use.
    workflowBundle: workflowBundle ?? (await bundleCaptureWorkflows(Runtime.instance().logger)),
    // Local activities run here, and activities of captures scheduled before the Agora queue
    // existed are still served from this queue; so are the product's non-Agora activities.
    activities: {
      ...activities,
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
    shutdownGraceTime,
    ...(config.WORKER_MAX_CACHED_WORKFLOWS !== undefined
      ? { maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS }
      : {}),
    ...overrides,
  });
  const agoraWorker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: agoraTaskQueue(config.TEMPORAL_TASK_QUEUE),
    activities,
    // Server-side, per task queue: the cluster's Agora calls stay within the App ID's QPS.
    // Every worker must set the same value (the server keeps the last poller's).
    maxTaskQueueActivitiesPerSecond: agoraDispatchRate(config.AGORA_QPS ?? 10),
    shutdownGraceTime,
  });
  return { worker: new CaptureWorker(workflows, agoraWorker), agora };
}
