/**
 * The capture's side of webhook delivery: events get their sequence number here, screenshot
 * files are gathered into batches, and a background loop hands the events, in order, to the
 * per-capture delivery workflow (signal-with-start through an activity). The capture never
 * awaits the endpoint: handing off is a Temporal call, delivery happens in the other workflow.
 */
import { CancellationScope, condition, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { WebhookActivities } from '../../activities/webhooks';
import type {
  ScreenshotFile,
  WebhookEvent,
  WebhookEventData,
  WebhookEventType,
  WebhookTarget,
} from './types';

/** A capture's webhook settings as the validated request carries them. */
export interface WebhookSettings extends WebhookTarget {
  screenshots: { maxFiles: number; maxSeconds: number };
}

/** What the outbox carries through the capture's continue-as-new. */
export interface OutboxState {
  nextSeq: number;
  /** Events made and not yet accepted by the delivery workflow, oldest first. */
  unsent: WebhookEvent[];
  /** Screenshot files waiting for their batch to close. */
  batch: ScreenshotFile[];
  batchOpenedAtMs?: number;
}

/** Events per signal: keeps each signal far below the 2 MB payload limit. */
const EVENTS_PER_SIGNAL = 20;

const { enqueueWebhookEvents } = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '30s',
  // Handing off must not fail: only Temporal itself being unreachable stops it, and then
  // nothing else works either. Unlimited attempts, short backoff.
  retry: { initialInterval: '1s', maximumInterval: '30s', backoffCoefficient: 2 },
  summary: 'hand webhook events to the delivery workflow',
});

export class WebhookOutbox {
  private sending = false;

  constructor(
    private readonly settings: WebhookSettings,
    private readonly capture: { workflowId: string; runId: string },
    readonly state: OutboxState = { nextSeq: 1, unsent: [], batch: [] },
  ) {}

  /** Queues an event; screenshot files join the open batch. Never blocks. */
  emit<T extends WebhookEventType>(type: T, data: WebhookEventData[T]): void {
    if (type === 'screenshots.uploaded') {
      if (this.state.batch.length === 0) this.state.batchOpenedAtMs = Date.now();
      this.state.batch.push(data as ScreenshotFile);
      if (this.state.batch.length >= this.settings.screenshots.maxFiles) this.closeBatch();
      return;
    }
    // Files reported before this event are delivered before it.
    this.closeBatch();
    this.push(type, data as Record<string, unknown>);
  }

  /** Turns the open batch (if any) into one screenshots.uploaded event. */
  closeBatch(): void {
    const files = this.state.batch;
    if (files.length === 0) return;
    this.state.batch = [];
    this.state.batchOpenedAtMs = undefined;
    this.push('screenshots.uploaded', { count: files.length, files });
  }

  /** True when every event has been accepted by the delivery workflow. */
  handedOff(): boolean {
    return this.state.unsent.length === 0 && this.state.batch.length === 0 && !this.sending;
  }

  /** Starts the hand-off loop; it runs until the workflow ends, immune to its cancellation. */
  start(): void {
    void CancellationScope.nonCancellable(() => this.loop());
  }

  private push(type: WebhookEventType, data: Record<string, unknown>): void {
    this.state.unsent.push({
      seq: this.state.nextSeq++,
      type,
      timestamp: new Date(Date.now()).toISOString(),
      data: { workflowId: this.capture.workflowId, ...data },
    });
  }

  /** Milliseconds until the open batch is due, or undefined when none is open. */
  private batchDueInMs(): number | undefined {
    if (this.state.batchOpenedAtMs === undefined) return undefined;
    return this.state.batchOpenedAtMs + this.settings.screenshots.maxSeconds * 1000 - Date.now();
  }

  private async loop(): Promise<void> {
    for (;;) {
      const due = this.batchDueInMs();
      const openedAt = this.state.batchOpenedAtMs;
      // Wake for new events, and when a batch opens or closes (its timer must change).
      const ready = () => this.state.unsent.length > 0 || this.state.batchOpenedAtMs !== openedAt;
      if (due === undefined) await condition(ready);
      else if (due > 0) await condition(ready, due);
      const left = this.batchDueInMs();
      if (left !== undefined && left <= 0) this.closeBatch();
      if (this.state.unsent.length === 0) continue;
      const events = this.state.unsent.slice(0, EVENTS_PER_SIGNAL);
      this.sending = true;
      try {
        await enqueueWebhookEvents({
          captureWorkflowId: this.capture.workflowId,
          captureRunId: this.capture.runId,
          target: { url: this.settings.url, secret: this.settings.secret },
          events,
        });
        // Removed only once accepted: a continue-as-new in between carries them (the
        // delivery workflow drops the duplicates by seq).
        this.state.unsent.splice(0, events.length);
      } catch (err) {
        log.warn('webhook hand-off failed; retrying', { error: String(err) });
        await sleep('10s');
      } finally {
        this.sending = false;
      }
    }
  }
}
