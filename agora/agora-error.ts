/**
 * The one error type the Agora library throws. Its `type` is a stable string that the
 * activity layer copies into the Temporal ApplicationFailure type, so retry policies can
 * name it in `nonRetryableErrorTypes`. Classification lives in classify-response.ts and
 * classify-transport.ts; this file only holds the shape and the per-type retry facts.
 */

/** The REST call an error came from. */
export type AgoraEndpoint = 'acquire' | 'start' | 'query' | 'update' | 'stop';

/**
 * Whether a generic retry of the *same* request is right, per error type. Kept as one table
 * so that `retryable` never disagrees with `type`, and callers can derive their
 * `nonRetryableErrorTypes` list from it (see {@link NON_RETRYABLE_AGORA_ERROR_TYPES}).
 */
export const AGORA_ERROR_RETRYABLE = {
  /** 400 code 2: a parameter is wrong; the reason names it. */
  AgoraInvalidParameter: false,
  /** 400 "appid is invalid" or code 400: Cloud Recording not enabled for the App ID. */
  AgoraInvalidAppId: false,
  /** 400 code 401 (or legacy 1013): bad characters in cname. */
  AgoraInvalidChannel: false,
  /** 400 code 405: account or project inactive (e.g. unpaid). */
  AgoraAccountInactive: false,
  /** 400 code 406: concurrent-task quota reached; retry later, check for leaked tasks. */
  AgoraQuotaExceeded: true,
  /** 400 code 53: a task with the same cname+uid already runs. */
  AgoraTaskConflict: false,
  /** 400 code 49: the task is already exiting; for stop this means "already stopped". */
  AgoraAlreadyStopping: false,
  /** code 433: resourceId older than 5 minutes; a new acquire is needed. */
  AgoraResourceExpired: false,
  /** codes 432/1001/1003: appid/cname/uid/sid do not match the resourceId. */
  AgoraResourceMismatch: false,
  /** codes 109/110: RTC token expired or invalid. */
  AgoraTokenInvalid: false,
  /** HTTP 401/403: customer id/secret wrong or missing. */
  AgoraUnauthorized: false,
  /**
   * HTTP 404 "failed to find worker": the task is gone *or* an HA failover (up to ~90 s) is in
   * progress. Not generically retryable: only the caller knows whether it is inside that window.
   */
  AgoraNotFound: false,
  /** HTTP 404 "no Route matched": wrong path or method, i.e. a bug or a wrong base URL. */
  AgoraRouteNotFound: false,
  /** HTTP 429: QPS limit; honour `retryAfterMs` when present. */
  AgoraRateLimited: true,
  /** HTTP 201 code 7: start repeated with the same resourceId; the session already runs. */
  AgoraAlreadyStarted: false,
  /** HTTP 206 code 65: reached the backend, reply timed out. Retry the same request. */
  AgoraRequestNotCompleted: true,
  /** HTTP 206 code 435: stop found nothing recorded (nobody published). Terminal. */
  AgoraNoRecordedData: false,
  /** HTTP 5xx (codes 500/501/502/504/62/15 and gateway errors). */
  AgoraServerError: true,
  /** Any other 4xx. */
  AgoraBadRequest: false,
  /** Connection refused/reset, DNS failure, TLS failure, socket closed. */
  AgoraNetworkError: true,
  /** The request was sent and no complete answer arrived in time. */
  AgoraTimeout: true,
  /** HTTP 200 (or an unexpected 1xx/2xx/3xx) whose body is not what the API documents. */
  AgoraProtocolError: false,
  /** The outgoing request failed local validation: a bug in the caller, nothing was sent. */
  AgoraRequestInvalid: false,
} as const satisfies Record<string, boolean>;

/** Stable error type names; used verbatim as Temporal ApplicationFailure types. */
export type AgoraErrorType = keyof typeof AGORA_ERROR_RETRYABLE;

/** Every error type, in table order. */
export const AGORA_ERROR_TYPES = Object.keys(AGORA_ERROR_RETRYABLE) as AgoraErrorType[];

/** The types for which a generic retry of the same request is wrong. */
export const NON_RETRYABLE_AGORA_ERROR_TYPES: AgoraErrorType[] = AGORA_ERROR_TYPES.filter(
  (t) => !AGORA_ERROR_RETRYABLE[t],
);

/** Constructor input; `retryable` is derived from `type`, never passed. */
export interface AgoraErrorInit {
  type: AgoraErrorType;
  endpoint: AgoraEndpoint;
  /** Already-safe human message (no bodies, no credentials). */
  message: string;
  outcomeUnknown: boolean;
  httpStatus?: number;
  code?: number;
  reason?: string;
  requestId?: string;
  retryAfterMs?: number;
  sid?: string;
  cause?: unknown;
}

/**
 * A classified failure of one Agora REST call. Messages never contain request bodies,
 * authorization headers, tokens or storage keys: only status, code, Agora's (truncated)
 * reason and the x-request-id that Agora support asks for.
 */
export class AgoraError extends Error {
  override readonly name = 'AgoraError';
  /** Stable classification, used as the Temporal ApplicationFailure type. */
  readonly type: AgoraErrorType;
  /** Whether retrying the same request is the right generic reaction. */
  readonly retryable: boolean;
  readonly endpoint: AgoraEndpoint;
  readonly httpStatus?: number;
  /** Agora's numeric `code` from the body, when there was one. */
  readonly code?: number;
  /** Agora's `reason`/`message`, truncated to 200 characters. */
  readonly reason?: string;
  /** The `x-request-id` response header, for Agora support. */
  readonly requestId?: string;
  /** True when the request may have been acted on (sent but unanswered, 206/65, most 5xx). */
  readonly outcomeUnknown: boolean;
  /** Server-suggested delay (Retry-After) or a documented default (quota). */
  readonly retryAfterMs?: number;
  /** A sid carried by an error body (e.g. 201/7), when present and non-empty. */
  readonly sid?: string;

  constructor(init: AgoraErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.type = init.type;
    this.retryable = AGORA_ERROR_RETRYABLE[init.type];
    this.endpoint = init.endpoint;
    this.outcomeUnknown = init.outcomeUnknown;
    // Assign optionals only when set, so logged/serialised errors carry no `undefined` noise.
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.code !== undefined) this.code = init.code;
    if (init.reason !== undefined) this.reason = init.reason;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.sid !== undefined) this.sid = init.sid;
  }
}

/**
 * True for errors thrown by this library. Checks the brand fields too, so an AgoraError that
 * crossed a module-duplication boundary (two copies of this file) is still recognised.
 */
export function isAgoraError(e: unknown): e is AgoraError {
  if (e instanceof AgoraError) return true;
  if (typeof e !== 'object' || e === null) return false;
  const c = e as { name?: unknown; type?: unknown; endpoint?: unknown };
  return c.name === 'AgoraError' && typeof c.type === 'string' && c.type in AGORA_ERROR_RETRYABLE;
}

/** Longest Agora reason kept in errors; bodies can be large and are not ours to log. */
export const MAX_REASON_LENGTH = 200;

/** Truncates Agora's free-text reason so messages stay bounded. */
export function truncateReason(reason: string): string {
  return reason.length <= MAX_REASON_LENGTH ? reason : `${reason.slice(0, MAX_REASON_LENGTH - 1)}…`;
}
