/**
 * A capture worker is two SDK workers on one connection: the workflow worker on the capture
 * task queue, and the Agora worker on agoraTaskQueue() whose activity dispatch the server
 * rate-limits. They run, drain and stop together.
 */
import type { Worker } from '@temporalio/worker';

export class CaptureWorker {
  constructor(
    /** Workflows (and local activities) on TEMPORAL_TASK_QUEUE. */
    readonly workflows: Worker,
    /** Agora activities on the rate-limited queue. */
    readonly agora: Worker,
  ) {}

  /** Runs both until shutdown(); if either fails, the other is shut down and the error rethrown. */
  async run(): Promise<void> {
    const runs = [this.workflows.run(), this.agora.run()];
    try {
      await Promise.race(runs);
    } finally {
      this.shutdown();
      await Promise.allSettled(runs);
    }
    await Promise.all(runs);
  }

  /** Starts draining both (idempotent). */
  shutdown(): void {
    for (const w of [this.workflows, this.agora]) if (w.getState() === 'RUNNING') w.shutdown();
  }

  /** Runs both until `fn` settles, then shuts down and returns its result. */
  async runUntil<R>(fn: () => Promise<R>): Promise<R> {
    return this.workflows.runUntil(() => this.agora.runUntil(fn));
  }
}
