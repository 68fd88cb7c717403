/**
 * Error answers. Agora has two body shapes: the API gateway answers `{"message"}` (auth, routing,
 * rate limit, appid) and the recording service answers `{"code","reason"}`. Handlers throw
 * `ApiError` and the pipeline turns it into the HTTP answer.
 */

/** An HTTP answer other than success, thrown by handlers and pipeline stages. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(`${status} ${JSON.stringify(body)}`);
  }
}

/** Gateway-style error: `{"message": ...}`. */
export function gatewayError(status: number, message: string): ApiError {
  return new ApiError(status, { message });
}

/** Service-style error: `{"code", "reason"}`, optionally echoing request identifiers. */
export function serviceError(
  status: number,
  code: number,
  reason: string,
  extra: Record<string, unknown> = {},
): ApiError {
  return new ApiError(status, { ...extra, code, reason });
}

/** 400 code 2: invalid parameter, `reason` names the field. */
export function invalidParam(reason: string): ApiError {
  return serviceError(400, 2, reason);
}

/** The gateway's answer for an unknown path or method. */
export const noRoute = (): ApiError => gatewayError(404, 'no Route matched with those values');
