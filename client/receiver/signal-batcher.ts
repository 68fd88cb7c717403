/**
 * Group commit for `agoraEvent` signals: a capture's first signal leaves one event-loop turn
 * after its first callback, with every callback of that capture read in the same turn; while it
 * is in flight, later callbacks queue up and go together in the next signal. Each HTTP callback is
 * still answered only after the signal carrying its event was accepted. One signal in flight
 * per capture also keeps a burst from flooding its history (and from starving the
 * continue-as-new that bounds it).
 */
import type { CaptureEvent } from '../../workflows/messages';

type Send = (workflowId: string, events: CaptureEvent[], abort: AbortSignal) => Promise<boolean>;

/** Told of every signal sent, with how many events it carried (for the batch-size metrics). */
export type OnSent = (events: number) => void;

interface Waiter {
  event: CaptureEvent;
  resolve: (delivered: boolean) => void;
  reject: (err: unknown) => void;
}

/** Most events in one signal: keeps a payload well under Temporal's 2 MB limit. */
export const MAX_BATCH = 200;

export class SignalBatcher {
  private readonly queues = new Map<string, Waiter[]>();
  private readonly busy = new Set<string>();

  constructor(
    private readonly send: Send,
    private readonly timeoutMs: number,
    private readonly onSent: OnSent = () => {},
  ) {}

  /** Resolves true once a signal carrying `event` was accepted, false if the workflow is gone. */
  signal(workflowId: string, event: CaptureEvent, abort: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const waiter: Waiter = { event, resolve, reject };
      const queue = this.queues.get(workflowId) ?? [];
      queue.push(waiter);
      this.queues.set(workflowId, queue);
      abort.addEventListener(
        'abort',
        () => {
          const q = this.queues.get(workflowId);
          const i = q?.indexOf(waiter) ?? -1;
          if (q && i >= 0) q.splice(i, 1); // not sent yet: withdraw it
          reject(abort.reason instanceof Error ? abort.reason : new Error('signal aborted'));
        },
        { once: true },
      );
      if (!this.busy.has(workflowId)) {
        // The first send waits one event-loop turn: callbacks of the capture read in the same
        // turn (Agora reports a tick's screenshots of every uid together) join it.
        this.busy.add(workflowId);
        setImmediate(() => void this.flush(workflowId));
      }
    });
  }

  private async flush(workflowId: string): Promise<void> {
    try {
      for (;;) {
        const queue = this.queues.get(workflowId);
        if (!queue || queue.length === 0) break;
        const batch = queue.splice(0, MAX_BATCH);
        this.onSent(batch.length);
        try {
          const delivered = await this.send(
            workflowId,
            batch.map((w) => w.event),
            AbortSignal.timeout(this.timeoutMs),
          );
          for (const w of batch) w.resolve(delivered);
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.queues.delete(workflowId);
      this.busy.delete(workflowId);
    }
  }
}
