/**
 * Shared pieces of the admin API: its error type, the "unknown sid" error of the programmatic
 * API, and body parsing with zod that turns every problem into a 400 naming the field.
 */
import type { z } from 'zod';

/** Thrown by the programmatic API for a sid it does not know. */
export class UnknownSessionError extends Error {}

/** An admin answer other than 200, with `{error: message}` as body. */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Parses a JSON admin body (empty = `{}`) against `schema`; 400 on any problem. */
export function parse<S extends z.ZodType>(schema: S, raw: Buffer | undefined): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(raw?.toString('utf8') || '{}');
  } catch {
    throw new AdminError(400, 'body is not valid JSON');
  }
  const r = schema.safeParse(json);
  if (!r.success)
    throw new AdminError(400, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
}
