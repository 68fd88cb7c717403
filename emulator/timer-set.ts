/**
 * Real timers owned by one part of the simulation, cleared together when it ends, resets or the
 * emulator closes. Timers are unref'd: a forgotten emulator must not keep a process alive.
 */

/** A set of timeouts and intervals that can be cleared at once. */
export class TimerSet {
  private timers = new Set<NodeJS.Timeout>();

  /** Runs `run` once after `ms`. */
  after(ms: number, run: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      run();
    }, ms);
    this.timers.add(t.unref());
    return t;
  }

  /** Runs `run` every `ms`. */
  every(ms: number, run: () => void): NodeJS.Timeout {
    const t = setInterval(run, ms);
    this.timers.add(t.unref());
    return t;
  }

  /** Cancels one timer (no-op for undefined or one that already fired). */
  cancel(t: NodeJS.Timeout | undefined): void {
    if (!t) return;
    clearTimeout(t);
    this.timers.delete(t);
  }

  /** Cancels every timer. */
  clear(): void {
    this.timers.forEach(clearTimeout);
    this.timers.clear();
  }
}
