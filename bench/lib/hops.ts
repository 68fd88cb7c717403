/**
 * Per-hop timings from one workflow's history: for each activity scheduled → started →
 * completed, and for each workflow task scheduled → started → completed, as offsets (ms) from
 * the workflow's start. Where a target is missed, this is where the time went.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type Event = temporal.api.history.v1.IHistoryEvent;

const ms = (e: Event) => Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;
const r = (x: number) => Math.round(x * 10) / 10;

export async function hops(client: Client, workflowId: string) {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const t0 = ms(events[0]!);
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  const activities: { name: string; scheduledAt: number; schedToStart: number; startToClose: number }[] = [];
  const workflowTasks: { scheduledAt: number; schedToStart: number; startToClose: number }[] = [];
  for (const e of events) {
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
