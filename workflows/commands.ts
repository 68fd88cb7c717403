/**
 * Which operator commands can apply now. Pure: the update validators (machine.ts) call these
 * and reject with the returned reason, which names the capture's state; unit-tested directly.
 */
import type { CaptureState } from './state';

const ENDING = ['STOPPING', 'STOPPED', 'FAILED'];

/** Undefined when a pause can apply; else why not. */
export function whyNotPause(s: CaptureState): string | undefined {
  if (s.endReason !== undefined || s.stopRequested !== undefined || ENDING.includes(s.phase))
    return `cannot pause: the capture is ending (phase ${s.phase}${s.endReason ? `, ${s.endReason}` : ''})`;
  if (s.operatorPauseWanted) return `cannot pause: the capture is already operator-paused (phase ${s.phase})`;
  if (s.phase !== 'CAPTURING' && s.phase !== 'PAUSED')
    return `cannot pause: no Agora session runs yet (phase ${s.phase}); pause once it is CAPTURING`;
  return undefined;
}

/** Undefined when a resume can apply; else why not. */
export function whyNotResume(s: CaptureState): string | undefined {
  if (s.endReason !== undefined || s.stopRequested !== undefined || ENDING.includes(s.phase))
    return `cannot resume: the capture is ending (phase ${s.phase}${s.endReason ? `, ${s.endReason}` : ''})`;
  if (!s.operatorPauseWanted) return `cannot resume: the capture is not operator-paused (phase ${s.phase})`;
  return undefined;
}

/** Undefined when a stop can apply (also while one runs: the caller then waits for its end). */
export function whyNotStop(s: CaptureState): string | undefined {
  if (s.phase === 'FAILED') return `cannot stop: the capture already failed (phase FAILED)`;
  return undefined;
}
