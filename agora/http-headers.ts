/**
 * Small, pure helpers for response headers as undici and node:http hand them over
 * (lower-case keys, values string or string[]). Kept apart so error classification and the
 * notification verifier read headers the same way.
 */

/** Header bag as undici's `request` and node's IncomingHttpHeaders provide it. */
export type HeaderBag = Record<string, string | string[] | undefined>;

/**
 * Case-insensitive single-value lookup. A repeated header yields its first value: for the
 * headers we read (x-request-id, Retry-After, signatures) repetition is never meaningful.
 */
export function headerValue(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.trim();
  }
  return undefined;
}

/** Whether a header is present more than once (used to reject ambiguous signatures). */
export function headerIsRepeated(headers: HeaderBag, name: string): boolean {
  const wanted = name.toLowerCase();
  let count = 0;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    count += Array.isArray(value) ? value.length : 1;
  }
  return count > 1;
}

/** Upper bound on honoured Retry-After: a hostile or buggy value must not park a task for days. */
export const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;

/**
 * Parses Retry-After (delta-seconds or HTTP-date, RFC 9110 §10.2.3) into milliseconds from
 * `now`. Returns undefined when absent or unparseable; clamps to [0, MAX_RETRY_AFTER_MS].
 */
export function parseRetryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value === '') return undefined;
  let ms: number;
  if (/^\d+$/.test(value)) {
    ms = Number(value) * 1000;
  } else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}
