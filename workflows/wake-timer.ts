/**
 * The capture loop's wake-up timer, kept armed across loop passes (since patch LEAN_HISTORY).
 * Each callback wakes the loop; re-arming a timer for the same deadline on every pass cost a
 * TimerStarted and a TimerCanceled event per callback batch (and the SDK's condition-with-timeout
 * machinery each time). The timer is re-armed only when the deadline moves. Workflow code.
 */
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

export class WakeTimer {
  private armed?: { at: number; fired: boolean; scope: CancellationScope };

  /** Whether the armed deadline has passed (its timer fired). */
  get fired(): boolean {
    return this.armed?.fired ?? false;
  }

  /** Arms for `at` (ms, workflow time), unless already armed for it; `undefined` disarms. */
  set(at: number | undefined, now: number): void {
    const armed0 = this.armed;
    if (armed0 !== undefined && armed0.at === at && !armed0.fired) return;
    this.cancel();
    if (at === undefined || at <= now) return;
    const scope = new CancellationScope();
    const armed = { at, fired: false, scope };
    this.armed = armed;
    scope
      .run(() => sleep(at - now))
      .then(
        () => void (armed.fired = true),
        (err: unknown) => {
          // Cancelled by `set`/`cancel`, or with the workflow: the loop's own wait sees that.
          if (!isCancellation(err)) throw err;
        },
      );
  }

  /** Disarms (the loop is done with it). */
  cancel(): void {
    if (this.armed && !this.armed.fired) this.armed.scope.cancel();
    this.armed = undefined;
  }
}
