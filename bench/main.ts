/**
 * `npm run bench [-- --quick] [-- --capacity=N] [-- --big] [-- --server=postgres]
 * [-- --only=startLatency,lifecycle,callbacks,callbackBursts,plainScript,capacity]`: starts its own Temporal
 * server (the CLI's dev server, or the real server on PostgreSQL prepared by `agora-capture
 * setup`), emulator, receiver, S3 storage (SeaweedFS; `--storage=moto` for moto) and workers (each loading a workflow bundle
 * prebuilt here once), each in a process of its own, runs the scenarios on
 * that one server, each next to its bare-Temporal baselines (no-op activities, and the same
 * Agora REST calls on the same queue layout), and writes bench/results/latest.{json,md}
 * (latest-postgres.* with --server=postgres; quick*.tmp, git-ignored, with --quick or --only,
 * so a partial run never overwrites the committed results; `--out=NAME` writes NAME.{json,md}
 * anyway). `--lifecycle=100,300`, `--starts=N`, `--callbacks=20x500` (captures × events each)
 * and `--bursts=20x4x126` (captures × uids × ticks) choose sizes.
 */
import os from 'node:os';
import path from 'node:path';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../test/helpers/dev-server';
import { writeReport } from './report';
import type { BenchResult, Hops } from './result';
import { explain } from './findings';
import { killTracked } from './lib/children';
import { hops } from './lib/hops';
import { machineInfo } from './lib/machine';
import { BENCH_AGORA_QPS, startStack } from './lib/stack';
import { callbackIngest } from './scenarios/callbacks';
import { capacity } from './scenarios/capacity';
import { lifecycle } from './scenarios/lifecycle';
import { plainScript } from './scenarios/plain-script';
import { startLatency } from './scenarios/start-latency';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const SIZES = quick
  ? { starts: 5, lifecycle: [20], cb: [4, 500], bursts: [4, 4, 125], probes: 5, capacity: 30, plainN: 20 }
  : {
      starts: 50,
      lifecycle: args.includes('--big') ? [100, 300, 1000] : [100, 300],
      cb: [20, 500],
      // As many callbacks as cb, in bursts of 4 per capture (4 users shot at each tick).
      bursts: [20, 4, 126],
      probes: 50,
      capacity: 1000,
      plainN: 300,
    };
const capacityN = Number(flag('capacity') ?? SIZES.capacity);
if (flag('lifecycle')) SIZES.lifecycle = flag('lifecycle')!.split(',').map(Number);
if (flag('starts')) SIZES.starts = Number(flag('starts'));
if (flag('callbacks')) SIZES.cb = flag('callbacks')!.split('x').map(Number);
if (flag('bursts')) SIZES.bursts = flag('bursts')!.split('x').map(Number);
const serverFlag = flag('server') ?? 'dev';
if (serverFlag !== 'dev' && serverFlag !== 'postgres')
  throw new Error(`--server must be dev or postgres, got ${serverFlag}`);
const serverKind: 'dev' | 'postgres' = serverFlag;
const storageFlag = flag('storage') ?? 'seaweedfs';
if (storageFlag !== 'seaweedfs' && storageFlag !== 'moto')
  throw new Error(`--storage must be seaweedfs or moto, got ${storageFlag}`);
const storageKind: 'seaweedfs' | 'moto' = storageFlag;
const only = flag('only')?.split(',');
const runs = (scenario: string) => !only || only.includes(scenario);
const partial = quick || only !== undefined;

/** Load average (1 min) around each scenario: the machine may be shared with other jobs. */
const loads: Record<string, number[]> = {};
const load = (scenario: string) => (loads[scenario] ??= []).push(Math.round(os.loadavg()[0]! * 100) / 100);

const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** Scenarios that failed, with why: the run goes on and reports them instead of losing the rest. */
const errors: Record<string, string> = {};

/** Runs a scenario if selected, with the load average recorded before and after. */
async function scenario<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
  if (!runs(name)) return undefined;
  load(name);
  log(`${name}…`);
  try {
    return await fn();
  } catch (e) {
    errors[name] = e instanceof Error ? e.message.slice(0, 500) : String(e);
    log(`${name} FAILED: ${errors[name]}`);
    return undefined;
  } finally {
    load(name);
  }
}

async function main(): Promise<void> {
  const began = Date.now();
  log(`starting the stack (${serverKind} server, ${storageKind} storage)`);
  const stack = await startStack(serverKind, storageKind);
  // Ctrl-C / kill: take the server and every child down with us instead of orphaning them.
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      killTracked();
      void stack.server.stop('SIGKILL').finally(() => process.exit(130));
    });
  try {
    log(`server ${stack.server.address}; processes ${JSON.stringify(stack.pids())}`);
    const start = await scenario('startLatency', () => startLatency(stack, SIZES.starts));
    if (start)
      log(
        `start p50 ${start.product.p50} vs REST ${start.restBaseline.p50} vs no-op ${start.baseline.p50} ms`,
      );
    const life = await scenario('lifecycle', () => lifecycle(stack, SIZES.lifecycle));
    for (const l of life ?? [])
      log(
        `lifecycle ${l.n}: ${l.product.perSecond} vs REST ${l.restBaseline.perSecond} vs no-op ${l.baseline.perSecond}/s`,
      );
    const cb = await scenario('callbacks', () =>
      callbackIngest(stack, SIZES.cb[0]!, SIZES.cb[1]!, 32, SIZES.probes),
    );
    if (cb) log(`callbacks ${cb.receiver.perSecond} vs ${cb.rawSignal.perSecond}/s`);
    const [bc, bu, bt] = SIZES.bursts as [number, number, number];
    const bursts = await scenario('callbackBursts', () => callbackIngest(stack, bc, bu * bt, 32, 0, bu));
    if (bursts) log(`callback bursts ${bursts.receiver.perSecond} vs ${bursts.rawSignal.perSecond}/s`);
    const plain = await scenario('plainScript', () => plainScript(stack, SIZES.starts, SIZES.plainN));
    if (plain) log(`plain ${plain.lifecycle.perSecond}/s`);
    const cap = await scenario('capacity', () => capacity(stack, capacityN));
    if (cap)
      log(
        `capacity RSS ${cap.product.rssMb.afterIdle} vs REST ${cap.restBaseline.rssMb.afterIdle} vs no-op ${cap.baseline.rssMb.afterIdle} MB`,
      );
    const hopList: Hops[] = [];
    const sample = async (label: string, id: string) =>
      hopList.push({ label, ...(await hops(stack.client, id)) });
    if (start) {
      await sample('product capture (start-latency sample, 1 s)', start.sampleIds.product);
      await sample('REST baseline (start-latency sample, 1 s)', start.sampleIds.rest);
      await sample('no-op baseline (start-latency sample, 1 s)', start.sampleIds.baseline);
    }
    const lastLife = life?.[life.length - 1];
    if (lastLife) {
      await sample(
        `product capture (lifecycle N=${lastLife.n}, median time, 1 s)`,
        lastLife.product.medianId,
      );
      await sample(
        `REST baseline (lifecycle N=${lastLife.n}, median time, 1 s)`,
        lastLife.restBaseline.medianId,
      );
      await sample(
        `no-op baseline (lifecycle N=${lastLife.n}, median time, 1 s)`,
        lastLife.baseline.medianId,
      );
    }
    const result: BenchResult = {
      quick,
      only,
      serverKind,
      storageKind,
      finishedAt: new Date().toISOString(),
      durationSeconds: Math.round((Date.now() - began) / 1000),
      machine: machineInfo(stack.serverBinary),
      serverConfig: DEV_SERVER_DYNAMIC_CONFIG,
      agoraQps: BENCH_AGORA_QPS,
      processes: Object.keys(stack.pids()),
      loadAverage: loads,
      errors,
      startLatency: start,
      lifecycle: life,
      callbacks: cb,
      callbackBursts: bursts,
      capacity: cap,
      plainScript: plain,
      hops: hopList,
      findings: [],
    };
    result.findings = explain(result);
    // --out=NAME records a partial run on purpose (e.g. the PostgreSQL tier with fewer scenarios).
    const name = serverKind === 'postgres' ? 'latest-postgres' : 'latest';
    const out = flag('out');
    const base = path.join(__dirname, 'results', out ?? (partial ? `quick-${name}` : name));
    const suffix = partial && !out ? '.tmp' : '';
    writeReport(base, result, suffix);
    log(`wrote ${base}.json${suffix} and ${base}.md${suffix} in ${result.durationSeconds} s`);
  } finally {
    await stack.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  killTracked();
  process.exit(1);
});
