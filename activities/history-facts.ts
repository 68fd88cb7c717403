/**
 * A closed capture's history, reduced to the facts the sweeper needs: which Agora calls the
 * run scheduled and how each ended, the callbacks it received, and what a continue-as-new run
 * was handed. Reads the proto history Temporal keeps; decodes payloads with the default
 * payload converter (the product uses no custom converter or codec).
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

const EventType = temporal.api.enums.v1.EventType;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** One fact of a run's history, in event order. */
export type HistoryFact =
  | { kind: 'started'; input: unknown[] }
  | { kind: 'scheduled'; eventId: number; activity: string; input: unknown; atMs: number }
  | { kind: 'completed'; scheduledId: number; result: unknown }
  | {
      kind: 'failed';
      scheduledId: number;
      /** ApplicationFailure type (e.g. AgoraTaskConflict); undefined for a timeout or cancellation. */
      failureType?: string;
      /** First failure detail: the activities' AgoraFailureDetails when the failure came from Agora. */
      details?: unknown;
    }
  | { kind: 'signal'; name: string; input: unknown };

function decode(payload: Payload | null | undefined): unknown {
  if (!payload) return undefined;
  try {
    return defaultPayloadConverter.fromPayload(payload);
  } catch {
    return undefined;
  }
}

function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

function timeMs(t: temporal.api.history.v1.IHistoryEvent['eventTime']): number {
  return t ? num(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : 0;
}

/** The facts of one run, from its events (as `fetchHistory()` or `historyFromJSON()` returns them). */
export function historyFacts(events: readonly HistoryEvent[]): HistoryFact[] {
  const facts: HistoryFact[] = [];
  for (const e of events) {
    switch (e.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
        const payloads = e.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
        facts.push({ kind: 'started', input: payloads.map((p) => decode(p)) });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const a = e.activityTaskScheduledEventAttributes;
        facts.push({
          kind: 'scheduled',
          eventId: num(e.eventId),
          activity: a?.activityType?.name ?? '',
          input: decode(a?.input?.payloads?.[0]),
          atMs: timeMs(e.eventTime),
        });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const a = e.activityTaskCompletedEventAttributes;
        facts.push({
          kind: 'completed',
          scheduledId: num(a?.scheduledEventId),
          result: decode(a?.result?.payloads?.[0]),
        });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED: {
        const a = e.activityTaskFailedEventAttributes;
        // The activity's ApplicationFailure is the failure itself or its cause (retry state wraps it).
        let f = a?.failure;
        while (f && !f.applicationFailureInfo && f.cause) f = f.cause;
        const app = f?.applicationFailureInfo;
        facts.push({
          kind: 'failed',
          scheduledId: num(a?.scheduledEventId),
          failureType: app?.type ?? undefined,
          details: decode(app?.details?.payloads?.[0]),
        });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
        facts.push({
          kind: 'failed',
          scheduledId: num(e.activityTaskTimedOutEventAttributes?.scheduledEventId),
        });
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
        facts.push({
          kind: 'failed',
          scheduledId: num(e.activityTaskCanceledEventAttributes?.scheduledEventId),
        });
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: {
        const a = e.workflowExecutionSignaledEventAttributes;
        facts.push({
          kind: 'signal',
          name: a?.signalName ?? '',
          input: decode(a?.input?.payloads?.[0]),
        });
        break;
      }
      default:
        break;
    }
  }
  return facts;
}
