/**
 * Capture events pushed to the customer's backend as Standard Webhooks: the event types, the
 * per-capture target and the delivery workflow's input and status. Pure module (workflow
 * sandbox and Node alike).
 */

/** Where a capture's events go: an endpoint and the NAME of a secret held by the workers. */
export interface WebhookTarget {
  url: string;
  /** Name of a `whsec_…` secret in the worker's AGORA_CAPTURE_WEBHOOK_SECRETS file. */
  secret: string;
}

/** One screenshot file: reported by Agora (event 45), or found by the capture's final listing. */
export interface ScreenshotFile {
  uid: string;
  /** The object key in the customer's bucket. */
  fileName: string;
  /** When it was captured (the time in its name), ISO 8601. */
  at: string;
  /** `listing`: its callback had not arrived when the capture ended; the bucket listing found it. */
  source?: 'listing';
}

/** What each event type carries, besides `workflowId` which every event's data names. */
export interface WebhookEventData {
  'capture.started': { sid: string; resourceId?: string; channel: string; recorderUid: string };
  'capture.paused': { reason: string; sid?: string };
  'capture.resumed': { sid?: string };
  /** The result summary (the capture's CaptureResult, or its failure). */
  'capture.ended': Record<string, unknown> & { reason: string };
  /** Accepted one file at a time by emitWebhook; delivered in batches of `files`. */
  'screenshots.uploaded': ScreenshotFile;
}

export type WebhookEventType = keyof WebhookEventData;

/** One event as queued and delivered: `seq` orders it within its capture (from 1). */
export interface WebhookEvent {
  seq: number;
  type: WebhookEventType;
  /** When the event happened, ISO 8601; the body's `timestamp`, the same on every attempt. */
  timestamp: string;
  /** The body's `data`: always names the capture's `workflowId`. */
  data: Record<string, unknown> & { workflowId: string };
}

/** How long and how often the delivery workflow retries one event (from worker config). */
export interface DeliveryRetry {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  /** An event still undelivered this long after it happened is given up (at least 24 h). */
  giveUpAfterMs: number;
}

/** Input of the per-capture delivery workflow (set by the first signal-with-start). */
export interface DeliveryInput {
  captureWorkflowId: string;
  /** The capture's first run id: tells apart captures that reuse a workflow id. */
  captureRunId: string;
  target: WebhookTarget;
  retry: DeliveryRetry;
  /**
   * Continue-as-new once a run's history has this many events, besides when the server
   * suggests it. Tests set it low to exercise the hand-over; unset in production.
   */
  continueAsNewAfterEvents?: number;
}

/** The delivery backlog of one capture, as the delivery workflow's query returns it. */
export interface DeliveryStatus {
  captureWorkflowId: string;
  url: string;
  /** Events received from the capture and not yet delivered or given up. */
  pending: number;
  delivered: number;
  /** Events dropped after their retry window (or a 410 Gone); see lastError. */
  givenUp: number;
  /** Highest event sequence number received from the capture. */
  received: number;
  /** The event being attempted and its attempt count, while one is in flight or waiting. */
  current?: { seq: number; type: WebhookEventType; attempts: number; nextAttemptAt?: string };
  lastError?: { seq: number; attempt: number; message: string; at: string; status?: number };
  /** True once capture.ended was delivered or given up: the workflow completes. */
  finished: boolean;
}

/** The delivery workflow's id for a capture run. */
export function deliveryWorkflowId(captureWorkflowId: string, captureRunId: string): string {
  return `webhooks/${captureWorkflowId}/${captureRunId}`;
}
