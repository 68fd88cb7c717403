/** The shape of one bench run, derived from what each scenario returns. */
import type { hops } from './lib/hops';
import type { machineInfo } from './lib/machine';
import type { callbackIngest } from './scenarios/callbacks';
import type { capacity } from './scenarios/capacity';
import type { lifecycle } from './scenarios/lifecycle';
import type { plainScript } from './scenarios/plain-script';
import type { startLatency } from './scenarios/start-latency';

/**
 * Parts that stand in for services outside the product (Agora's cloud, the customer's S3 bucket).
 * Their CPU is shown and counted in the "all processes" sums; a second sum leaves them out.
 */
export const EXTERNAL_PARTS = ['emulator', 'storage'];

/** The CPU of the parts that are not external (the product's or a baseline's own and Temporal's). */
export const withoutExternal = (cpu: Record<string, number>): number =>
  Object.entries(cpu)
    .filter(([k]) => !EXTERNAL_PARTS.includes(k))
    .reduce((sum, [, v]) => sum + v, 0);

export type StartLatency = Awaited<ReturnType<typeof startLatency>>;
export type Lifecycle = Awaited<ReturnType<typeof lifecycle>>;
export type Callbacks = Awaited<ReturnType<typeof callbackIngest>>;
export type Capacity = Awaited<ReturnType<typeof capacity>>;
export type Hops = Awaited<ReturnType<typeof hops>> & { label: string };

export interface BenchResult {
  quick: boolean;
  /** Scenarios selected with --only (all when undefined). */
  only: string[] | undefined;
  serverKind: 'dev' | 'postgres';
  /** The S3 server standing in for the customer's bucket (absent in results from before the choice: moto). */
  storageKind?: 'seaweedfs' | 'moto';
  finishedAt: string;
  durationSeconds: number;
  machine: ReturnType<typeof machineInfo>;
  serverConfig: string[];
  /** The App ID QPS the workers were given (server-side dispatch rate on the Agora queue: 80% of it). */
  agoraQps: number;
  /** The processes whose CPU is reported. */
  processes: string[];
  /** 1-minute load average before and after each scenario. */
  loadAverage: Record<string, number[]>;
  /** Scenarios that failed (the others still report). */
  errors: Record<string, string>;
  startLatency: StartLatency | undefined;
  lifecycle: Lifecycle | undefined;
  /** Interleaved: one uid per capture, nothing to batch. */
  callbacks: Callbacks | undefined;
  /** Agora-shaped: each capture's uids shot at once every tick, so its callbacks come in bursts. */
  callbackBursts?: Callbacks | undefined;
  capacity: Capacity | undefined;
  plainScript: Awaited<ReturnType<typeof plainScript>> | undefined;
  hops: Hops[];
  findings: string[];
}
