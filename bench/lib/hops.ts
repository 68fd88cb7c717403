/**
 * Per-hop timings from one workflow's history: for each activity scheduled → started →
 * completed, each local activity (from its marker: scheduled → completed, run inside a workflow
 * task, so nothing is queued), and each workflow task scheduled → started → completed, as
 * offsets (ms) from the workflow's start. Where a target is missed, this is where the time went.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type Event = temporal.api.history.v1.IHistoryEvent;

/** A history event's time, ms since the epoch. */
export const eventMs = (e: Event) =>
  Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;
const ms = eventMs;
const r = (x: number) => Math.round(x * 10) / 10;

/** A protobuf Timestamp as sdk-core writes it in marker JSON: RFC 3339 or {seconds, nanos}. */
function tsMs(t: unknown): number | undefined {
  if (typeof t === 'string') return Date.parse(t);
  if (t && typeof t === 'object' && 'seconds' in t)
    return (
      Number((t as { seconds: number }).seconds) * 1000 + Number((t as { nanos?: number }).nanos ?? 0) / 1e6
    );
  return undefined;
}

/**
 * A local activity from sdk-core's marker (LocalActivityMarkerData, JSON in the "data" detail).
 * Its complete_time is "the workflow task's start + the local activity's run time", so the run
 * time is measured from that task's start, not from original_schedule_time (wall clock).
 */
function localActivity(e: Event, byId: Map<number, Event>) {
  const m = e.markerRecordedEventAttributes;
  if (m?.markerName !== 'core_local_activity') return undefined;
  const raw = m.details?.data?.payloads?.[0]?.data;
  if (!raw) return undefined;
  const d = JSON.parse(Buffer.from(raw).toString('utf8')) as Record<string, unknown>;
  const done = byId.get(Number(m.workflowTaskCompletedEventId))?.workflowTaskCompletedEventAttributes;
  const taskStarted = byId.get(Number(done?.startedEventId));
  const scheduled = tsMs(d.original_schedule_time);
  const completed = tsMs(d.complete_time);
  if (scheduled === undefined || completed === undefined || !taskStarted) return undefined;
  return { name: String(d.activity_type), scheduled, ran: completed - ms(taskStarted) };
}

export async function hops(client: Client, workflowId: string) {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const t0 = ms(events[0]!);
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  const activities: {
    name: string;
    local?: true;
    scheduledAt: number;
    schedToStart: number;
    startToClose: number;
  }[] = [];
  const workflowTasks: { scheduledAt: number; schedToStart: number; startToClose: number }[] = [];
  for (const e of events) {
    const la = localActivity(e, byId);
    if (la)
      activities.push({
        name: la.name,
        local: true,
        scheduledAt: r(la.scheduled - t0),
        schedToStart: 0,
        startToClose: r(la.ran),
      });
    const done = e.activityTaskCompletedEventAttributes;
    if (done) {
      const sched = byId.get(Number(done.scheduledEventId))!;
      const started = byId.get(Number(done.startedEventId))!;
      activities.push({
        name: sched.activityTaskScheduledEventAttributes?.activityType?.name ?? '?',
        scheduledAt: r(ms(sched) - t0),
        schedToStart: r(ms(started) - ms(sched)),
        startToClose: r(ms(e) - ms(started)),
      });
    }
    const wft = e.workflowTaskCompletedEventAttributes;
    if (wft) {
      const sched = byId.get(Number(wft.scheduledEventId))!;
      const started = byId.get(Number(wft.startedEventId))!;
      workflowTasks.push({
        scheduledAt: r(ms(sched) - t0),
        schedToStart: r(ms(started) - ms(sched)),
        startToClose: r(ms(e) - ms(started)),
      });
    }
  }
  return {
    workflowId,
    events: events.length,
    totalMs: r(ms(events[events.length - 1]!) - t0),
    activities,
    workflowTasks,
  };
}
