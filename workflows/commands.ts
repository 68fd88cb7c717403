/**
 * Which operator commands can apply now. Pure: the update validators (machine.ts) call these
 * and reject with the returned reason, which names the capture's state; unit-tested directly.
 */
import type { CaptureState } from './state';

const ENDING = ['STOPPING', 'STOPPED', 'FAILED'];

/**
 * Control characters (C0 with newline and tab, DEL, C1) and Unicode's bidirectional controls
 * (marks, embeddings, overrides, isolates: U+200E/F, U+202A–E, U+2066–9), which reorder the text
 * around them in terminals and logs: what an operator's reason may not hold and what the CLI
 * escapes in any outside text it prints. Not global: `.test`/`.exec` keep no state.
 */
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** The longest operator reason kept: it travels in status, results, webhooks and history. */
export const REASON_MAX = 500;

/**
 * Undefined when an operator's reason (stop, pause) can be kept as given; else why not: it
 * must be text of at most REASON_MAX characters without control characters, which would
 * rewrite the terminals and logs that show it.
 */
export function whyNotReason(reason: unknown): string | undefined {
  if (reason === undefined || reason === null) return undefined;
  if (typeof reason !== 'string') return 'reason must be a string';
  if (reason.length > REASON_MAX)
    return `reason must be at most ${REASON_MAX} characters (got ${reason.length})`;
  if (CONTROL_CHARS.test(reason)) return 'reason must not contain control characters (newlines included)';
  return undefined;
}

/**
 * Undefined when an operator command's argument is absent or an object (`{"reason": "…"}`);
 * else why not: `temporal workflow update execute --input '"maintenance"'` would otherwise be
 * accepted with its text silently dropped.
 */
export function whyNotArgs(args: unknown): string | undefined {
  if (args === undefined || args === null) return undefined;
  return typeof args === 'object' && !Array.isArray(args)
    ? undefined
    : 'the argument must be an object, e.g. {"reason": "maintenance"} (or {} or none)';
}

/**
 * A reason a signal brought (signals cannot be refused): control characters become spaces and
 * it is cut to REASON_MAX, so what is kept meets the update validators' rule.
 */
export function keptReason(reason: unknown): string | undefined {
  if (typeof reason !== 'string') return undefined;
  return reason.replace(new RegExp(CONTROL_CHARS.source, 'g'), ' ').slice(0, REASON_MAX);
}

/**
 * An operator pause whose stop of the Agora session has not landed yet (Agora failing it): the
 * phase is STOPPING, but the capture is pausing, not ending.
 */
function pausing(s: CaptureState): boolean {
  return (
    s.operatorPauseWanted && !s.operatorPaused && s.endReason === undefined && s.stopRequested === undefined
  );
}

const STILL_PAUSING = (s: CaptureState) =>
  `the capture is still pausing: the stop of its Agora session has not landed yet (phase ${s.phase}${s.lastError ? `, last error: ${s.lastError.message}` : ''})`;

/** Undefined when a pause can apply; else why not. */
export function whyNotPause(s: CaptureState): string | undefined {
  if (pausing(s)) return `cannot pause: ${STILL_PAUSING(s)}`;
  if (s.endReason !== undefined || s.stopRequested !== undefined || ENDING.includes(s.phase))
    return `cannot pause: the capture is ending (phase ${s.phase}${s.endReason ? `, ${s.endReason}` : ''})`;
  if (s.operatorPauseWanted) return `cannot pause: the capture is already operator-paused (phase ${s.phase})`;
  if (s.phase !== 'CAPTURING' && s.phase !== 'PAUSED')
    return `cannot pause: no Agora session runs yet (phase ${s.phase}); pause once it is CAPTURING`;
  return undefined;
}

/** Undefined when a resume can apply; else why not. */
export function whyNotResume(s: CaptureState): string | undefined {
  if (pausing(s)) return `cannot resume yet: ${STILL_PAUSING(s)}; resume once it is PAUSED`;
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
