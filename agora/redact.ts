/**
 * Last line of defence for "secrets never in messages". Agora's reasons are server text we
 * do not control; an echo of a token or key must not reach logs or Temporal history.
 */

const REDACTED = '[redacted]';

/** Secrets shorter than this are not searched for: replacing "1" everywhere helps nobody. */
const MIN_SECRET_LENGTH = 4;

/** Shapes that are secret whoever sent them: Basic credentials and Agora 006/007 tokens. */
const SECRET_SHAPES: RegExp[] = [/\bBasic\s+[A-Za-z0-9+/=]{8,}/gi, /\b00[67][A-Za-z0-9+/=]{20,}/g];

/**
 * Replaces every occurrence of the given secret values, and anything shaped like a Basic
 * credential or an Agora token, with "[redacted]".
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  const sorted = [...secrets]
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  for (const secret of sorted) out = out.split(secret).join(REDACTED);
  for (const shape of SECRET_SHAPES) out = out.replace(shape, REDACTED);
  return out;
}
