/**
 * Callback ingest: signed screenshot callbacks POSTed through the receiver into running
 * captures (32 senders, keep-alive, Agora-style resend on a non-200), counted until every one
 * is applied by the workflows; next to the same number of raw `client.signal(agoraEvent,
 * {events:[event]})` on the same captures — what the receiver's HTTP, signature check,
 * routing and batching cost next to signalling directly. Requests and events are built and
 * signed before the clock starts (signing is Agora's work, not ours), and each path runs twice
 * with half the events, receiver, signal, signal, receiver, so the captures' growing
 * histories weigh on both. CPU per 1,000 events is read for every process (the receiver runs
 * in its own, the senders in this one). Latency: one event at a time, sender → receiver 200 → status
 * query shows it applied, vs signal call → applied.
 *
 * Two shapes of load. `uids = 1`: one screenshot stream per capture, the captures' callbacks
 * interleaved, so no two callbacks of a capture are in flight together and the receiver has
 * nothing to batch. `uids > 1`: Agora's shape for a capture of several users, which the emulator
 * reproduces: every captureInterval the bot shoots each subscribed uid at once and reports each
 * file (event 45), so a capture's callbacks arrive in bursts of `uids`.
 */
import http from 'node:http';
import { getCapture, startCapture, stopCapture, waitForCapture } from '../../client/api';
import { buildCaptureEvent } from '../../client/receiver';
import { httpSend, ncsEvent, ncsRequest, type NcsTarget } from '../../test/helpers/ncs';
import { agoraEventSignal } from '../../workflows/messages';
import type { Stack } from '../lib/stack';
import { pool, sleep, until } from '../lib/pool';
import { benchRequest } from '../lib/requests';
import { cpuMsPer, cpuSnapshot } from '../lib/proc';
import { r1, ratio, summary } from '../lib/stats';

/** The captured users' uids: 1001, 1002, … */
const uidOf = (i: number) => String(1001 + i);

interface Live {
  workflowId: string;
  target: NcsTarget;
  next: number;
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\D/g, '').slice(0, 17);
const T0 = Date.UTC(2026, 0, 1);

/**
 * The next screenshot envelope for a capture: sequence from 0 as Agora numbers a session's
 * events (a gap makes the capture wait eventGapSeconds for the missing one), increasing capture time.
 */
function nextEnvelope(c: Live, uids = 1) {
  const i = c.next++;
  // One shot of every uid per 5 s tick, in uid order, numbered on as Agora numbers a session's events.
  const at = T0 + Math.floor(i / uids) * 5000;
  const key = `snaps/${c.target.sid}_${c.target.cname}__uid_s_${uidOf(i % uids)}__uid_e_video_${stamp(at)}.jpg`;
  return ncsEvent.snapshotFile(c.target, key, {
    noticeId: `bench-${c.target.sid}-${i}`,
    payload: { sequence: i, sendts: at },
  });
}

/**
 * History events of the captures' current runs: a run's growth per applied event shows how
 * many workflow tasks the events took (signals arriving during a task share the next one).
 */
async function historyEvents(stack: Stack, caps: Live[]): Promise<number> {
  const d = await Promise.all(caps.map((c) => stack.client.workflow.getHandle(c.workflowId).describe()));
  return d.reduce((a, x) => a + (x.historyLength ?? 0), 0);
}

async function applied(stack: Stack, caps: Live[]): Promise<number> {
  const s = await Promise.all(caps.map((c) => getCapture(stack.client, c.workflowId)));
  return s.reduce((a, x) => a + x.events.applied, 0);
}

/** Sends prebuilt items with `send`, then waits until the captures applied them all. */
async function ingest<T>(
  stack: Stack,
  caps: Live[],
  items: T[],
  conc: number,
  send: (x: T) => Promise<void>,
) {
  const base = await applied(stack, caps);
  const history0 = await historyEvents(stack, caps);
  const cpu0 = cpuSnapshot(stack.pids());
  const t0 = Date.now();
  await pool(items.length, conc, (i) => send(items[i]!));
  const sentS = (Date.now() - t0) / 1000;
  await until(
    async () => ((await applied(stack, caps)) >= base + items.length ? true : undefined),
    300_000,
    'all applied',
    200,
  );
  const appliedSeconds = (Date.now() - t0) / 1000;
  const cpu1 = cpuSnapshot(stack.pids());
  // Negative if a capture continued as new meanwhile (its new run starts short): then unknown.
  const historyGrowth = (await historyEvents(stack, caps)) - history0;
  return {
    events: items.length,
    sentSeconds: sentS,
    appliedSeconds,
    cpu: cpuMsPer(cpu0, cpu1, 1),
    historyGrowth,
  };
}

type Run = Awaited<ReturnType<typeof ingest>>;
const sum = (a: Run, b: Run) => {
  const events = a.events + b.events;
  const s = a.appliedSeconds + b.appliedSeconds;
  // Each run's CPU (ms per process) as ms per 1,000 events.
  const cpuMsPer1000Events = Object.fromEntries(
    Object.keys(a.cpu).map((k) => [k, Math.round(((a.cpu[k] ?? 0) + (b.cpu[k] ?? 0)) * (1000 / events))]),
  );
  const growth = a.historyGrowth >= 0 && b.historyGrowth >= 0 ? a.historyGrowth + b.historyGrowth : undefined;
  return {
    events,
    cpuMsPer1000Events,
    /** History events the captures' runs grew by per 1,000 applied events (undefined: a run continued as new). */
    historyEventsPer1000: growth === undefined ? undefined : Math.round((growth * 1000) / events),
    sentSeconds: r1(a.sentSeconds + b.sentSeconds),
    appliedSeconds: r1(s),
    perSecond: r1(events / s),
  };
};

export async function callbackIngest(
  stack: Stack,
  captures: number,
  perCapture: number,
  conc: number,
  probes: number,
  uids = 1,
) {
  if (perCapture % uids !== 0)
    throw new Error(`events per capture (${perCapture}) must be whole ticks of ${uids} uids`);
  const caps: Live[] = [];
  for (let i = 0; i < captures; i++) {
    const req = benchRequest(3600);
    const { workflowId } = await startCapture(stack.client, stack.productQueue, req);
    caps.push({ workflowId, target: { cname: req.channel, uid: req.recorderUid, sid: '' }, next: 0 });
  }
  for (const c of caps) {
    const s = await until(
      async () => {
        const st = await getCapture(stack.client, c.workflowId);
        return st.phase === 'CAPTURING' ? st : undefined;
      },
      60_000,
      'CAPTURING',
      50,
    );
    c.target.sid = s.sid!;
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: conc });
  let resends = 0;
  type Post = ReturnType<typeof ncsRequest>;
  const post = async (req: Post) => {
    for (let attempt = 0; ; attempt++) {
      const { status } = await httpSend(stack.receiver.url, { ...req, agent });
      if (status === 200) return;
      if (attempt === 5) throw new Error(`callback refused (${status})`);
      resends++;
      await sleep(200 * (attempt + 1));
    }
  };
  const envelope = (c: Live) => nextEnvelope(c, uids);
  const viaReceiver = (c: Live) => post(ncsRequest(envelope(c)));
  type Sig = { workflowId: string; event: ReturnType<typeof buildCaptureEvent> };
  const signalFor = (c: Live): Sig => {
    const env = envelope(c) as unknown as Parameters<typeof buildCaptureEvent>[0];
    return { workflowId: c.workflowId, event: buildCaptureEvent(env, c.target, env.payload.details) };
  };
  const signal = (x: Sig) =>
    stack.client.workflow.getHandle(x.workflowId).signal(agoraEventSignal, { events: [x.event] });
  const viaSignal = (c: Live) => signal(signalFor(c));

  // Built in send order, so each capture's sequence numbers stay in order across the runs: a
  // tick's burst of `uids` callbacks per capture, capture after capture.
  const half = (captures * perCapture) / 2;
  const batch = <T>(make: (c: Live) => T, n = half) =>
    Array.from({ length: n }, (_, i) => make(caps[Math.floor(i / uids) % caps.length]!));
  // Untimed warm-up of both paths (the receiver process has served nothing yet; the load
  // generator's client has): JIT, protobuf type setup and the receiver's lazy gRPC connection
  // would otherwise fall on the first timed run alone.
  const warmPosts = batch((c) => ncsRequest(envelope(c)), conc * 2);
  const warmSignals = batch(signalFor, conc * 2);
  const r1Posts = batch((c) => ncsRequest(envelope(c)));
  const s1Events = batch(signalFor);
  const s2Events = batch(signalFor);
  const r2Posts = batch((c) => ncsRequest(envelope(c)));
  await ingest(stack, caps, warmPosts, conc, post);
  await ingest(stack, caps, warmSignals, conc, signal);
  const signalledBefore = await stack.receiver.signalled();
  const rA = await ingest(stack, caps, r1Posts, conc, post);
  const sA = await ingest(stack, caps, s1Events, conc, signal);
  const sB = await ingest(stack, caps, s2Events, conc, signal);
  const rB = await ingest(stack, caps, r2Posts, conc, post);
  const receiver = sum(rA, rB);
  const rawSignal = sum(sA, sB);

  // Latency, one event in flight: how long until the capture's status shows it applied.
  const probe = caps[0]!;
  const lat = {
    receiverAccept: [] as number[],
    receiverAcceptToApplied: [] as number[],
    receiverTotal: [] as number[],
    signalTotal: [] as number[],
  };
  const waitApplied = async (prev: number) =>
    until(
      async () =>
        (await getCapture(stack.client, probe.workflowId)).events.applied > prev ? Date.now() : undefined,
      30_000,
      'applied',
      0,
    );
  for (let i = 0; i < probes; i++) {
    let prev = (await getCapture(stack.client, probe.workflowId)).events.applied;
    let t0 = Date.now();
    await viaReceiver(probe);
    const accepted = Date.now();
    let done = await waitApplied(prev);
    lat.receiverAccept.push(accepted - t0);
    lat.receiverAcceptToApplied.push(done - accepted);
    lat.receiverTotal.push(done - t0);
    prev = (await getCapture(stack.client, probe.workflowId)).events.applied;
    t0 = Date.now();
    await viaSignal(probe);
    done = await waitApplied(prev);
    lat.signalTotal.push(done - t0);
  }
  agent.destroy();
  const status = await getCapture(stack.client, probe.workflowId);
  // Stopped here so later scenarios (capacity) start from no active sessions.
  await pool(caps.length, 8, async (i) => {
    await stopCapture(stack.client, caps[i]!.workflowId);
    await waitForCapture(stack.client, caps[i]!.workflowId);
  });
  return {
    captures,
    perCapture,
    uids,
    concurrency: conc,
    receiver: {
      ...receiver,
      resends,
      // Counted over the timed runs and the latency probes, not the warm-up.
      signalled: Object.fromEntries(
        Object.entries(await stack.receiver.signalled()).map(([k, v]) => [k, v - (signalledBefore[k] ?? 0)]),
      ),
    },
    rawSignal,
    ratio: ratio(receiver.perSecond, rawSignal.perSecond),
    target: '≥ 1.0× raw signal',
    met: receiver.perSecond >= rawSignal.perSecond,
    latencyMs: {
      receiverPostTo200: summary(lat.receiverAccept),
      receiver200ToApplied: summary(lat.receiverAcceptToApplied),
      receiverPostToApplied: summary(lat.receiverTotal),
      rawSignalToApplied: summary(lat.signalTotal),
    },
    probeCaptureEvents: status.events,
    captureIds: caps.map((c) => c.workflowId),
  };
}
