/**
 * The one place activities call Agora through: each call is counted
 * (`agora_capture_agora_calls_total{endpoint,outcome}`), timed
 * (`agora_capture_agora_call_duration_ms`) and logged with its endpoint, outcome, HTTP status
 * and Agora's x-request-id — never a request or response body, so no credential or storage
 * key reaches a log line. Metrics go through the activity's `metricMeter` (tagged by the SDK
 * with namespace, task_queue and activity_type) and the log through the activity `log`
 * (which adds workflowId, runId, activityId, attempt).
 */
import { Context } from '@temporalio/activity';
import { type MetricMeter, noopMetricMeter } from '@temporalio/common';
import { type AgoraEndpoint, type AgoraResult, isAgoraError } from '../agora';

export const AGORA_CALLS = 'agora_capture_agora_calls_total';
export const AGORA_CALL_DURATION = 'agora_capture_agora_call_duration_ms';

/** `success`, an AgoraError type (e.g. `AgoraNotFound`), or `UnexpectedError` for anything else. */
export function outcomeOf(err: unknown): string {
  return isAgoraError(err) ? err.type : 'UnexpectedError';
}

interface Scope {
  meter: MetricMeter;
  log: Pick<Context['log'], 'info' | 'warn'>;
}

/** The current activity's meter and logger; no-ops outside an activity (plain unit tests). */
function scope(): Scope {
  try {
    const ctx = Context.current();
    return { meter: ctx.metricMeter, log: ctx.log };
  } catch {
    return { meter: noopMetricMeter, log: { info: () => {}, warn: () => {} } };
  }
}

/**
 * Runs one Agora call: `fn` is the AgoraClient method call. `sid` is logged when known (stop,
 * query, and start once it answered). Rethrows whatever `fn` threw, unchanged.
 */
export async function meteredCall<T>(
  endpoint: AgoraEndpoint,
  ids: { sid?: string; channel?: string },
  fn: () => Promise<AgoraResult<T>>,
  sidOf?: (body: T) => string | undefined,
): Promise<AgoraResult<T>> {
  const { meter, log } = scope();
  const calls = meter.createCounter(
    AGORA_CALLS,
    '',
    'Agora Cloud Recording REST calls, by endpoint and outcome.',
  );
  const duration = meter.createHistogram(
    AGORA_CALL_DURATION,
    'int',
    'ms',
    'Duration of Agora REST calls, by endpoint and outcome.',
  );
  const t0 = performance.now();
  try {
    const res = await fn();
    const ms = Math.round(performance.now() - t0);
    calls.add(1, { endpoint, outcome: 'success' });
    duration.record(ms, { endpoint, outcome: 'success' });
    const sid = ids.sid ?? sidOf?.(res.body);
    log.info(`agora ${endpoint} ok`, {
      endpoint,
      outcome: 'success',
      httpStatus: res.status,
      agoraRequestId: res.requestId,
      durationMs: ms,
      ...(ids.channel !== undefined && { channel: ids.channel }),
      ...(sid !== undefined && { sid }),
    });
    return res;
  } catch (err) {
    const ms = Math.round(performance.now() - t0);
    const outcome = outcomeOf(err);
    calls.add(1, { endpoint, outcome });
    duration.record(ms, { endpoint, outcome });
    const sid = ids.sid ?? (isAgoraError(err) ? err.sid : undefined);
    log.warn(`agora ${endpoint} failed: ${outcome}`, {
      endpoint,
      outcome,
      durationMs: ms,
      ...(isAgoraError(err)
        ? {
            httpStatus: err.httpStatus,
            agoraCode: err.code,
            agoraRequestId: err.requestId,
            outcomeUnknown: err.outcomeUnknown,
            // err.message is built by the client from status, code and Agora's truncated reason only.
            error: err.message,
          }
        : { error: err instanceof Error ? err.name : typeof err }),
      ...(ids.channel !== undefined && { channel: ids.channel }),
      ...(sid !== undefined && { sid }),
    });
    throw err;
  }
}
