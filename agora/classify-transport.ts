/**
 * Classifies failures where no HTTP answer arrived: undici errors, Node socket/DNS/TLS
 * errors, and the client's own deadline. The question that matters for a durable caller is
 * `outcomeUnknown`: could Agora have received and acted on the request? Only errors that
 * prove the request never left (DNS, refused, unreachable, connect timeout, certificate
 * rejection, closed client) say false; everything else is assumed possibly delivered.
 */
import { AgoraError, isAgoraError, truncateReason, type AgoraEndpoint } from './agora-error';
import { redactSecrets } from './redact';

/**
 * Thrown into the request by AgoraClient when its overall per-request deadline passes, so
 * classification can tell "our timeout" from other aborts.
 */
export class AgoraDeadlineError extends Error {
  override readonly name = 'AgoraDeadlineError';
  readonly code = 'AGORA_DEADLINE_EXCEEDED';
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
  }
}

/** Codes that prove the request bytes were never sent. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  // ClientClosedError: dispatch refused because close() was called.
  'UND_ERR_CLOSED',
  // Certificate rejection happens in the handshake, before any request byte.
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Codes meaning "sent, but no complete answer in time". */
const TIMEOUT_CODES = new Set([
  'AGORA_DEADLINE_EXCEEDED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/** Codes meaning our own request was malformed before sending (a bug, not the network). */
const INVALID_REQUEST_CODES = new Set(['UND_ERR_INVALID_ARG', 'ERR_INVALID_URL']);

/** Every `code` found on the error, its `cause` chain and AggregateError members. */
function collectCodes(err: unknown, depth = 0, out: string[] = []): string[] {
  if (depth > 5 || typeof err !== 'object' || err === null) return out;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') out.push(e.code);
  if (Array.isArray(e.errors)) for (const inner of e.errors) collectCodes(inner, depth + 1, out);
  collectCodes(e.cause, depth + 1, out);
  return out;
}

/**
 * Turns a thrown transport error into an AgoraError. An AgoraError passes through unchanged.
 * `redact` lists secret values to scrub from the underlying message (defence in depth:
 * undici messages do not normally contain request data).
 */
export function classifyTransportError(
  endpoint: AgoraEndpoint,
  err: unknown,
  options: { redact?: readonly string[] } = {},
): AgoraError {
  if (isAgoraError(err)) return err;
  const codes = collectCodes(err);
  const primary = codes[0];
  const detail = truncateReason(
    redactSecrets(err instanceof Error ? err.message : String(err), options.redact).replace(/\s+/g, ' '),
  );
  const suffix = `${primary ? ` ${primary}` : ''}${detail ? `: ${detail}` : ''}`;
  const base = { endpoint, ...(primary !== undefined && { reason: primary }), cause: err };

  if (codes.some((c) => INVALID_REQUEST_CODES.has(c))) {
    return new AgoraError({
      ...base,
      type: 'AgoraRequestInvalid',
      outcomeUnknown: false,
      message: `Agora ${endpoint} failed: request rejected locally${suffix}`,
    });
  }
  if (codes.some((c) => TIMEOUT_CODES.has(c))) {
    return new AgoraError({
      ...base,
      type: 'AgoraTimeout',
      outcomeUnknown: true,
      message: `Agora ${endpoint} failed: timeout${suffix}`,
    });
  }
  // Not sent only when *every* code we see says so: an AggregateError mixing a refusal with a
  // reset must stay "unknown".
  const notSent = codes.length > 0 && codes.every((c) => NOT_SENT_CODES.has(c));
  return new AgoraError({
    ...base,
    type: 'AgoraNetworkError',
    outcomeUnknown: !notSent,
    message: `Agora ${endpoint} failed: network error${suffix}`,
  });
}
