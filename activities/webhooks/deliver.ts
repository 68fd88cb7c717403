/**
 * One delivery attempt: POST the event's body, signed, to the endpoint. Only a 2xx answer
 * counts as delivered; redirects are not followed (Svix treats 3xx as failure too). The body
 * is read and discarded. Never throws: every outcome is returned for the workflow to record.
 */
import { request } from 'undici';
import type { WebhookEvent } from '../../workflows/webhooks/types';
import { signWebhook } from './sign';

export type AttemptOutcome = { ok: true; status: number } | { ok: false; message: string; status?: number };

export interface PostWebhookArgs {
  url: string;
  key: Buffer;
  id: string;
  event: WebhookEvent;
  timeoutMs: number;
}

/** The request body: `{ type, timestamp, data }`, the same bytes on every attempt. */
export function webhookBody(event: WebhookEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data });
}

export async function postWebhook({
  url,
  key,
  id,
  event,
  timeoutMs,
}: PostWebhookArgs): Promise<AttemptOutcome> {
  const body = webhookBody(event);
  // Signed at send time: a retry a day later still passes the consumer's timestamp tolerance.
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const res = await request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'agora-capture-webhooks',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(key, id, timestamp, body),
      },
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body.dump();
    if (res.statusCode >= 200 && res.statusCode < 300) return { ok: true, status: res.statusCode };
    return { ok: false, status: res.statusCode, message: `endpoint answered HTTP ${res.statusCode}` };
  } catch (err) {
    const e = err as Error & { code?: string; cause?: { code?: string } };
    const code = e.code ?? e.cause?.code;
    return { ok: false, message: `request failed: ${code ? `${code} ` : ''}${e.message}` };
  }
}
