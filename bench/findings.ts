/** Plain-language verdicts for a run; where a target is missed, where the time and CPU went. */
import { type BenchResult, withoutExternal } from './result';

const top = (cpu: Record<string, number>) =>
  Object.entries(cpu)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

export function explain(r: BenchResult): string[] {
  const f: string[] = [];
  const s = r.startLatency;
  if (s)
    f.push(
      `Start latency p50 ${s.product.p50} ms vs REST baseline ${s.restBaseline.p50} ms (${s.restRatio.p50}×; target ≤ 1.1×: ${verdict(s.met)}) and vs no-op baseline ${s.baseline.p50} ms (${s.ratio.p50}×; ${verdict(s.product.p50 <= 1.1 * s.baseline.p50)}).`,
    );
  for (const l of r.lifecycle ?? []) {
    f.push(
      `Lifecycle N=${l.n}: ${l.product.perSecond} captures/s vs REST baseline ${l.restBaseline.perSecond} (${l.restRatio}×; target ≥ 0.95×: ${verdict(l.met)}) and no-op baseline ${l.baseline.perSecond} (${l.ratio}×; ${verdict(l.metVsNoop)}); one capture start → result p50 ${l.product.perCaptureMs.p50} vs ${l.restBaseline.perCaptureMs.p50} vs ${l.baseline.perCaptureMs.p50} ms.`,
    );
    f.push(
      `CPU ms per capture at N=${l.n} (all processes, incl. the external emulator and storage: ${l.product.cpuMsPerCaptureTotal} vs REST ${l.restBaseline.cpuMsPerCaptureTotal} vs no-op ${l.baseline.cpuMsPerCaptureTotal}; without them: ${withoutExternal(l.product.cpuMsPerCapture)} vs ${withoutExternal(l.restBaseline.cpuMsPerCapture)} vs ${withoutExternal(l.baseline.cpuMsPerCapture)}): product ${top(l.product.cpuMsPerCapture)}; REST baseline ${top(l.restBaseline.cpuMsPerCapture)}; no-op ${top(l.baseline.cpuMsPerCapture)}. On ${r.machine.cores} shared cores CPU per capture sets throughput.`,
    );
  }
  if (r.callbacks) f.push(callbackFinding('interleaved (one uid per capture)', r.callbacks));
  const b = r.callbackBursts;
  if (b)
    f.push(
      callbackFinding(
        `Agora-shaped (${b.captures} captures × ${b.uids} uids, each capture's ${b.uids} callbacks of a tick together)`,
        b,
      ),
    );
  const k = r.capacity;
  if (k)
    f.push(
      `Capacity, ${k.product.n} active captures on one worker process: RSS ${k.product.rssMb.afterIdle} MB vs REST baseline ${k.restBaseline.rssMb.afterIdle} MB (${k.restRatio.rss}×; target ≤ 1.1×: ${verdict(k.met)}) vs no-op ${k.baseline.rssMb.afterIdle} MB (${k.ratio.rss}×).`,
    );
  return f;
}

type Callbacks = NonNullable<BenchResult['callbacks']>;

/** One callback-ingest finding: the ratio, CPU per 1,000 events on each path, and batching. */
function callbackFinding(shape: string, c: Callbacks): string {
  return `Callback ingest, ${shape}: ${c.receiver.perSecond} vs raw one-event signals ${c.rawSignal.perSecond} applied/s (${c.ratio}×; target ≥ 1.0×: ${verdict(c.met)}). CPU ms per 1,000 events, receiver path: ${top(c.receiver.cpuMsPer1000Events)}; raw signals: ${top(c.rawSignal.cpuMsPer1000Events)}. ${batching(c)}`;
}

/** Events per signal RPC through the receiver, and history growth per 1,000 events on each path. */
function batching(c: Callbacks): string {
  const events = c.receiver.signalled.agoraEvent ?? 0;
  const rpcs = c.receiver.signalled.agoraEventRpcs ?? 0;
  const perRpc = rpcs > 0 ? (events / rpcs).toFixed(2) : '?';
  const h = (x: number | undefined) => (x === undefined ? 'unknown (a run continued as new)' : String(x));
  return `The receiver put ${perRpc} events in each signal RPC (${events} events, ${rpcs} RPCs); the captures' histories grew by ${h(c.receiver.historyEventsPer1000)} events per 1,000 callbacks vs ${h(c.rawSignal.historyEventsPer1000)} per 1,000 raw signals (signals arriving during a workflow task share the next one).`;
}
