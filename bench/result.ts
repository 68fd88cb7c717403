/** The shape of one bench run, derived from what each scenario returns. */
import type { hops } from './lib/hops';
import type { machineInfo } from './lib/machine';
import type { callbackIngest } from './scenarios/callbacks';
import type { capacity } from './scenarios/capacity';
import type { lifecycle } from './scenarios/lifecycle';
import type { plainScript } from './scenarios/plain-script';
import type { startLatency } from './scenarios/start-latency';

export type StartLatency = Awaited<ReturnType<typeof startLatency>>;
export type Lifecycle = Awaited<ReturnType<typeof lifecycle>>;
export type Callbacks = Awaited<ReturnType<typeof callbackIngest>>;
export type Hops = Awaited<ReturnType<typeof hops>> & { label: string };

export interface BenchResult {
  quick: boolean;
  finishedAt: string;
  durationSeconds: number;
  machine: ReturnType<typeof machineInfo>;
  serverConfig: string[];
  /** 1-minute load average before and after each scenario. */
  loadAverage: Record<string, number[]>;
  startLatency: StartLatency;
  lifecycle: Lifecycle;
  callbacks: Callbacks;
  capacity: Awaited<ReturnType<typeof capacity>>;
  plainScript: Awaited<ReturnType<typeof plainScript>>;
  hops: Hops[];
  findings: string[];
}
