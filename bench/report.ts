/** Writes the run as JSON (everything) and Markdown (the table a reader wants first). */
import { writeFileSync } from 'node:fs';

import type { BenchResult } from './result';

const ratio2 = (a: number, b: number) => (a / b).toFixed(2);
const yes = (met: boolean) => (met ? 'met' : '**MISSED**');

/** `suffix` '' for the committed results; '.tmp' (git-ignored) for a --quick smoke run. */
export function writeReport(base: string, r: BenchResult, suffix = ''): void {
  writeFileSync(`${base}.json${suffix}`, JSON.stringify(r, null, 2) + '\n');
  const m = r.machine;
  const L: string[] = [];
  L.push(`# agora-capture bench (${r.quick ? 'quick smoke run' : 'full run'})`, '');
  L.push(`${r.finishedAt} · ${r.durationSeconds} s · ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB · ${m.os}`);
  L.push(`Node ${m.node} · Temporal SDK ${m.sdk} · server: ${m.temporal.replace(/\n/g, ' ')}`);
  L.push(
    `Dev server dynamic config: ${r.serverConfig.join(', ')} (eager activities not enabled). Everything (server, workers, emulator, receiver, load) shares the same ${m.cores} cores.`,
    '',
  );
  L.push(
    `1-min load average before → after each scenario (${m.cores} cores; above ${m.cores} means other jobs shared the machine): ${Object.entries(
      r.loadAverage,
    )
      .map(([k, v]) => `${k} ${v.join(' → ')}`)
      .join(', ')}.`,
    '',
  );
  L.push('| scenario | figure | product | baseline | ratio | target |', '|---|---|---:|---:|---:|---|');
  const s = r.startLatency;
  for (const p of ['p50', 'p95', 'p99'] as const)
    L.push(
      `| start latency (${s.product.n} sequential) | ${p} ms | ${s.product[p]} | ${s.baseline[p]} | ${s.ratio[p]} | ${p === 'p50' ? `≤ 1.2×: ${yes(s.met)}` : ''} |`,
    );
  for (const l of r.lifecycle)
    L.push(
      `| lifecycle, N=${l.n}, 1 s captures, 2 runs each (ABBA) | captures/s (each run) | ${l.product.perSecond} (${l.product.perRunPerSecond.join(', ')}) | ${l.baseline.perSecond} (${l.baseline.perRunPerSecond.join(', ')}) | ${l.ratio} | ≥ 0.9×: ${yes(l.met)} |`,
    );
  for (const l of r.lifecycle)
    L.push(
      `| ″ N=${l.n} | CPU ms per capture: this process (client, workers, emulator, receiver) / dev server | ${l.product.cpuMsPerCapture.benchProcess} / ${l.product.cpuMsPerCapture.server} | ${l.baseline.cpuMsPerCapture.benchProcess} / ${l.baseline.cpuMsPerCapture.server} | ${ratio2(l.product.cpuMsPerCapture.benchProcess + l.product.cpuMsPerCapture.server, l.baseline.cpuMsPerCapture.benchProcess + l.baseline.cpuMsPerCapture.server)} | |`,
    );
  for (const l of r.lifecycle)
    L.push(
      `| ″ N=${l.n} | one capture start → result p50 / p99 ms | ${l.product.perCaptureMs.p50} / ${l.product.perCaptureMs.p99} | ${l.baseline.perCaptureMs.p50} / ${l.baseline.perCaptureMs.p99} | ${ratio2(l.product.perCaptureMs.p50, l.baseline.perCaptureMs.p50)} | |`,
    );
  const c = r.callbacks;
  L.push(
    `| callback ingest, ${c.captures}×${c.perCapture}, concurrency ${c.concurrency} | applied/s (receiver vs raw signal) | ${c.receiver.perSecond} | ${c.rawSignal.perSecond} | ${c.ratio} | ≥ 0.85×: ${yes(c.met)} |`,
  );
  const lt = c.latencyMs;
  for (const p of ['p50', 'p99'] as const)
    L.push(
      `| callback latency, one in flight | ${p} ms, POST → applied vs signal → applied | ${lt.receiverPostToApplied[p]} | ${lt.rawSignalToApplied[p]} | ${(lt.receiverPostToApplied[p] / lt.rawSignalToApplied[p]).toFixed(2)} | |`,
    );
  L.push(
    `| ″ | ${'p50/p99'} ms, receiver 200 → applied (added after accept) | ${lt.receiver200ToApplied.p50} / ${lt.receiver200ToApplied.p99} | | | |`,
  );
  const k = r.capacity;
  if (k) {
    L.push(
      `| capacity, ${k.product.n} active on one worker process | RSS MB (after idle) | ${k.product.rssMb.afterIdle} | ${k.baseline.rssMb.afterIdle} | ${k.ratio.rss} | |`,
    );
    L.push(
      `| ″ | worker CPU s to bring all up (wall s) | ${k.product.cpu.rampCpuSeconds} (${k.product.cpu.rampSeconds}) | ${k.baseline.cpu.rampCpuSeconds} (${k.baseline.cpu.rampSeconds}) | ${k.ratio.rampCpu} | |`,
    );
    L.push(
      `| ″ | worker CPU % while idle (20 s) | ${k.product.cpu.idleCpuPercent} | ${k.baseline.cpu.idleCpuPercent} | ${k.ratio.idleCpu} | |`,
    );
    L.push(
      `| ″ | history events per capture, active → after stop | ${k.product.historyEvents.whileActive.join('/')} → ${k.product.historyEvents.afterStop.join('/')} | ${k.baseline.historyEvents.whileActive.join('/')} → ${k.baseline.historyEvents.afterStop.join('/')} | | |`,
    );
  }
  const pl = r.plainScript;
  L.push(
    `| plain undici script (no Temporal) | start latency p50/p99 ms | ${pl.startLatencyMs.p50} / ${pl.startLatencyMs.p99} | product ${s.product.p50} / ${s.product.p99} | ${(s.product.p50 / pl.startLatencyMs.p50).toFixed(1)}× (product ÷ script) | |`,
  );
  const big = r.lifecycle.find((l) => l.n === pl.lifecycle.n) ?? r.lifecycle[r.lifecycle.length - 1]!;
  L.push(
    `| ″ | N=${pl.lifecycle.n} 1 s captures/s | ${pl.lifecycle.perSecond} | product ${big.product.perSecond} (N=${big.n}) | ${(big.product.perSecond / pl.lifecycle.perSecond).toFixed(2)} (product ÷ script) | |`,
  );
  L.push('');
  L.push(
    "Definitions: start latency = client `start` call → Agora `start` received by the emulator (request `at`, same clock) vs baseline client start → its `start` activity began. Lifecycle = N captures started 64 at a time, first start → last result; run product, baseline, baseline, product and summed per side, so the server's drift as its database grows falls on both. Callback ingest = events sent until every one shows in the captures' `events.applied`, receiver path (signed HTTP, 32 keep-alive senders) vs `client.signal(agoraEvent, {events:[e]})` at the same concurrency on the same captures.",
    '',
  );
  L.push('## Findings', '', ...r.findings.map((f) => `- ${f}`), '');
  L.push('## Per-hop timings (ms from workflow start; one sample each, fetched from its history)', '');
  for (const h of r.hops) {
    L.push(`**${h.label}** \`${h.workflowId}\`: ${h.events} events, ${h.totalMs} ms first → last event`, '');
    L.push('| hop | scheduled at | scheduled → started | started → completed |', '|---|---:|---:|---:|');
    for (const a of h.activities)
      L.push(
        `| ${a.local ? 'local activity' : 'activity'} ${a.name} | ${a.scheduledAt} | ${a.schedToStart} | ${a.startToClose} |`,
      );
    for (const w of h.workflowTasks)
      L.push(`| workflow task | ${w.scheduledAt} | ${w.schedToStart} | ${w.startToClose} |`);
    L.push('');
  }
  L.push(
    `Receiver counters during ingest: ${JSON.stringify(c.receiver.signalled)}; resends ${c.receiver.resends}. Full data: ${base.split('/').pop()}.json.`,
    '',
  );
  writeFileSync(`${base}.md${suffix}`, L.join('\n'));
}
