/**
 * Checks done before a request leaves: body validation against the request schema, path
 * segments, and collecting the secret values a body carries so that error text can be
 * scrubbed of them. Failing here is a caller bug, reported as AgoraRequestInvalid (nothing sent).
 */
import type { z } from 'zod';
import { AgoraError, type AgoraEndpoint } from './agora-error';
import { formatIssues } from './http-call';

/** The error for a request that was never sent because it is malformed. */
export function requestInvalid(endpoint: AgoraEndpoint, detail: string): AgoraError {
  return new AgoraError({
    type: 'AgoraRequestInvalid',
    endpoint,
    outcomeUnknown: false,
    message: `Agora ${endpoint} request invalid (not sent): ${detail}`,
  });
}

/** Validates `body` and returns the exact bytes to send (issue text never echoes values). */
export function serializeBody<T>(endpoint: AgoraEndpoint, schema: z.ZodType<T>, body: unknown): string {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw requestInvalid(endpoint, formatIssues(parsed.error));
  return JSON.stringify(parsed.data);
}

/** A caller-supplied URL path segment (resourceId, sid): must be non-empty; escaped. */
export function pathSegment(endpoint: AgoraEndpoint, value: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw requestInvalid(endpoint, 'resourceId and sid must be non-empty strings');
  }
  return encodeURIComponent(value);
}

const SECRET_KEYS = new Set(['token', 'accessKey', 'secretKey', 'stsToken', 'secret', 'salt']);

/** Secret values inside a request body, so an echo in Agora's reason can be scrubbed. */
export function bodySecrets(body: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown, depth: number): void => {
    if (depth > 6 || typeof v !== 'object' || v === null) return;
    for (const [k, val] of Object.entries(v)) {
      if (typeof val === 'string' && SECRET_KEYS.has(k)) out.push(val);
      else visit(val, depth + 1);
    }
  };
  visit(body, 0);
  return out;
}
