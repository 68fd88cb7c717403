/**
 * Human durations for CLI flags: `90`, `90s`, `30m`, `2h`, `1h30m`, `1d`. Captures are
 * planned in minutes and hours, so operators should not have to multiply by 3600 themselves.
 */

/** Units in the order they must appear; each at most once. */
const UNITS = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
] as const;

const PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** The text is not a duration; the message says what is accepted (callers prefix the flag). */
export class DurationSyntaxError extends Error {
  override name = 'DurationSyntaxError';
}

/**
 * Parses a duration into whole seconds. Plain digits are seconds. Components go from
 * largest to smallest unit (`1h30m`, not `30m1h`); fractions are refused (`1.5h` → write `1h30m`)
 * because a rounded capture length would be a silent surprise. Range checks are left to the
 * capture request's validation, which names the field.
 */
export function parseDuration(text: string): number {
  const t = text.trim().toLowerCase();
  const hint = 'use seconds (90) or units d/h/m/s from largest to smallest (90s, 30m, 2h, 1h30m)';
  if (t === '') throw new DurationSyntaxError(`empty duration: ${hint}`);
  if (t.startsWith('-')) throw new DurationSyntaxError(`must be positive, got "${text}": ${hint}`);
  if (/^\d+$/.test(t)) return checked(Number(t), text, hint);
  const m = PATTERN.exec(t);
  if (!m || m.slice(1).every((g) => g === undefined))
    throw new DurationSyntaxError(`"${text}" is not a duration: ${hint}`);
  let seconds = 0;
  UNITS.forEach(([, factor], i) => {
    const part = m[i + 1];
    if (part !== undefined) seconds += Number(part) * factor;
  });
  return checked(seconds, text, hint);
}

function checked(seconds: number, text: string, hint: string): number {
  if (!Number.isSafeInteger(seconds)) throw new DurationSyntaxError(`"${text}" is too large: ${hint}`);
  return seconds;
}

/** Formats seconds the way parseDuration reads them: 5400 → "1h30m", 45 → "45s", 0 → "0s". */
export function formatDuration(totalSeconds: number): string {
  let rest = Math.max(0, Math.round(totalSeconds));
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, factor] of UNITS) {
    const n = Math.floor(rest / factor);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * factor;
  }
  return out;
}
