/**
 * One integration harness per test file: the run's shared Temporal dev server, a real Agora
 * emulator on loopback, and a real capture worker (in this process) on its own task queue.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { inject } from 'vitest';
import { type StartedCapture, startCapture } from '../../client/api';
import { connectCloseSafe } from '../../client/grpc-retry';
import { type Receiver, startReceiver } from '../../client/receiver';
import { type AgoraEmulator, type EmulatorOptions, startEmulator } from '../../emulator';
import { loadWorkerConfig } from '../../worker/config';
import { type CaptureWorkerParts, createCaptureWorker } from '../../worker/create-worker';
import { bundleCaptureWorkflows } from '../../worker/workflow-bundle';
import type { CaptureRequestInput } from '../../workflows/request';
import { APP_ID, CUSTOMER_ID, SECRETS, offlineStorageProfile } from './fixtures';
import type { TestS3 } from './global-setup-s3';
import { NCS_SECRET } from './ncs';
import { s3StorageProfile } from './s3';
import { workerEnv } from './worker-env';

export { workerEnv };

let runtimeInstalled = false;
let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

export function installTestRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
}

/** The workflow bundle, built once per test process. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleCaptureWorkflows(new DefaultLogger('WARN'));
  return bundle;
}

/**
 * The test's Temporal connections: a client over grpc-js with the product's close-safe retry
 * interceptor (client/grpc-retry.ts: the SDK's own throws from a retry timer that fires after the
 * close, an uncaught error in the test process), and the worker's native connection.
 */
export interface HarnessEnv {
  client: Client;
  nativeConnection: NativeConnection;
  teardown(): Promise<void>;
}

async function connectEnv(address: string): Promise<HarnessEnv> {
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await connectCloseSafe({ address });
  return {
    client: new Client({ connection, namespace: 'default' }),
    nativeConnection,
    teardown: async () => {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

export interface Harness {
  env: HarnessEnv;
  emulator: AgoraEmulator;
  /** The callback receiver, when the harness was asked for callbacks. */
  receiver?: Receiver;
  taskQueue: string;
  /** The run's S3 server, when the harness was asked for it (`s3: true`). */
  s3?: TestS3;
  /** The worker's "default" storage profile (pass it to workerEnv for extra workers). */
  storageProfile: Record<string, unknown>;
  start(req: CaptureRequestInput): Promise<StartedCapture>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: {
    emulator?: Partial<EmulatorOptions>;
    inProcessWorker?: boolean;
    address?: string;
    /** Agora callbacks: a receiver, and the emulator's signed callbacks sent to it. */
    callbacks?: boolean;
    /** Worker variables over workerEnv()'s (e.g. AGORA_CAPTURE_WEBHOOK_SECRETS; an empty string unsets one). */
    workerEnv?: Record<string, string>;
    /**
     * Screenshots in the run's real S3 server: the emulator uploads vendor-1 files there and the
     * worker's profile holds its enforced key pair and endpoint. Default: the local folder.
     */
    s3?: boolean;
    /** The worker's AGORA_REQUEST_TIMEOUT_MS (default 3000). */
    requestTimeoutMs?: number;
    /** Options of the in-process workflow worker over the product's (e.g. an activity interceptor). */
    workerOverrides?: CaptureWorkerParts['overrides'];
  } = {},
): Promise<Harness> {
  installTestRuntime();
  const address = opts.address ?? inject('temporalAddress');
  const env = await connectEnv(address);
  const receiver = opts.callbacks
    ? await startReceiver({ client: env.client, secrets: [NCS_SECRET] })
    : undefined;
  const s3 = opts.s3 ? inject('s3') : undefined;
  const profile = s3 ? s3StorageProfile(s3) : offlineStorageProfile();
  const emulator = await startEmulator({
    ...(receiver ? { callback: { url: `${receiver.url}/agora/ncs`, secret: NCS_SECRET } } : {}),
    ...(s3 ? { s3Endpoint: s3.endpoint } : {}),
    appId: APP_ID,
    customerId: CUSTOMER_ID,
    customerSecret: SECRETS.customerSecret,
    appCertificate: SECRETS.appCertificate,
    ...opts.emulator,
  });
  const taskQueue = `capture-test-${randomUUID()}`;
  let stopWorker = async () => {};
  if (opts.inProcessWorker !== false) {
    const config = loadWorkerConfig({
      ...workerEnv(emulator.url, address, taskQueue, true, opts.requestTimeoutMs ?? 3000, profile),
      ...opts.workerEnv,
    });
    const { worker, agora } = await createCaptureWorker({
      connection: env.nativeConnection,
      config: { ...config, WORKER_SHUTDOWN_GRACE_SECONDS: 1 },
      workflowBundle: await workflowBundle(),
      ...(opts.workerOverrides ? { overrides: opts.workerOverrides } : {}),
    });
    const running = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await running;
      await agora.close();
    };
  }
  return {
    env,
    emulator,
    receiver,
    taskQueue,
    ...(s3 ? { s3 } : {}),
    storageProfile: profile,
    // Fire-and-forget, as the tests were written: they follow the workflow, not the start call.
    start: (req) => startCapture(env.client, taskQueue, req, { wait: false }),
    close: async () => {
      await stopWorker();
      await emulator.close();
      await receiver?.close();
      await env.teardown();
    },
  };
}
