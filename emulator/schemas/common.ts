/**
 * Building blocks shared by the request schemas, and the conversion of zod issues into
 * Agora's `400 {"code":2,"reason"}` with a reason that names the offending field.
 */
import { z } from 'zod';
import { invalidParam } from '../errors';

/**
 * Characters Agora allows in a channel name (legacy code 1013,
 * https://docs.agora.io/en/cloud-recording/reference/common-errors).
 */
const CNAME_RE = /^[a-zA-Z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,]+$/;
/** Code 1013 says "under 64 bytes"; all allowed characters are ASCII, so bytes = chars. */
export const CNAME_MAX = 63;

/** True when `cname` is a valid channel name (charset and length). */
export function isValidCname(cname: string): boolean {
  return cname.length <= CNAME_MAX && CNAME_RE.test(cname);
}

/** True for a canonical decimal uid in [1, 2^32-1] (no sign, no leading zero, never "0"). */
export function isValidUid(uid: string): boolean {
  return /^[1-9][0-9]{0,9}$/.test(uid) && Number(uid) <= 0xffff_ffff;
}

/** `uid`: a string, because Agora's body field is a string even though it holds an integer. */
export const uidSchema = z
  .string()
  .refine(isValidUid, 'must be a decimal integer string in [1, 4294967295], not "0"');

/** An integer within an inclusive range, with a message that states the range. */
export function intIn(min: number, max: number) {
  const msg = `must be an integer in [${min}, ${max}]`;
  return z.number().int(msg).min(min, msg).max(max, msg);
}

/** A subscription list: at most 32 entries, each a uid string or "#allstream#". */
export const uidListSchema = z
  .array(
    z.string().refine((s) => s === '#allstream#' || isValidUid(s), 'must be a uid string or "#allstream#"'),
  )
  .max(32, 'must have at most 32 entries');

/** A JSON object with unknown content (used where only the presence/type matters). */
export const anyObject = z.record(z.string(), z.unknown());

/** Formats a zod path the way a developer would write it: `where.a.b[0].c`. */
function formatPath(where: string, path: readonly PropertyKey[]): string {
  let out = where;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || 'body';
}

/**
 * Parses `input` or throws 400 code 2; `where` is the path of `input` inside the body. Unknown
 * keys are ignored (like Go's JSON decoding on Agora's side); missing fields read "is required".
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, where = ''): z.output<S> {
  const r = schema.safeParse(input, {
    error: (iss) => (iss.input === undefined ? 'is required' : undefined),
  });
  if (r.success) return r.data;
  const reasons = r.error.issues.slice(0, 3).map((i) => `${formatPath(where, i.path)}: ${i.message}`);
  throw invalidParam(reasons.join('; '));
}
