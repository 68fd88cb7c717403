/**
 * One HTTP exchange with Agora: deadline, caller cancellation, body parsing, classification
 * and response validation. Separate from client.ts so the client stays a thin, readable map
 * of endpoints to paths and schemas.
 */
import { request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { AgoraError, truncateReason, type AgoraEndpoint } from './agora-error';
import { classifyAgoraResponse } from './classify-response';
import { AgoraDeadlineError, classifyTransportError } from './classify-transport';
import { headerValue, type HeaderBag } from './http-headers';

/** Everything needed to send one request. */
export interface SendSpec {
  endpoint: AgoraEndpoint;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  dispatcher: Dispatcher;
  signal?: AbortSignal;
  /** Secret values to scrub from any error text. */
  redact: readonly string[];
}

/** The caller's abort reason as an Error (Temporal's CancelledFailure already is one). */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('Agora request aborted by caller');
}

/** Zod issues as `path: message; …` without input values (bodies hold credentials). */
export function formatIssues(error: z.ZodError): string {
  const parts = error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  if (error.issues.length > 5) parts.push(`… ${error.issues.length - 5} more`);
  return truncateReason(parts.join('; '));
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Sends once and returns the schema-validated 200 body, or throws an AgoraError. Rejects
 * with the caller's abort reason when `spec.signal` aborts.
 */
export async function sendOnce<Res extends z.ZodType>(
  spec: SendSpec,
  responseSchema: Res,
): Promise<{ body: z.output<Res>; status: number; requestId?: string }> {
  const { endpoint, signal: callerSignal } = spec;
  if (callerSignal?.aborted) throw abortReason(callerSignal);

  // One controller for both our deadline and the caller's signal; the flag tells them apart
  // because undici may surface either as a generic abort error.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new AgoraDeadlineError(spec.timeoutMs));
  }, spec.timeoutMs);
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

  let status: number;
  let headers: HeaderBag;
  let text: string;
  try {
    const res = await request(spec.url, {
      method: spec.method,
      headers: spec.headers,
      ...(spec.body !== undefined && { body: spec.body }),
      signal: controller.signal,
      dispatcher: spec.dispatcher,
      headersTimeout: spec.timeoutMs,
      bodyTimeout: spec.timeoutMs,
    });
    status = res.statusCode;
    headers = res.headers;
    text = await res.body.text();
  } catch (err) {
    if (callerSignal?.aborted) throw abortReason(callerSignal);
    throw classifyTransportError(endpoint, timedOut ? new AgoraDeadlineError(spec.timeoutMs) : err, {
      redact: spec.redact,
    });
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }

  const parsed = parseBody(text);
  const failure = classifyAgoraResponse(endpoint, status, parsed, headers, { redact: spec.redact });
  if (failure) throw failure;

  const requestId = headerValue(headers, 'x-request-id') || undefined;
  const valid = responseSchema.safeParse(parsed);
  if (!valid.success) {
    throw new AgoraError({
      type: 'AgoraProtocolError',
      endpoint,
      httpStatus: status,
      // Agora answered 200: it accepted the request, we just cannot read what it said.
      outcomeUnknown: true,
      ...(requestId !== undefined && { requestId }),
      message:
        `Agora ${endpoint} failed: HTTP 200 but the body does not match the documented response ` +
        `(${typeof parsed === 'object' && parsed !== null ? formatIssues(valid.error) : 'not JSON'})` +
        (requestId !== undefined ? ` (x-request-id ${truncateReason(requestId)})` : ''),
    });
  }
  return { body: valid.data, status, ...(requestId !== undefined && { requestId }) };
}
