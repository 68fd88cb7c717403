/** Writes the run as JSON (everything) and Markdown (the table a reader wants first). */
import { writeFileSync } from 'node:fs';
import { type BenchResult, EXTERNAL_PARTS, withoutExternal } from './result';

const yes = (met: boolean) => (met ? 'met' : '**MISSED**');
const cpu = (c: Record<string, number>) =>
  Object.entries(c)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** `suffix` '' for the committed results; '.tmp' (git-ignored) for a partial run. */
export function writeReport(base: string, r: BenchResult, suffix = ''): void {
  writeFileSync(`${base}.json${suffix}`, JSON.stringify(r, null, 2) + '\n');
  const m = r.machine;
  const L: string[] = [];
  L.push(
    `# agora-capture bench (${r.quick ? 'quick smoke run' : r.only ? `only ${r.only.join(', ')}` : 'all scenarios'}, ${r.serverKind === 'postgres' ? 'real Temporal server on PostgreSQL' : 'Temporal CLI dev server'})`,
    '',
  );
  L.push(`${r.finishedAt} · ${r.durationSeconds} s · ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB · ${m.os}`);
  L.push(
    `Node ${m.node} · Temporal SDK ${m.sdk} · server: ${m.temporal.replace(/\n/g, ' ')} · commit ${m.commit}${m.uncommittedProductFiles.length ? ` + uncommitted ${m.uncommittedProductFiles.join(', ')}` : ''}`,
  );
  L.push(
    `Server dynamic config: ${r.serverConfig.join(', ')}. Processes (CPU read per process from /proc): ${r.processes.join(', ')}; the load generator is the bench process. ${EXTERNAL_PARTS.join(' and ')} stand in for services outside the product (Agora's cloud; the customer's S3 bucket, ${r.storageKind === 'seaweedfs' ? 'SeaweedFS' : 'moto'}, which the product lists and writes each capture's manifest to): the "all processes" CPU sums include them, the "without external" sums leave them out. Workers get AGORA_QPS=${r.agoraQps} (the emulator enforces no quota here), so the Agora queue's dispatch limit is the same for the product and the REST baseline and does not bind. All of it shares the same ${m.cores} cores.`,
    '',
  );
  L.push(
    `1-min load average before → after each scenario (${m.cores} cores; the machine is shared with other jobs — above ${m.cores} means they competed): ${Object.entries(
      r.loadAverage,
    )
      .map(([k, v]) => `${k} ${v.join(' → ')}`)
      .join(', ')}.`,
    '',
  );
  L.push(
    '| scenario | figure | product | REST baseline | no-op baseline | product ÷ REST | product ÷ no-op | target (vs REST) |',
    '|---|---|---:|---:|---:|---:|---:|---|',
  );
  const s = r.startLatency;
  if (s)
    for (const p of ['p50', 'p95', 'p99'] as const)
      L.push(
        `| start latency (${s.product.n} sequential) | ${p} ms | ${s.product[p]} | ${s.restBaseline[p]} | ${s.baseline[p]} | ${s.restRatio[p]} | ${s.ratio[p]} | ${p === 'p50' ? `≤ 1.1×: ${yes(s.met)}` : ''} |`,
      );
  if (s?.productNoWait)
    L.push(
      `| ″ product with \`--no-wait\` (a plain start, no update-with-start) | p50 / p95 ms | ${s.productNoWait.p50} / ${s.productNoWait.p95} | ${s.restBaseline.p50} / ${s.restBaseline.p95} | | ${(s.productNoWait.p50 / s.restBaseline.p50).toFixed(2)} | | |`,
    );
  for (const l of r.lifecycle ?? []) {
    L.push(
      `| lifecycle, N=${l.n}, 1 s captures, 2 runs each | captures/s (each run) | ${l.product.perSecond} (${l.product.perRunPerSecond.join(', ')}) | ${l.restBaseline.perSecond} (${l.restBaseline.perRunPerSecond.join(', ')}) | ${l.baseline.perSecond} (${l.baseline.perRunPerSecond.join(', ')}) | ${l.restRatio} | ${l.ratio} | ≥ 0.95×: ${yes(l.met)} |`,
    );
    L.push(
      `| ″ | CPU ms per capture, all processes (incl. ${EXTERNAL_PARTS.join(', ')}) | ${l.product.cpuMsPerCaptureTotal} | ${l.restBaseline.cpuMsPerCaptureTotal} | ${l.baseline.cpuMsPerCaptureTotal} | ${(l.product.cpuMsPerCaptureTotal / l.restBaseline.cpuMsPerCaptureTotal).toFixed(2)} | ${(l.product.cpuMsPerCaptureTotal / l.baseline.cpuMsPerCaptureTotal).toFixed(2)} | |`,
    );
    const own = [l.product, l.restBaseline, l.baseline].map((x) => withoutExternal(x.cpuMsPerCapture));
    L.push(
      `| ″ | CPU ms per capture, without external (${EXTERNAL_PARTS.join(', ')}) | ${own[0]} | ${own[1]} | ${own[2]} | ${(own[0]! / own[1]!).toFixed(2)} | ${(own[0]! / own[2]!).toFixed(2)} | |`,
    );
    L.push(
      `| ″ | one capture start → result p50 / p99 ms | ${l.product.perCaptureMs.p50} / ${l.product.perCaptureMs.p99} | ${l.restBaseline.perCaptureMs.p50} / ${l.restBaseline.perCaptureMs.p99} | ${l.baseline.perCaptureMs.p50} / ${l.baseline.perCaptureMs.p99} | | | |`,
    );
  }
  const c = r.callbacks;
  const b = r.callbackBursts;
  const ingestRow = (shape: string, x: NonNullable<typeof c>) =>
    `| callback ingest, ${shape}, concurrency ${x.concurrency} | applied/s: receiver (product) vs raw one-event signal (baseline column) | ${x.receiver.perSecond} | ${x.rawSignal.perSecond} | | ${x.ratio} | | ≥ 1.0×: ${yes(x.met)} |`;
  if (b)
    L.push(
      ingestRow(
        `Agora-shaped: ${b.captures} captures × ${b.uids} uids × ${b.perCapture / b.uids} ticks, a capture's ${b.uids} callbacks of a tick sent together`,
        b,
      ),
    );
  if (c) {
    L.push(
      ingestRow(
        `interleaved: ${c.captures}×${c.perCapture}, one uid each, no two of a capture in flight together`,
        c,
      ),
    );
    const lt = c.latencyMs;
    for (const p of ['p50', 'p99'] as const)
      L.push(
        `| callback latency, one in flight | ${p} ms, POST → applied vs signal → applied | ${lt.receiverPostToApplied[p]} | ${lt.rawSignalToApplied[p]} | | ${(lt.receiverPostToApplied[p] / lt.rawSignalToApplied[p]).toFixed(2)} | | |`,
      );
  }
  const k = r.capacity;
  if (k) {
    L.push(
      `| capacity, ${k.product.n} active on one worker process | RSS MB (after idle) | ${k.product.rssMb.afterIdle} | ${k.restBaseline.rssMb.afterIdle} | ${k.baseline.rssMb.afterIdle} | ${k.restRatio.rss} | ${k.ratio.rss} | ≤ 1.1×: ${yes(k.met)} |`,
    );
    L.push(
      `| ″ | worker CPU s to bring all up (wall s) | ${k.product.cpu.rampCpuSeconds} (${k.product.cpu.rampSeconds}) | ${k.restBaseline.cpu.rampCpuSeconds} (${k.restBaseline.cpu.rampSeconds}) | ${k.baseline.cpu.rampCpuSeconds} (${k.baseline.cpu.rampSeconds}) | ${k.restRatio.rampCpu} | ${k.ratio.rampCpu} | |`,
    );
    L.push(
      `| ″ | worker CPU % while idle (20 s) | ${k.product.cpu.idleCpuPercent} | ${k.restBaseline.cpu.idleCpuPercent} | ${k.baseline.cpu.idleCpuPercent} | ${k.restRatio.idleCpu} | ${k.ratio.idleCpu} | |`,
    );
    L.push(
      `| ″ | history events per capture, active → after stop | ${k.product.historyEvents.whileActive.join('/')} → ${k.product.historyEvents.afterStop.join('/')} | ${k.restBaseline.historyEvents.whileActive.join('/')} → ${k.restBaseline.historyEvents.afterStop.join('/')} | ${k.baseline.historyEvents.whileActive.join('/')} → ${k.baseline.historyEvents.afterStop.join('/')} | | | |`,
    );
  }
  const pl = r.plainScript;
  if (pl) {
    L.push(
      `| plain undici script (no Temporal) | start latency p50 / p99 ms | ${pl.startLatencyMs.p50} / ${pl.startLatencyMs.p99} | | | | | |`,
    );
    L.push(`| ″ | N=${pl.lifecycle.n} 1 s captures/s | ${pl.lifecycle.perSecond} | | | | | |`);
  }
  L.push('');
  L.push(
    "Definitions: start latency = client `start` call → Agora `start` received by the emulator (request `at`, same machine clock, matched by sid) for the product and the REST baseline; client start → its `start` activity began for the no-op baseline. Each sample is a 1 s capture awaited to its end before the next, product / no-op / REST interleaved. Lifecycle = N captures started 64 at a time, first start → last result; run product, REST, no-op, no-op, REST, product and summed per side, so the server's drift as its database grows falls on all. Callback ingest = events sent until every one shows in the captures' `events.applied`, receiver path (signed HTTP, 32 keep-alive senders, receiver in its own process) vs `client.signal(agoraEvent, {events:[e]})` at the same concurrency on the same captures, run receiver, signal, signal, receiver; interleaved: one uid per capture, the captures' callbacks in turn; Agora-shaped: every tick each capture's uids are shot at once and their callbacks sent together, capture after capture. Capacity = N captures held active on one worker process (each side in its own), RSS after 20 s idle.",
    '',
  );
  for (const [k, v] of Object.entries(r.errors)) L.push(`**Scenario ${k} FAILED:** ${v}`, '');
  L.push('## Findings', '', ...r.findings.map((f) => `- ${f}`), '');
  if (r.lifecycle?.length || c) {
    L.push('## CPU per process', '');
    for (const l of r.lifecycle ?? [])
      L.push(
        `- lifecycle N=${l.n}, ms per capture — product: ${cpu(l.product.cpuMsPerCapture)}; REST baseline: ${cpu(l.restBaseline.cpuMsPerCapture)}; no-op baseline: ${cpu(l.baseline.cpuMsPerCapture)}.`,
      );
    if (c)
      L.push(
        `- callback ingest, ms per 1,000 events — receiver path: ${cpu(c.receiver.cpuMsPer1000Events)}; raw signals: ${cpu(c.rawSignal.cpuMsPer1000Events)}.`,
      );
    L.push('');
  }
  if (s?.path) {
    const legs = [...new Set([...Object.keys(s.path.product), ...Object.keys(s.path.restBaseline)])];
    L.push(
      `## Where start latency goes (median of each leg over the ${s.product.n} samples, ms)`,
      '',
      'Each leg is the median over the samples on its own, so the legs need not add up to the total exactly.',
      '',
      '| leg | product | REST baseline | product − REST |',
      '|---|---:|---:|---:|',
    );
    for (const k of legs) {
      const a = s.path.product[k];
      const b = s.path.restBaseline[k];
      const d = a !== undefined && b !== undefined ? (a - b).toFixed(1) : '';
      L.push(`| ${k} | ${a ?? '—'} | ${b ?? '—'} | ${d} |`);
    }
    L.push('');
  }
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
  if (c)
    L.push(
      `Receiver counters after ingest: ${JSON.stringify(c.receiver.signalled)}; resends ${c.receiver.resends}.`,
    );
  L.push(`Full data: ${base.split('/').pop()}.json.`, '');
  writeFileSync(`${base}.md${suffix}`, L.join('\n'));
}
