/**
 * Test-only workflows: a script that emits webhook events through the capture's real outbox
 * (emitWebhook), so batching and ordering are tested without driving Agora through every
 * state; bundled with the real delivery workflow.
 */
import { sleep } from '@temporalio/workflow';
import { emitWebhook, startWebhooks, webhooksHandedOff } from '../../workflows/webhooks/emit';
import type { WebhookSettings } from '../../workflows/webhooks/outbox';
import type { WebhookEventData, WebhookEventType } from '../../workflows/webhooks/types';

export { webhookDeliveryWorkflow } from '../../workflows/webhooks/delivery';

export type ScriptStep =
  { sleepMs: number } | { [T in WebhookEventType]: { type: T; data: WebhookEventData[T] } }[WebhookEventType];

export async function scriptedWebhookEmitter(settings: WebhookSettings, steps: ScriptStep[]): Promise<void> {
  startWebhooks(settings);
  for (const step of steps) {
    if ('sleepMs' in step) await sleep(step.sleepMs);
    else emitWebhook(step.type, step.data as never);
  }
  await webhooksHandedOff();
}
