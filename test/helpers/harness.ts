/**
 * One integration harness per test file: the run's shared Temporal dev server, a real Agora
 * emulator on loopback, and a real capture worker (in this process) on its own task queue.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { inject } from 'vitest';
import { startCapture } from '../../client/api';
import { type Receiver, startReceiver } from '../../client/receiver';
import { type AgoraEmulator, type EmulatorOptions, startEmulator } from '../../emulator';
import { loadWorkerConfig } from '../../worker/config';
import { createCaptureWorker } from '../../worker/create-worker';
import { bundleCaptureWorkflows } from '../../worker/workflow-bundle';
import type { CaptureRequestInput } from '../../workflows/request';
import { APP_ID, CUSTOMER_ID, SECRETS, storageProfile } from './fixtures';
import { NCS_SECRET } from './ncs';

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

/** Writes a storage profiles file and returns worker environment variables pointing at `agoraUrl`. */
export function workerEnv(
  agoraUrl: string,
  temporalAddress: string,
  taskQueue: string,
  certificate = true,
): Record<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'agora-capture-'));
  const profiles = path.join(dir, 'storage-profiles.json');
  writeFileSync(profiles, JSON.stringify({ default: storageProfile() }));
  return {
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    AGORA_REST_URL: agoraUrl,
    AGORA_APP_ID: APP_ID,
    AGORA_CUSTOMER_ID: CUSTOMER_ID,
    AGORA_CUSTOMER_SECRET: SECRETS.customerSecret,
    AGORA_STORAGE_PROFILES: profiles,
    AGORA_REQUEST_TIMEOUT_MS: '3000',
    ...(certificate ? { AGORA_APP_CERTIFICATE: SECRETS.appCertificate } : {}),
  };
}

export interface Harness {
  env: TestWorkflowEnvironment;
  emulator: AgoraEmulator;
  /** The callback receiver, when the harness was asked for callbacks. */
  receiver?: Receiver;
  taskQueue: string;
  start(req: CaptureRequestInput): Promise<{ workflowId: string; runId: string }>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: {
    emulator?: Partial<EmulatorOptions>;
    inProcessWorker?: boolean;
    address?: string;
    /** Agora callbacks: a receiver, and the emulator's signed callbacks sent to it. */
    callbacks?: boolean;
  } = {},
): Promise<Harness> {
  installTestRuntime();
  const address = opts.address ?? inject('temporalAddress');
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address });
  const receiver = opts.callbacks
    ? await startReceiver({ client: env.client, secrets: [NCS_SECRET] })
    : undefined;
  const emulator = await startEmulator({
    ...(receiver ? { callback: { url: `${receiver.url}/agora/ncs`, secret: NCS_SECRET } } : {}),
    appId: APP_ID,
    customerId: CUSTOMER_ID,
    customerSecret: SECRETS.customerSecret,
    appCertificate: SECRETS.appCertificate,
    ...opts.emulator,
  });
  const taskQueue = `capture-test-${randomUUID()}`;
  let stopWorker = async () => {};
  if (opts.inProcessWorker !== false) {
    const config = loadWorkerConfig(workerEnv(emulator.url, address, taskQueue));
    const { worker, agora } = await createCaptureWorker({
      connection: env.nativeConnection,
      config: { ...config, WORKER_SHUTDOWN_GRACE_SECONDS: 1 },
      workflowBundle: await workflowBundle(),
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
    start: (req) => startCapture(env.client, taskQueue, req),
    close: async () => {
      await stopWorker();
      await emulator.close();
      await receiver?.close();
      await env.teardown();
    },
  };
}
