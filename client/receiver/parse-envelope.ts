/**
 * Raw body bytes → NCS envelope. Runs only after the signature matched, so the cost of
 * parsing is never spent on unauthenticated input. Errors name the field, never echo values.
 */
import type { z } from 'zod';
import { NcsEnvelope } from '../../agora/notifications';

/** Result of {@link parseEnvelope}: the envelope, or a 400 message and whether JSON itself was bad. */
export type ParsedEnvelope =
  { ok: true; envelope: NcsEnvelope } | { ok: false; kind: 'bad-json' | 'bad-envelope'; error: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses and validates the body; never throws. */
export function parseEnvelope(raw: Buffer): ParsedEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(raw));
  } catch (e) {
    // JSON.parse messages quote at most a few characters of input; TextDecoder's none.
    const why = e instanceof SyntaxError ? e.message : 'body is not valid UTF-8';
    return { ok: false, kind: 'bad-json', error: `malformed JSON: ${why}`.slice(0, 200) };
  }
  const parsed = NcsEnvelope.safeParse(json, { reportInput: true });
  if (!parsed.success)
    return { ok: false, kind: 'bad-envelope', error: describeIssues(parsed.error.issues, '') };
  return { ok: true, envelope: parsed.data };
}

/**
 * "payload.sid: required; eventType: expected number". `prefix` is prepended to each path
 * (e.g. "payload.details"). Messages come from zod and never contain the offending value.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: string): string {
  return issues
    .slice(0, 5)
    .map((i) => {
      const field = [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(envelope)';
      const missing = i.code === 'invalid_type' && 'input' in i && i.input === undefined;
      return `${field}: ${missing ? 'required' : i.message.replace(/^Invalid input: /, '')}`;
    })
    .join('; ')
    .slice(0, 500);
}
