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
