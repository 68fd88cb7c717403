/**
 * The single place where an Agora HTTP answer becomes success or a typed AgoraError
 * (https://docs.agora.io/en/api-reference/api-ref/cloud-recording/status-codes). Pure: no I/O, no clock
 * except for an HTTP-date Retry-After.
 */
import { AgoraError, truncateReason, type AgoraEndpoint, type AgoraErrorType } from './agora-error';
import { readErrorBody } from './error-body';
import { headerValue, parseRetryAfterMs, type HeaderBag } from './http-headers';
import { redactSecrets } from './redact';

/** Options for {@link classifyAgoraResponse}. */
export interface ClassifyOptions {
  /** Values to scrub from Agora's reason (the client passes its credentials and tokens). */
  redact?: readonly string[];
}

/**
 * Default wait before retrying 400/406 (concurrent-task quota) when Agora gives no
 * Retry-After: quota frees only when some task ends, so a 1 s backoff would just burn QPS.
 */
export const QUOTA_RETRY_AFTER_MS = 30_000;

/**
 * Service `code` → type, for 4xx answers
 * (https://docs.agora.io/en/api-reference/api-ref/cloud-recording/status-codes
 * and the legacy table https://docs.agora.io/en/cloud-recording/reference/common-errors).
 */
const CODE_TYPES: ReadonlyMap<number, AgoraErrorType> = new Map<number, AgoraErrorType>([
  [2, 'AgoraInvalidParameter'],
  [7, 'AgoraAlreadyStarted'],
  [49, 'AgoraAlreadyStopping'],
  [53, 'AgoraTaskConflict'],
  [109, 'AgoraTokenInvalid'],
  [110, 'AgoraTokenInvalid'],
  [400, 'AgoraInvalidAppId'],
  [401, 'AgoraInvalidChannel'],
  [1013, 'AgoraInvalidChannel'],
  [405, 'AgoraAccountInactive'],
  [406, 'AgoraQuotaExceeded'],
  [432, 'AgoraResourceMismatch'],
  [1001, 'AgoraResourceMismatch'],
  [1003, 'AgoraResourceMismatch'],
  [433, 'AgoraResourceExpired'],
  [435, 'AgoraNoRecordedData'],
]);

/**
 * 5xx service codes that prove the request was *not* acted on: 501 no_worker_manager_available
 * and 502 "Failed to allocate worker". Every other 5xx may hide a session that did start
 * (https://docs.agora.io/en/api-reference/api-ref/cloud-recording/status-codes), so it is reported as
 * outcome-unknown.
 */
const DEFINITE_FAILURE_5XX_CODES = new Set([501, 502]);

const APPID_MESSAGE = /app\s*id is invalid|invalid[\s_]*app\s*id/i;
const NO_ROUTE_MESSAGE = /no route matched/i;

/**
 * Classifies one Agora answer. Returns undefined for HTTP 200 (success; body validation is
 * the caller's job) and an AgoraError for everything else. `body` may be the parsed JSON,
 * the raw text, or undefined; `headers` as undici/node give them.
 */
export function classifyAgoraResponse(
  endpoint: AgoraEndpoint,
  status: number,
  body: unknown,
  headers: HeaderBag,
  options: ClassifyOptions = {},
): AgoraError | undefined {
  if (status === 200) return undefined;
  const facts = readErrorBody(body);
  const { code } = facts;
  let outcomeUnknown = false;
  let type: AgoraErrorType;

  if (status === 201) {
    // Old docs: 201 = "already running". Only code 7 is documented, but no 201 means anything else.
    type = 'AgoraAlreadyStarted';
  } else if (status === 206) {
    // 206 without 435 is "request not completed" (65) or the undocumented old "task not finished":
    // both reached the backend, so the effect is unknown and the same request should be repeated.
    type = code === 435 ? 'AgoraNoRecordedData' : 'AgoraRequestNotCompleted';
    outcomeUnknown = type === 'AgoraRequestNotCompleted';
  } else if (status === 429) {
    type = 'AgoraRateLimited';
  } else if (status >= 500 && status <= 599) {
    type = 'AgoraServerError';
    outcomeUnknown = code === undefined || !DEFINITE_FAILURE_5XX_CODES.has(code);
  } else if (status === 404) {
    type =
      facts.gateway && NO_ROUTE_MESSAGE.test(facts.reason ?? '') ? 'AgoraRouteNotFound' : 'AgoraNotFound';
  } else if (status === 401 || status === 403) {
    type = 'AgoraUnauthorized';
  } else if (status >= 400 && status <= 499) {
    type = classify4xx(endpoint, code, facts.reason);
  } else {
    // 1xx/3xx/other 2xx are not part of the API: a redirecting proxy or a wrong base URL.
    type = 'AgoraProtocolError';
  }

  let retryAfterMs = parseRetryAfterMs(headerValue(headers, 'retry-after'));
  if (type === 'AgoraQuotaExceeded') retryAfterMs ??= QUOTA_RETRY_AFTER_MS;

  const requestId = headerValue(headers, 'x-request-id') || undefined;
  const reason =
    facts.reason === undefined ? undefined : truncateReason(redactSecrets(facts.reason, options.redact));
  return new AgoraError({
    type,
    endpoint,
    message: formatResponseMessage(endpoint, status, code, reason, requestId),
    outcomeUnknown,
    httpStatus: status,
    ...(code !== undefined && { code }),
    ...(reason !== undefined && { reason }),
    ...(requestId !== undefined && { requestId }),
    ...(retryAfterMs !== undefined && { retryAfterMs }),
    ...(facts.sid !== undefined && { sid: facts.sid }),
  });
}

function classify4xx(
  endpoint: AgoraEndpoint,
  code: number | undefined,
  reason: string | undefined,
): AgoraErrorType {
  if (code !== undefined) {
    const byCode = CODE_TYPES.get(code);
    if (byCode) return byCode;
    // Older docs: code 62 on acquire meant "Cloud Recording not enabled for this App ID".
    if (code === 62 && endpoint === 'acquire') return 'AgoraInvalidAppId';
    return 'AgoraBadRequest';
  }
  if (reason !== undefined && APPID_MESSAGE.test(reason)) return 'AgoraInvalidAppId';
  return 'AgoraBadRequest';
}

/** `Agora start failed: HTTP 400 code 2 "invalid storageConfig" (x-request-id abc)`. */
function formatResponseMessage(
  endpoint: AgoraEndpoint,
  status: number,
  code: number | undefined,
  reason: string | undefined,
  requestId: string | undefined,
): string {
  let msg = `Agora ${endpoint} failed: HTTP ${status}`;
  if (code !== undefined) msg += ` code ${code}`;
  if (reason !== undefined) msg += ` ${JSON.stringify(reason)}`;
  if (requestId !== undefined) msg += ` (x-request-id ${truncateReason(requestId)})`;
  return msg;
}
