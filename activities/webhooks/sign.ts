/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): `whsec_` secrets, the
 * `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` signature and stable message ids.
 * Error messages never contain a secret's value.
 */
import { createHash, createHmac } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Why `secret` is not a usable `whsec_` secret, or undefined when it is (never echoes it). */
export function webhookSecretProblem(secret: unknown): string | undefined {
  if (typeof secret !== 'string') return 'must be a string "whsec_<base64>"';
  if (!secret.startsWith(SECRET_PREFIX)) return 'must start with "whsec_" followed by base64';
  const b64 = secret.slice(SECRET_PREFIX.length);
  if (!BASE64_RE.test(b64)) return 'the part after "whsec_" must be base64';
  const n = Buffer.from(b64, 'base64').length;
  if (n < 24 || n > 64) return `the key must be 24 to 64 bytes (this one decodes to ${n})`;
  return undefined;
}

/** The HMAC key of a `whsec_` secret: its base64-decoded part. */
export function decodeWebhookSecret(secret: string): Buffer {
  const problem = webhookSecretProblem(secret);
  if (problem) throw new Error(`invalid webhook secret: ${problem}`);
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/** The `webhook-signature` header value: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`. */
export function signWebhook(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/**
 * The `webhook-id` of a capture's event: derived from the capture (workflow id and first run
 * id, since ids are reused by later captures of the same channel) and the event's sequence
 * number, so every attempt of an event carries the same id and consumers can dedupe by it.
 */
export function webhookId(captureWorkflowId: string, captureRunId: string, seq: number): string {
  const digest = createHash('sha256')
    .update(`${captureWorkflowId}\n${captureRunId}\n${seq}`)
    .digest('base64url');
  return `msg_${digest.slice(0, 32)}`;
}
