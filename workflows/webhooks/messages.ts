/** Messages of the webhook delivery workflow. */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { DeliveryStatus, WebhookEvent } from './types';

/** Events from the capture, in sequence order; duplicates (by seq) are ignored. */
export const webhookEventsSignal = defineSignal<[WebhookEvent[]]>('webhookEvents');

/** The delivery backlog: pending, delivered, given up, last error. */
export const webhookDeliveryStatusQuery = defineQuery<DeliveryStatus>('webhookDeliveryStatus');
