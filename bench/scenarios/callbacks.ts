/**
 * Callback ingest: signed screenshot callbacks POSTed through the receiver into running
 * captures (32 senders, keep-alive, Agora-style resend on a non-200), counted until every one
 * is applied by the workflows; then the same number of raw `client.signal(agoraEvent,
 * {events:[event]})` on the same captures — what the receiver's HTTP, signature check,
 * routing and batching cost next to signalling directly. Latency: one event at a time,
 * sender → receiver 200 → status query shows it applied, vs signal call → applied.
 */
import http from 'node:http';
import { getCapture, startCapture, stopCapture, waitForCapture } from '../../client/api';
import { buildCaptureEvent } from '../../client/receiver';
import { httpSend, ncsEvent, ncsRequest, type NcsTarget } from '../../test/helpers/ncs';
import { agoraEventSignal } from '../../workflows/messages';
import type { Stack } from '../lib/stack';
import { pool, sleep, until } from '../lib/pool';
import { benchRequest } from '../lib/requests';
import { r1, ratio, summary } from '../lib/stats';

const UIDS = ['1001'];

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
function nextEnvelope(c: Live) {
  const i = c.next++;
  const at = T0 + i * 5000;
  const key = `snaps/${c.target.sid}_${c.target.cname}__uid_s_${UIDS[0]}__uid_e_video_${stamp(at)}.jpg`;
  return ncsEvent.snapshotFile(c.target, key, {
    noticeId: `bench-${c.target.sid}-${i}`,
    payload: { sequence: i, sendts: at },
  });
}

async function applied(stack: Stack, caps: Live[]): Promise<number> {
  const s = await Promise.all(caps.map((c) => getCapture(stack.client, c.workflowId)));
  return s.reduce((a, x) => a + x.events.applied, 0);
}

/** Sends `total` events with `send`, then waits until the captures applied them all. */
async function ingest(
  stack: Stack,
  caps: Live[],
  total: number,
  conc: number,
  send: (c: Live) => Promise<void>,
) {
  const base = await applied(stack, caps);
  const t0 = Date.now();
  await pool(total, conc, (i) => send(caps[i % caps.length]!));
  const sentS = (Date.now() - t0) / 1000;
  await until(
    async () => ((await applied(stack, caps)) >= base + total ? true : undefined),
    300_000,
    'all applied',
    200,
  );
  const s = (Date.now() - t0) / 1000;
  return { events: total, sentSeconds: r1(sentS), appliedSeconds: r1(s), perSecond: r1(total / s) };
}

export async function callbackIngest(
  stack: Stack,
  captures: number,
  perCapture: number,
  conc: number,
  probes: number,
) {
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
  const viaReceiver = async (c: Live) => {
    const req = ncsRequest(nextEnvelope(c));
    for (let attempt = 0; ; attempt++) {
      const { status } = await httpSend(stack.receiver.url, { ...req, agent });
      if (status === 200) return;
      if (attempt === 5) throw new Error(`callback refused (${status})`);
      resends++;
      await sleep(200 * (attempt + 1));
    }
  };
  const viaSignal = async (c: Live) => {
    const env = nextEnvelope(c) as unknown as Parameters<typeof buildCaptureEvent>[0];
    const event = buildCaptureEvent(env, c.target, env.payload.details);
    await stack.client.workflow.getHandle(c.workflowId).signal(agoraEventSignal, { events: [event] });
  };

  const total = captures * perCapture;
  const receiver = await ingest(stack, caps, total, conc, viaReceiver);
  const signal = await ingest(stack, caps, total, conc, viaSignal);

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
    concurrency: conc,
    receiver: { ...receiver, resends, signalled: stack.receiver.stats().signalled },
    rawSignal: signal,
    ratio: ratio(receiver.perSecond, signal.perSecond),
    target: '≥ 0.85× raw signal',
    met: receiver.perSecond >= 0.85 * signal.perSecond,
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
