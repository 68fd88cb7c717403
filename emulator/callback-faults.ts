/**
 * Decides, per notification, whether it is lost, duplicated and how long each copy waits before
 * its first attempt. Draws come from one seeded PRNG in a fixed order (loss, duplicate, delay
 * per copy), so the same seed and the same sequence of events give the same faults.
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { seededRandom } from './prng';
import type { CallbackFaults } from './sim-types';

const rate = z.number().min(0).max(1);

/** Schema of {@link CallbackFaults} (admin body and programmatic input). */
export const callbackFaultsSchema = z.strictObject({
  duplicateRate: rate.optional(),
  duplicateNoticeId: z.enum(['same', 'fresh']).optional(),
  reorderWindowMs: z.number().min(0).optional(),
  lossRate: rate.optional(),
  lossEventTypes: z.array(z.number().int()).optional(),
  seed: z.number().int().optional(),
});

/** Faults with defaults applied (the seed is always known, to replay a run). */
export type ResolvedCallbackFaults = Required<CallbackFaults>;

/** What happens to one notification. */
export interface FaultDecision {
  lost: boolean;
  /** Extra delay of each copy before its first attempt; one entry, or two when duplicated. */
  delaysMs: number[];
}

/** The current fault settings and their PRNG. */
export class CallbackFaultPlan {
  private cfg: ResolvedCallbackFaults = CallbackFaultPlan.resolve({});
  private random = seededRandom(this.cfg.seed);

  /** Replaces the settings (validated) and reseeds; returns them with defaults. */
  set(faults: CallbackFaults): ResolvedCallbackFaults {
    this.cfg = CallbackFaultPlan.resolve(callbackFaultsSchema.parse(faults));
    this.random = seededRandom(this.cfg.seed);
    return { ...this.cfg };
  }

  /** Current settings. */
  get(): ResolvedCallbackFaults {
    return { ...this.cfg };
  }

  /** Rolls the dice for the next notification. No draw happens for a fault that is off. */
  decide(eventType: number): FaultDecision {
    const { lossRate, lossEventTypes, duplicateRate, reorderWindowMs } = this.cfg;
    const losable = lossEventTypes.length === 0 || lossEventTypes.includes(eventType);
    if (lossRate > 0 && losable && this.random() < lossRate) return { lost: true, delaysMs: [] };
    const copies = duplicateRate > 0 && this.random() < duplicateRate ? 2 : 1;
    const delaysMs = Array.from({ length: copies }, () =>
      reorderWindowMs > 0 ? Math.round(this.random() * reorderWindowMs) : 0,
    );
    return { lost: false, delaysMs };
  }

  private static resolve(f: CallbackFaults): ResolvedCallbackFaults {
    return {
      duplicateRate: f.duplicateRate ?? 0,
      duplicateNoticeId: f.duplicateNoticeId ?? 'same',
      reorderWindowMs: f.reorderWindowMs ?? 0,
      lossRate: f.lossRate ?? 0,
      lossEventTypes: [...(f.lossEventTypes ?? [])],
      seed: f.seed ?? randomInt(0, 2 ** 31),
    };
  }
}
