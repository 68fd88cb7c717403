/**
 * Per-endpoint fault queues. Each matching request takes the head of its endpoint's queue, so
 * a test can script "first start times out, second succeeds" precisely.
 */
import type { Endpoint, Fault } from './types';

/** FIFO fault queues, one per endpoint. */
export class FaultQueues {
  private queues = new Map<Endpoint, Fault[]>();

  /** Appends faults for `endpoint`, consumed in order. */
  push(endpoint: Endpoint, faults: readonly Fault[]): void {
    const q = this.queues.get(endpoint) ?? [];
    q.push(...faults);
    this.queues.set(endpoint, q);
  }

  /** Removes and returns the next fault for a request to `endpoint` naming `sid` (if any), if any. */
  take(endpoint: Endpoint, sid?: string): Fault | undefined {
    const q = this.queues.get(endpoint);
    const i = q?.findIndex((f) => f.sid === undefined || f.sid === sid) ?? -1;
    return i < 0 ? undefined : q!.splice(i, 1)[0];
  }

  /** Pending faults per endpoint (for the admin API and debugging). */
  pending(): Partial<Record<Endpoint, Fault[]>> {
    return Object.fromEntries([...this.queues].filter(([, q]) => q.length > 0).map(([e, q]) => [e, [...q]]));
  }

  /** Drops every pending fault. */
  clear(): void {
    this.queues.clear();
  }
}
