/**
 * The concurrent-task quota (400/406 `vendor_over_load` on acquire). A resourceId is a
 * recording resource: from acquire until its start (or its 5-minute life ends unused) it holds
 * a slot, then its session does until it ends. Agora does not document whether unused
 * resources count; counting them is the stricter reading, and the only one under which the
 * quota bounds the number of live sessions (otherwise a burst of acquires at zero sessions
 * would all pass and all start).
 */
export class TaskQuota {
  /** resourceId → when the unused reservation lapses. */
  private readonly reserved = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  /** Unused resourceIds still holding a slot. */
  pending(): number {
    const now = this.now();
    for (const [rid, until] of this.reserved) if (until <= now) this.reserved.delete(rid);
    return this.reserved.size;
  }

  /** acquire issued `resourceId`. */
  reserve(resourceId: string): void {
    this.reserved.set(resourceId, this.now() + this.ttlMs);
  }

  /** `resourceId` started a session, which now holds the slot. */
  release(resourceId: string): void {
    this.reserved.delete(resourceId);
  }

  clear(): void {
    this.reserved.clear();
  }
}
