/**
 * Per-App-ID request rate limit (429 `API rate limit exceeded`). The reference leaves open
 * whether Agora counts per endpoint; this counts all REST calls together, the stricter reading.
 */

/** Sliding one-second window over the emulator clock. */
export class RateLimiter {
  private hits: number[] = [];

  constructor(
    private readonly limit: number | undefined,
    private readonly now: () => number,
  ) {}

  /** Records a request; false when it exceeds the limit (rejected requests are not counted). */
  allow(): boolean {
    if (this.limit === undefined) return true;
    const now = this.now();
    this.hits = this.hits.filter((t) => t > now - 1000);
    if (this.hits.length >= this.limit) return false;
    this.hits.push(now);
    return true;
  }

  /** Forgets past requests. */
  clear(): void {
    this.hits = [];
  }
}
