/**
 * Webhook activities: hand a capture's events to its delivery workflow (signal-with-start),
 * and make one signed delivery attempt. Secrets are looked up here by name, so their values
 * never enter workflow history.
 */
import { activityInfo, log } from '@temporalio/activity';
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { webhookEventsSignal } from '../../workflows/webhooks/messages';
import {
  type DeliveryRetry,
  deliveryWorkflowId,
  type WebhookEvent,
  type WebhookTarget,
} from '../../workflows/webhooks/types';
import { type AttemptOutcome, postWebhook } from './deliver';
import { decodeWebhookSecret, webhookId } from './sign';

export interface WebhookActivityConfig {
  /** Secret name → `whsec_…` value (validated at worker start). */
  secrets: Record<string, string>;
  retry: DeliveryRetry;
  /** Timeout of one POST, in milliseconds. */
  timeoutMs: number;
  /** Tests only: make delivery workflows continue-as-new after this many history events. */
  continueAsNewAfterEvents?: number;
}

export interface EnqueueArgs {
  captureWorkflowId: string;
  captureRunId: string;
  target: WebhookTarget;
  events: WebhookEvent[];
}

export interface DeliverArgs {
  captureWorkflowId: string;
  captureRunId: string;
  target: WebhookTarget;
  event: WebhookEvent;
}

export function createWebhookActivities({
  client,
  config,
}: {
  client: Client;
  config: WebhookActivityConfig;
}) {
  const keys = new Map(Object.entries(config.secrets).map(([name, v]) => [name, decodeWebhookSecret(v)]));

  return {
    /**
     * Signal-with-start: starts the capture's delivery workflow if it is not running and adds
     * the events to its queue, atomically. A retry after a lost answer resends the same events;
     * the delivery workflow drops them by sequence number.
     */
    async enqueueWebhookEvents(args: EnqueueArgs): Promise<void> {
      const workflowId = deliveryWorkflowId(args.captureWorkflowId, args.captureRunId);
      try {
        await client.workflow.signalWithStart('webhookDeliveryWorkflow', {
          workflowId,
          taskQueue: activityInfo().taskQueue,
          args: [
            {
              captureWorkflowId: args.captureWorkflowId,
              captureRunId: args.captureRunId,
              target: args.target,
              retry: config.retry,
              ...(config.continueAsNewAfterEvents !== undefined
                ? { continueAsNewAfterEvents: config.continueAsNewAfterEvents }
                : {}),
            },
          ],
          signal: webhookEventsSignal,
          signalArgs: [args.events],
          // A closed delivery workflow is never restarted: it finished after capture.ended,
          // so what arrives now is a resend of events it already handled.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          staticSummary: `Webhooks of ${args.captureWorkflowId} to ${args.target.url}`,
        });
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) {
          log.warn('webhook delivery workflow already closed; events not re-queued', {
            workflowId,
            seqs: args.events.map((e) => e.seq).join(','),
          });
          return;
        }
        throw err;
      }
    },

    /** One signed POST of one event. Returns the outcome; the workflow owns retries. */
    async deliverWebhook(args: DeliverArgs): Promise<AttemptOutcome> {
      const key = keys.get(args.target.secret);
      if (!key)
        return {
          ok: false,
          message: `webhook secret "${args.target.secret}" is not configured on this worker (AGORA_CAPTURE_WEBHOOK_SECRETS)`,
        };
      return postWebhook({
        url: args.target.url,
        key,
        id: webhookId(args.captureWorkflowId, args.captureRunId, args.event.seq),
        event: args.event,
        timeoutMs: config.timeoutMs,
      });
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
