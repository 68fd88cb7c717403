/**
 * Meaning of query's `serverResponse.status` and `sliceStartTime`
 * (https://docs.agora.io/en/api-reference/api-ref/cloud-recording/query), so callers do not scatter
 * magic numbers.
 */

/** `serverResponse.status` values from the query docs. */
export const QUERY_STATUS = {
  NOT_STARTED: 0,
  INITIALIZED: 1,
  COMPONENTS_STARTING: 2,
  SOME_COMPONENTS_READY: 3,
  ALL_COMPONENTS_READY: 4,
  IN_PROGRESS: 5,
  STOP_REQUESTED: 6,
  ALL_COMPONENTS_STOPPED: 7,
  EXITED: 8,
  EXITED_ABNORMALLY: 20,
} as const;

/**
 * Agora's recommended post-start check: 4 or 5 means the bot is up. A screenshot task may
 * sit at 4 until its first JPG is uploaded (NCS wording, unconfirmed), so both count.
 */
export function isRecorderUp(status: number): boolean {
  return status === QUERY_STATUS.ALL_COMPONENTS_READY || status === QUERY_STATUS.IN_PROGRESS;
}

/** 6, 7, 8 and 20: the session is stopping or gone; query will soon answer 404. */
export function isRecorderLeaving(status: number): boolean {
  return status >= QUERY_STATUS.STOP_REQUESTED;
}

/**
 * `sliceStartTime` in Unix ms. The docs say ms, the Go client says seconds; values above
 * 1e12 (September 2001 in ms) are taken as ms, smaller positive ones as seconds.
 */
export function sliceStartTimeMs(value: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value) || value <= 0) return undefined;
  return value > 1e12 ? value : value * 1000;
}
