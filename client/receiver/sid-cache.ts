/**
 * sid → workflow id, learned from signals that reached their workflow. After a failover the
 * bot's uid changes, so the deterministic id no longer matches; the sid still does. A small
 * LRU in memory is enough: it only saves a visibility query, which is the durable fallback.
 */
export class SidCache {
  // Map iteration order is insertion order: the first key is the least recently used.
  private readonly map = new Map<string, string>();

  constructor(private readonly capacity = 1024) {}

  get(sid: string): string | undefined {
    const id = this.map.get(sid);
    if (id !== undefined) {
      this.map.delete(sid);
      this.map.set(sid, id);
    }
    return id;
  }

  set(sid: string, workflowId: string): void {
    this.map.delete(sid);
    this.map.set(sid, workflowId);
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.map.delete(oldest.value);
    }
  }

  delete(sid: string): void {
    this.map.delete(sid);
  }

  get size(): number {
    return this.map.size;
  }
}
