/**
 * Where start latency goes, as medians over every sample rather than one history: the client's
 * start call → the run's first event, each workflow task and activity up to Agora's `start`,
 * and that activity's start → the emulator receiving the request. Every time is from the same
 * machine clock (the server's event times, the emulator's `at`, the client's Date.now), so the
 * legs add up to the sample's latency. A leg the run has no equivalent for is left out.
 */
import type { Client } from '@temporalio/client';
import { eventMs as ms } from './hops';
import { percentile, r1 } from './stats';

/** One sample: when the client called start, and when Agora (the emulator) received `start`. */
export interface StartSample {
  id: string;
  t0: number;
  agoraStartAt: number;
}

/** Leg name → ms, in the order the capture goes through them. */
type Legs = Map<string, number>;

/** The legs of one run's history, up to the started event of its Agora `start` activity. */
async function legs(client: Client, s: StartSample): Promise<Legs> {
  const history = await client.workflow.getHandle(s.id).fetchHistory();
  const events = history.events ?? [];
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  const out: Legs = new Map();
  out.set('client start → run started', ms(events[0]!) - s.t0);
  let wft = 0;
  let startActivityStarted: number | undefined;
  for (const e of events) {
    const done = e.workflowTaskCompletedEventAttributes;
    if (done && startActivityStarted === undefined) {
      wft++;
      const sched = byId.get(Number(done.scheduledEventId))!;
      const started = byId.get(Number(done.startedEventId))!;
      out.set(`workflow task ${wft}: queued`, ms(started) - ms(sched));
      out.set(`workflow task ${wft}: ran`, ms(e) - ms(started));
    }
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const sched = byId.get(Number(started.scheduledEventId))!;
      const name = sched.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
      out.set(`activity ${name}: queued`, ms(e) - ms(sched));
      if (name === 'start') {
        startActivityStarted = ms(e);
        break;
      }
    }
    const completed = e.activityTaskCompletedEventAttributes;
    if (completed) {
      const sched = byId.get(Number(completed.scheduledEventId))!;
      const name = sched.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
      const st = byId.get(Number(completed.startedEventId))!;
      out.set(`activity ${name}: ran`, ms(e) - ms(st));
    }
  }
  // Activity started events are written when the activity completes (the server buffers them),
  // but their time is the dispatch time, so this leg is the activity's code before its request.
  if (startActivityStarted !== undefined)
    out.set('activity start: began → Agora received', s.agoraStartAt - startActivityStarted);
  out.set('total', s.agoraStartAt - s.t0);
  return out;
}

/** Median of each leg over the samples, in first-seen order. */
export async function startPath(client: Client, samples: StartSample[]): Promise<Record<string, number>> {
  const all = await Promise.all(samples.map((s) => legs(client, s)));
  const names: string[] = [];
  for (const l of all) for (const k of l.keys()) if (!names.includes(k)) names.push(k);
  const out: Record<string, number> = {};
  for (const k of names) {
    const values = all.flatMap((l) => (l.has(k) ? [l.get(k)!] : []));
    out[k] = r1(percentile(values, 50));
  }
  return out;
}
