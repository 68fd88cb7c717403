/**
 * Which event-44 notifications a recorder owes: it remembers the last state it reported per
 * uid and returns only changes. A subscribed user appearing is reported with its current state
 * (0 receiving, 1 not, e.g. joined with video off); a reported user disappearing (left, or no
 * longer subscribed) is reported as 1 unless it already was.
 */
import type { Publisher } from './sim-types';

/** One event-44 worth of change. */
export interface VideoStateChange {
  uid: string;
  state: 0 | 1;
}

/** Last-reported video state per uid. */
export class VideoReport {
  private reported = new Map<string, 0 | 1>();

  /** Changes since the last call, for the subscribed users among `publishers`, in join order. */
  diff(publishers: readonly Publisher[], subscribed: (uid: string) => boolean): VideoStateChange[] {
    const out: VideoStateChange[] = [];
    const seen = new Set<string>();
    for (const { uid, video } of publishers) {
      if (!subscribed(uid)) continue;
      seen.add(uid);
      const state = video ? 0 : 1;
      if (this.reported.get(uid) === state) continue;
      this.reported.set(uid, state);
      out.push({ uid, state });
    }
    for (const [uid, state] of this.reported) {
      if (seen.has(uid)) continue;
      this.reported.delete(uid);
      if (state === 0) out.push({ uid, state: 1 });
    }
    return out;
  }

  /** Forgets everything (a new bot after failover reports from scratch). */
  clear(): void {
    this.reported.clear();
  }
}
