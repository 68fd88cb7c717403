/**
 * Everything one bench run shares: one Temporal server (the CLI's dev server, or with
 * `--server=postgres` the real server on PostgreSQL prepared by `agora-capture setup`), one
 * client, and each part in a process of its own: the Agora emulator, the callback receiver,
 * the customer's S3 storage (SeaweedFS or moto), the product's worker (worker/main.ts) and two baseline
 * workers (bench/baseline/worker-main.ts: no-op activities, and the same Agora REST calls on the
 * product's queue layout). Every worker loads a workflow bundle prebuilt here before it starts,
 * as production loads `npm run build`'s. This process is the load generator. CPU is read per
 * process from /proc, so each cost lands where it is paid.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from '@temporalio/client';
import { type DevServer, startDevServer, temporalCliPath } from '../../test/helpers/dev-server';
import { prepareCaptureServer } from '../../test/helpers/prepare-capture-server';
import { startRealServer, temporalServerDir } from '../../test/helpers/real-server';
import { workerEnv as testWorkerEnv } from '../../test/helpers/worker-env';
import { agoraDispatchRate } from '../../worker/create-worker';
import { type BenchBundles, prebuildBundles } from './bundles';
import { track } from './children';
import { type Child, runCompiled, spawnChild } from './child';
import { compileProcesses } from './compiled';
import {
  type EmulatorPart,
  type ReceiverPart,
  type StoragePart,
  startEmulatorPart,
  startReceiverPart,
  startStoragePart,
  type StorageKind,
} from './parts';
import { connectCloseSafe } from '../../client/grpc-retry';

export type ServerKind = 'dev' | 'postgres';

/**
 * The App ID QPS the bench's workers are given: the emulator enforces no rate limit here, and
 * the product and the REST baseline get the same server-side dispatch rate on their Agora queue.
 */
export const BENCH_AGORA_QPS = 1000;

export interface Stack {
  serverKind: ServerKind;
  server: DevServer;
  /** The server binary (the CLI, or the real server's `server`), for the report's version line. */
  serverBinary: string;
  client: Client;
  emulator: EmulatorPart;
  receiver: ReceiverPart;
  storage: StoragePart;
  productQueue: string;
  baselineQueue: string;
  restQueue: string;
  /** pid of each process whose CPU the bench reports. */
  pids(): Record<string, number>;
  /** Env for a product worker child process (capacity), on a task queue of its own. */
  workerEnv(taskQueue: string): Record<string, string>;
  /** Env for a baseline worker child (capacity). */
  baselineEnv(taskQueue: string, kind: 'noop' | 'rest'): Record<string, string>;
  close(): Promise<void>;
}

/** What every worker of the run is pointed at. */
interface Targets {
  agoraUrl: string;
  address: string;
  storage: StoragePart;
  bundles: BenchBundles;
}

/**
 * The tests' worker environment, with a longer Agora request timeout for a loaded machine, the
 * run's reachable storage as the "default" profile and the prebuilt product bundle.
 */
const workerEnv = (t: Targets, taskQueue: string) => ({
  ...testWorkerEnv(t.agoraUrl, t.address, taskQueue, true, 5000, t.storage.profile),
  AGORA_QPS: String(BENCH_AGORA_QPS),
  WORKER_WORKFLOW_BUNDLE_PATH: t.bundles.product,
});

const baselineEnv = (t: Targets, taskQueue: string, kind: 'noop' | 'rest') => ({
  TEMPORAL_ADDRESS: t.address,
  TEMPORAL_TASK_QUEUE: taskQueue,
  BASELINE_KIND: kind,
  AGORA_REST_URL: t.agoraUrl,
  AGORA_DISPATCH_RATE: String(agoraDispatchRate(BENCH_AGORA_QPS)),
  WORKER_WORKFLOW_BUNDLE_PATH: t.bundles.baseline,
});

/** The PostgreSQL postmaster behind the real server (found from the server's --root folder). */
function postmasterPid(serverPid: number): number | undefined {
  try {
    const args = readFileSync(`/proc/${serverPid}/cmdline`, 'utf8').split('\0');
    const root = args[args.indexOf('--root') + 1];
    return Number(readFileSync(`${root}/pg/postmaster.pid`, 'utf8').split('\n')[0]) || undefined;
  } catch {
    return undefined;
  }
}

/** Names a part for BENCH_PROFILE (bench/lib/child.ts). */
const part = (name: string) => ({ BENCH_PART: name });

export async function startStack(
  serverKind: ServerKind,
  storageKind: StorageKind = 'seaweedfs',
): Promise<Stack> {
  let server: DevServer;
  let serverBinary: string;
  if (serverKind === 'postgres') {
    serverBinary = `${temporalServerDir()}/server`;
    server = await startRealServer();
    await prepareCaptureServer(server.address);
  } else {
    serverBinary = temporalCliPath();
    server = await startDevServer();
  }
  track(server.process);
  const connection = await connectCloseSafe({
    address: server.address,
  });
  const client = new Client({ connection, namespace: 'default' });
  // Every process below runs compiled JavaScript, as in production (bench/lib/compiled.ts).
  const js = compileProcesses();
  // Bundled once from that JavaScript, before any worker starts: no worker runs webpack
  // (bench/lib/bundles.ts).
  const bundles = await prebuildBundles(js);
  runCompiled((ts) => js.script(ts));
  const emulator = await startEmulatorPart(part('emulator'));
  const receiver = await startReceiverPart(server.address, part('receiver'));
  const storage = await startStoragePart(storageKind);
  const targets: Targets = { agoraUrl: emulator.url, address: server.address, storage, bundles };
  const productQueue = `bench-product-${randomUUID()}`;
  const baselineQueue = `bench-baseline-${randomUUID()}`;
  const restQueue = `bench-rest-${randomUUID()}`;
  const polling = /worker polling/;
  const workers: Child[] = await Promise.all([
    spawnChild(
      'worker/main.ts',
      [],
      {
        ...workerEnv(targets, productQueue),
        LOG_LEVEL: 'WARN',
        ...part('productWorker'),
      },
      polling,
    ),
    spawnChild(
      'bench/baseline/worker-main.ts',
      [],
      { ...baselineEnv(targets, baselineQueue, 'noop'), ...part('noopBaselineWorker') },
      polling,
    ),
    spawnChild(
      'bench/baseline/worker-main.ts',
      [],
      { ...baselineEnv(targets, restQueue, 'rest'), ...part('restBaselineWorker') },
      polling,
    ),
  ]);
  const [product, baseline, rest] = workers as [Child, Child, Child];
  const pg = serverKind === 'postgres' ? postmasterPid(server.process.pid!) : undefined;

  return {
    serverKind,
    server,
    serverBinary,
    client,
    emulator,
    receiver,
    storage,
    productQueue,
    baselineQueue,
    restQueue,
    pids: () => ({
      loadGenerator: process.pid,
      productWorker: product.pid,
      noopBaselineWorker: baseline.pid,
      restBaselineWorker: rest.pid,
      emulator: emulator.pid,
      receiver: receiver.pid,
      storage: storage.pid,
      temporalServer: server.process.pid!,
      ...(pg ? { postgres: pg } : {}),
    }),
    workerEnv: (q) => workerEnv(targets, q),
    baselineEnv: (q, kind) => baselineEnv(targets, q, kind),
    close: async () => {
      await Promise.allSettled(workers.map((w) => w.stop()));
      await receiver.close();
      await emulator.close();
      await storage.close();
      bundles.remove();
      js.remove();
      await connection.close();
      await server.stop();
    },
  };
}
