/**
 * The capture workflow's entry points for webhooks. Call {@link startWebhooks} once at the top
 * of the run, {@link emitWebhook} for each event (it never blocks and never fails), and
 * `await webhooksHandedOff()` after the Agora stop, before the run completes, so that
 * capture.ended has reached the delivery workflow. Before continue-as-new, pass
 * {@link webhookCarry} to the next run. Without a webhook in the request all of these do
 * nothing. The outbox is the running workflow's own (../workflow-local.ts).
 */
import { condition, workflowInfo } from '@temporalio/workflow';
import { type OutboxState, WebhookOutbox, type WebhookSettings } from './outbox';
import type { WebhookEventData, WebhookEventType } from './types';
import { workflowLocal } from '../workflow-local';

/** The capture's outbox, when its request has a webhook. */
const local = workflowLocal('webhooks', (): { outbox?: WebhookOutbox } => ({}));

/** Sets up the capture's outbox; `carried` is what {@link webhookCarry} returned in the previous run. */
export function startWebhooks(settings: WebhookSettings | undefined, carried?: OutboxState): void {
  if (!settings) return;
  const info = workflowInfo();
  const outbox = (local().outbox = new WebhookOutbox(
    settings,
    { workflowId: info.workflowId, runId: info.firstExecutionRunId },
    carried,
  ));
  outbox.start();
}

/**
 * Queues one event for the capture's webhook. `data` is the type's payload; the capture's
 * workflowId is added. Screenshot files are batched (per N files or T seconds, from the
 * request's `webhook.screenshots`). Events are delivered in the order they are emitted.
 */
export function emitWebhook<T extends WebhookEventType>(type: T, data: WebhookEventData[T]): void {
  local().outbox?.emit(type, data);
}

/** Resolves once every event emitted so far is with the delivery workflow (open batch included). */
export async function webhooksHandedOff(): Promise<void> {
  const o = local().outbox;
  if (!o) return;
  o.closeBatch();
  await condition(() => o.handedOff());
}

/** The outbox state to carry through continue-as-new (undefined without a webhook). */
export function webhookCarry(): OutboxState | undefined {
  return local().outbox?.state;
}
