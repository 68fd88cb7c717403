/**
 * The webhook delivery backlog of a capture, for backend code and the CLI. Each capture run
 * with a `webhook` has one delivery workflow, `webhooks/<captureWorkflowId>/<firstRunId>`,
 * started when its first event is handed over.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { webhookDeliveryStatusQuery } from '../workflows/webhooks/messages';
import { type DeliveryStatus, deliveryWorkflowId } from '../workflows/webhooks/types';

/**
 * The delivery status of the capture's latest run (or of `captureRunId`, its first run id):
 * pending, delivered and given-up counts and the last error. Undefined when that capture has
 * no delivery workflow (no webhook configured, or no event handed over yet).
 */
export async function getWebhookDelivery(
  client: Client,
  captureWorkflowId: string,
  captureRunId?: string,
): Promise<DeliveryStatus | undefined> {
  const firstRunId =
    captureRunId ??
    (await client.workflow.getHandle(captureWorkflowId).describe()).raw.workflowExecutionInfo?.firstRunId;
  if (!firstRunId) return undefined;
  try {
    return await client.workflow
      .getHandle(deliveryWorkflowId(captureWorkflowId, firstRunId))
      .query(webhookDeliveryStatusQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** One line for the CLI: "2 pending, 5 delivered, 0 given up; last error (event 6, attempt 4): …". */
export function describeWebhookBacklog(d: DeliveryStatus): string {
  const counts = `${d.pending} pending, ${d.delivered} delivered, ${d.givenUp} given up${d.finished ? ' (finished)' : ''}`;
  if (!d.lastError || d.pending === 0) return counts;
  const e = d.lastError;
  return `${counts}; last error (event ${e.seq}, attempt ${e.attempt}, ${e.at}): ${e.message}`;
}
