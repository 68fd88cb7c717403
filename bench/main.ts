/**
 * `npm run bench [-- --quick] [-- --capacity=N] [-- --big]`: starts its own dev server,
 * emulator, receiver and workers, runs every scenario on that one server, each next to its
 * bare-Temporal baseline, and writes bench/results/latest.{json,md} (quick.{json,md}.tmp,
 * git-ignored, with --quick, so a smoke run never overwrites the committed full results).
 */
import os from 'node:os';
import path from 'node:path';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../test/helpers/dev-server';
import { writeReport } from './report';
import type { BenchResult, Callbacks, Hops, Lifecycle, StartLatency } from './result';
import { killTracked } from './lib/children';
import { hops } from './lib/hops';
import { machineInfo } from './lib/machine';
import { startStack } from './lib/stack';
import { callbackIngest } from './scenarios/callbacks';
import { capacity } from './scenarios/capacity';
import { lifecycle } from './scenarios/lifecycle';
import { plainScript } from './scenarios/plain-script';
import { startLatency } from './scenarios/start-latency';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const SIZES = quick
  ? { starts: 5, lifecycle: [20], cb: [4, 50], probes: 5, capacity: 30, plainN: 20 }
  : {
      starts: 50,
      lifecycle: args.includes('--big') ? [100, 300, 1000] : [100, 300],
      cb: [20, 500],
      probes: 50,
      capacity: 1000,
      plainN: 300,
    };
const capacityN = Number(flag('capacity') ?? SIZES.capacity);

/** Load average (1 min) around each scenario: the machine may be shared with other jobs. */
const loads: Record<string, number[]> = {};
const load = (scenario: string) => (loads[scenario] ??= []).push(Math.round(os.loadavg()[0]! * 100) / 100);

const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function main(): Promise<void> {
  const began = Date.now();
  const stack = await startStack();
  // Ctrl-C / kill: take the dev server and the worker children down with us instead of
  // orphaning them (bench/lib/children.ts kills tracked children on exit).
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      killTracked();
      void stack.server.stop('SIGKILL').finally(() => process.exit(130));
    });
  try {
    log(`server ${stack.server.address}; start latency ×${SIZES.starts}`);
    load('startLatency');
    const start = await startLatency(stack, SIZES.starts);
    load('startLatency');
    log(`start p50 ${start.product.p50} vs ${start.baseline.p50} ms; lifecycle ${SIZES.lifecycle.join(',')}`);
    load('lifecycle');
    const life = await lifecycle(stack, SIZES.lifecycle);
    load('lifecycle');
    log(
      `lifecycle ${life.map((l) => `${l.n}: ${l.product.perSecond} vs ${l.baseline.perSecond}/s`).join('; ')}; callbacks`,
    );
    load('callbacks');
    const cb = await callbackIngest(stack, SIZES.cb[0]!, SIZES.cb[1]!, 32, SIZES.probes);
    load('callbacks');
    log(`callbacks ${cb.receiver.perSecond} vs ${cb.rawSignal.perSecond}/s; plain script`);
    load('plainScript');
    const plain = await plainScript(stack, SIZES.starts, SIZES.plainN);
    load('plainScript');
    log(`plain ${plain.lifecycle.perSecond}/s; capacity ${capacityN}`);
    load('capacity');
    const cap = await capacity(stack, capacityN);
    load('capacity');
    log(`capacity RSS ${cap.product.rssMb.afterIdle} vs ${cap.baseline.rssMb.afterIdle} MB`);
    const lastLife = life[life.length - 1]!;
    const hopList: Hops[] = [
      {
        label: 'product capture (start-latency sample, stopped by signal)',
        ...(await hops(stack.client, start.sampleIds.product)),
      },
      {
        label: 'baseline (start-latency sample, stopped by signal)',
        ...(await hops(stack.client, start.sampleIds.baseline)),
      },
      {
        label: `product capture (lifecycle N=${lastLife.n}, median time, 1 s duration)`,
        ...(await hops(stack.client, lastLife.product.medianId)),
      },
      {
        label: `baseline (lifecycle N=${lastLife.n}, median time, 1 s duration)`,
        ...(await hops(stack.client, lastLife.baseline.medianId)),
      },
    ];
    const findings = explain(start, life, cb, hopList);
    const result: BenchResult = {
      quick,
      finishedAt: new Date().toISOString(),
      durationSeconds: Math.round((Date.now() - began) / 1000),
      machine: machineInfo(stack.cli),
      serverConfig: DEV_SERVER_DYNAMIC_CONFIG,
      loadAverage: loads,
      startLatency: start,
      lifecycle: life,
      callbacks: cb,
      capacity: cap,
      plainScript: plain,
      hops: hopList,
      findings,
    };
    const base = path.join(__dirname, 'results', quick ? 'quick' : 'latest');
    const suffix = quick ? '.tmp' : '';
    writeReport(base, result, suffix);
    log(`wrote ${base}.json${suffix} and ${base}.md${suffix} in ${result.durationSeconds} s`);
  } finally {
    await stack.close();
  }
}

/** Plain-language verdicts; where a target is missed, where the time went. */
function explain(start: StartLatency, life: Lifecycle, cb: Callbacks, hopList: Hops[]): string[] {
  const f: string[] = [];
  const prod = hopList[0]!;
  const sum = (xs: { schedToStart: number }[]) => xs.reduce((a, x) => a + x.schedToStart, 0);
  // Only what happened before Agora start was sent counts towards start latency.
  const startAct = prod.activities.find((a) => a.name === 'start');
  const before = prod.workflowTasks.filter((w) => !startAct || w.scheduledAt < startAct.scheduledAt);
  f.push(
    `Start latency p50 ${start.product.p50} ms vs baseline ${start.baseline.p50} ms (${start.ratio.p50}×): target ≤ 1.2× ${start.met ? 'met' : 'MISSED'}. ` +
      `In the product sample the activities before Agora start are ${prod.activities
        .slice(0, 2)
        .map((a) =>
          a.local
            ? `${a.name} (local activity, ran ${a.startToClose} ms inside the workflow task)`
            : `${a.name} (queued ${a.schedToStart} ms, ran ${a.startToClose} ms)`,
        )
        .join(', ')}; ` +
      `the ${before.length} workflow tasks before it waited ${r(sum(before))} ms in total to be picked up and ran ${r(
        before.reduce((a, w) => a + w.startToClose, 0),
      )} ms (first one: ${before[0]?.startToClose ?? '?'} ms).`,
  );
  for (const l of life)
    f.push(
      `Lifecycle N=${l.n}: ${l.product.perSecond} vs ${l.baseline.perSecond} captures/s (${l.ratio}×): target ≥ 0.9× ${l.met ? 'met' : 'MISSED'}; ` +
        `one capture start → result p50 ${l.product.perCaptureMs.p50} ms vs ${l.baseline.perCaptureMs.p50} ms.`,
    );
  const big = life[life.length - 1];
  if (big) {
    const [p, b] = [big.product.cpuMsPerCapture, big.baseline.cpuMsPerCapture];
    f.push(
      `Where a lifecycle capture's cost goes (N=${big.n}): CPU per capture ${p.benchProcess} ms in this process + ${p.server} ms in the dev server, vs the baseline's ${b.benchProcess} + ${b.server} ms. ` +
        `On 2 shared cores CPU per capture sets throughput. The process figure holds the product's worker and also the Agora emulator and the load generator: the product's activities make three real HTTP calls and build an RTC token where the baseline's are no-ops.`,
    );
  }
  f.push(
    `Callback ingest: ${cb.receiver.perSecond} vs raw signal ${cb.rawSignal.perSecond} applied/s (${cb.ratio}×): target ≥ 0.85× ${cb.met ? 'met' : 'MISSED'}. ` +
      `The receiver answered all ${cb.receiver.events} in ${cb.receiver.sentSeconds} s; raw signals were sent in ${cb.rawSignal.sentSeconds} s.`,
  );
  return f;
}
const r = (x: number) => Math.round(x);

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
