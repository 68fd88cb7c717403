/**
 * Agora Message Notification Service (NCS) callbacks (`request-header-body.mdx` and
 * `signature-verification.mdx` in
 * https://github.com/AgoraIO/Docs-Source/tree/HEAD/shared/notification-center-service): the envelope
 * schema and signature verification. Verification runs over the raw body bytes, before
 * any JSON parsing, exactly as Agora signs them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { headerIsRepeated, headerValue, type HeaderBag } from './http-headers';

/** NCS product id of Cloud Recording (1 RTC, 4 Media Pull, 5 Media Push). */
export const NCS_PRODUCT_CLOUD_RECORDING = 3;

/** uid arrives as a string per the docs; tolerate a number. */
const LenientUid = z.union([z.string(), z.number()]).transform(String);

/**
 * Cloud Recording `payload`. Loose and mostly optional: the console's health check sends
 * test events, and Agora adds fields over time. Routing needs sid (and cname/uid).
 */
export const NcsPayload = z.looseObject({
  cname: z.string().optional(),
  /** Bot uid; after an HA failover this can be the new uid. */
  uid: LenientUid.optional(),
  sid: z.string().optional(),
  /** Per-session counter from 0: ordering and duplicate detection. */
  sequence: z.number().int().nonnegative().optional(),
  /** When the event happened, UTC ms. */
  sendts: z.number().optional(),
  serviceType: z.number().int().optional(),
  /** Per-event details, always with `msgName`; parse further with the ncs-events schemas. */
  details: z.looseObject({ msgName: z.string().optional() }).optional(),
  /** CN docs only, e.g. "rtc_snapshot"; v2 "rtsc/raw-recording". */
  serviceScene: z.string().optional(),
});
export type NcsPayload = z.infer<typeof NcsPayload>;

/** The NCS request body. `notifyMs` changes on every resend, so it is not a dedup key. */
export const NcsEnvelope = z.looseObject({
  noticeId: z.string().min(1),
  productId: z.number().int(),
  eventType: z.number().int(),
  notifyMs: z.number(),
  payload: NcsPayload,
});
export type NcsEnvelope = z.infer<typeof NcsEnvelope>;

/** HMAC-SHA256, hex: preferred. */
export const NCS_SIGNATURE_V2_HEADER = 'agora-signature-v2';
/** HMAC-SHA1, hex: accepted when V2 is absent. */
export const NCS_SIGNATURE_V1_HEADER = 'agora-signature';

/** Result of {@link verifyNcsSignature}. */
export type NcsSignatureResult = { ok: true; scheme: 'v2' | 'v1' } | { ok: false; reason: string };

function matchesAny(
  rawBody: Buffer,
  presented: string,
  algorithm: 'sha256' | 'sha1',
  secrets: string[],
): boolean {
  const expectedLength = algorithm === 'sha256' ? 32 : 20;
  if (!/^[0-9a-fA-F]+$/.test(presented) || presented.length !== expectedLength * 2) return false;
  const given = Buffer.from(presented.toLowerCase(), 'hex');
  let matched = false;
  // Every secret is tried (no early exit), so timing does not reveal which one is current.
  for (const secret of secrets) {
    const digest = createHmac(algorithm, Buffer.from(secret, 'utf8')).update(rawBody).digest();
    if (timingSafeEqual(digest, given)) matched = true;
  }
  return matched;
}

/**
 * Verifies an NCS callback against one or more secrets (several during rotation).
 * When `Agora-Signature-V2` is present it alone decides; the SHA1 `Agora-Signature` is used
 * only when V2 is absent. A repeated signature header is rejected as ambiguous. Reasons
 * never contain the secrets or the expected digest.
 */
export function verifyNcsSignature(
  rawBody: Buffer,
  headers: HeaderBag,
  secrets: string[],
): NcsSignatureResult {
  const usable = secrets.filter((s) => s.length > 0);
  if (usable.length === 0) return { ok: false, reason: 'no NCS secret configured' };
  for (const [name, scheme, algorithm] of [
    [NCS_SIGNATURE_V2_HEADER, 'v2', 'sha256'],
    [NCS_SIGNATURE_V1_HEADER, 'v1', 'sha1'],
  ] as const) {
    const presented = headerValue(headers, name);
    if (presented === undefined || presented === '') continue;
    if (headerIsRepeated(headers, name)) return { ok: false, reason: `repeated ${name} header` };
    return matchesAny(rawBody, presented, algorithm, usable)
      ? { ok: true, scheme }
      : { ok: false, reason: `${name} does not match` };
  }
  return { ok: false, reason: 'missing Agora-Signature-V2 / Agora-Signature header' };
}
