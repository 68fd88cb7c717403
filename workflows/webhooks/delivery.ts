/**
 * webhookDeliveryWorkflow: one per capture run (id `webhooks/<captureWorkflowId>/<captureRunId>`),
 * started and fed by signal-with-start from the capture's outbox. It delivers the capture's
 * events strictly in order, one at a time: the next event waits until the previous one was
 * delivered or given up after its retry window (at least 24 h). Each attempt is one activity,
 * so the attempts, their errors and the backlog are visible here (query
 * `webhookDeliveryStatus`) while the capture itself never waits on the endpoint. It completes
 * once capture.ended is done with, and continues-as-new when the server suggests it.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { WebhookActivities } from '../../activities/webhooks';
import { afterFailure } from './backoff';
import { webhookDeliveryStatusQuery, webhookEventsSignal } from './messages';
import type { DeliveryInput, DeliveryStatus, WebhookEvent } from './types';

/** What the workflow carries through continue-as-new. */
export interface DeliveryState {
  /** Received, not yet delivered or given up; queue[0] is being attempted. */
  queue: WebhookEvent[];
  received: number;
  delivered: number;
  givenUp: number;
  /** Failed attempts of queue[0] so far. */
  failures: number;
  nextAttemptAtMs?: number;
  lastError?: DeliveryStatus['lastError'];
  finished: boolean;
}

/** Longer than the longest capture (719 h). */
const IDLE_LIMIT = '32 days';

const { deliverWebhook } = proxyActivities<WebhookActivities>({
  // The activity's own HTTP timeout is shorter; this only catches a worker that died mid-call.
  startToCloseTimeout: '2m',
  // One attempt per activity: the workflow owns the schedule, so it sees every failure.
  retry: { maximumAttempts: 1 },
  summary: 'POST the event to the webhook endpoint',
});

/** Every event type, checked by the compiler: a type added later is never dropped here. */
const WEBHOOK_TYPES: Record<WebhookEvent['type'], true> = {
  'capture.started': true,
  'capture.paused': true,
  'capture.resumed': true,
  'capture.ended': true,
  'screenshots.uploaded': true,
};

/** Whether a signalled value is an event as the capture's outbox sends it. */
function isWebhookEvent(v: unknown): v is WebhookEvent {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  const data = e.data as Record<string, unknown> | null | undefined;
  return (
    Number.isInteger(e.seq) &&
    typeof e.type === 'string' &&
    Object.hasOwn(WEBHOOK_TYPES, e.type) &&
    typeof e.timestamp === 'string' &&
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data) &&
    typeof data.workflowId === 'string'
  );
}

export async function webhookDeliveryWorkflow(
  input: DeliveryInput,
  carried?: DeliveryState,
): Promise<DeliveryStatus> {
  const s: DeliveryState = carried ?? {
    queue: [],
    received: 0,
    delivered: 0,
    givenUp: 0,
    failures: 0,
    finished: false,
  };

  setHandler(
    webhookEventsSignal,
    (arg: unknown) => {
      // A signal cannot be refused, and one typed by hand would otherwise throw in every
      // workflow task after it: only events in the outbox's shape are queued.
      const events = Array.isArray(arg) ? arg.filter(isWebhookEvent) : [];
      const dropped = (Array.isArray(arg) ? arg.length : 1) - events.length;
      if (dropped > 0) log.warn('webhookEvents: dropped events not in the outbox shape', { dropped });
      for (const e of events) {
        // The outbox resends what it is not sure was accepted: drop what we already have.
        if (e.seq <= s.received) continue;
        s.queue.push(e);
        s.received = e.seq;
      }
    },
    { description: "Events from the capture's outbox, in sequence order" },
  );
  setHandler(webhookDeliveryStatusQuery, () => status(input, s), {
    description: 'Delivery backlog: pending, delivered, given up, last error',
  });

  while (!s.finished) {
    // A capture lasts at most 30 days: this long with nothing to deliver means it is gone
    // without a capture.ended (terminated, or its stop failed). End instead of idling forever.
    if (!(await condition(() => s.queue.length > 0, IDLE_LIMIT))) break;
    const info = workflowInfo();
    if (
      info.continueAsNewSuggested ||
      (input.continueAsNewAfterEvents !== undefined && info.historyLength >= input.continueAsNewAfterEvents)
    ) {
      await condition(allHandlersFinished);
      return await continueAsNew<typeof webhookDeliveryWorkflow>(input, s);
    }
    const event = s.queue[0]!;
    if (s.nextAttemptAtMs !== undefined) {
      const wait = s.nextAttemptAtMs - Date.now();
      if (wait > 0) await sleep(wait);
      s.nextAttemptAtMs = undefined;
    }
    const outcome = await attempt(input, event);
    if (outcome.ok) {
      s.delivered++;
      next(s);
      continue;
    }
    s.failures++;
    s.lastError = {
      seq: event.seq,
      attempt: s.failures,
      message: outcome.message,
      at: new Date(Date.now()).toISOString(),
      ...(outcome.status !== undefined ? { status: outcome.status } : {}),
    };
    const decision = afterFailure(event.timestamp, s.failures, Date.now(), input.retry);
    if (decision.giveUp) {
      s.givenUp++;
      next(s);
    } else {
      s.nextAttemptAtMs = Date.now() + decision.delayMs;
    }
  }
  await condition(allHandlersFinished);
  return status(input, s);
}

/** Done with queue[0]: move on; capture.ended is the capture's last event. */
function next(s: DeliveryState): void {
  const done = s.queue.shift();
  s.failures = 0;
  s.nextAttemptAtMs = undefined;
  if (done?.type === 'capture.ended' && s.queue.length === 0) s.finished = true;
}

async function attempt(
  input: DeliveryInput,
  event: WebhookEvent,
): Promise<{ ok: true } | { ok: false; message: string; status?: number }> {
  try {
    return await deliverWebhook({
      captureWorkflowId: input.captureWorkflowId,
      captureRunId: input.captureRunId,
      target: input.target,
      event,
    });
  } catch (err) {
    // The attempt itself broke (worker lost, timeout): a failed attempt like any other.
    const cause = err instanceof ActivityFailure ? (err.cause ?? err) : err;
    return { ok: false, message: cause instanceof Error ? cause.message : String(cause) };
  }
}

function status(input: DeliveryInput, s: DeliveryState): DeliveryStatus {
  const head = s.queue[0];
  return {
    captureWorkflowId: input.captureWorkflowId,
    url: input.target.url,
    pending: s.queue.length,
    delivered: s.delivered,
    givenUp: s.givenUp,
    received: s.received,
    ...(head
      ? {
          current: {
            seq: head.seq,
            type: head.type,
            attempts: s.failures,
            ...(s.nextAttemptAtMs !== undefined
              ? { nextAttemptAt: new Date(s.nextAttemptAtMs).toISOString() }
              : {}),
          },
        }
      : {}),
    ...(s.lastError ? { lastError: s.lastError } : {}),
    finished: s.finished,
  };
}
