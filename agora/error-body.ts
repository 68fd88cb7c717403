/**
 * Lenient reading of Agora error bodies. Three shapes are documented or observed
 * (https://docs.agora.io/en/api-reference/api-ref/cloud-recording/status-codes,
 * https://github.com/AgoraIO/API-Examples/issues/373):
 * gateway `{"message"}`, service `{"code","reason"}`, and the real 404 body that echoes
 * cname/uid/resourceId/sid with `serverResponse.payload.message` and a top-level `code`.
 * Anything else (HTML from a proxy, empty body) still yields a usable, bounded summary.
 */
/** What classification needs from an error body. All fields optional: bodies vary. */
export interface ErrorBodyFacts {
  code?: number;
  /** Service `reason`, gateway `message`, or the 404 payload message (not yet redacted or truncated). */
  reason?: string;
  /** True when the body had the gateway shape: a `message` and no `code`. */
  gateway: boolean;
  sid?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asCode(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  // Some proxies and old services stringify numbers; accept "53" but not "53abc".
  if (typeof v === 'string' && /^-?\d{1,9}$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

function asText(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Turns a raw text body into a parsed value when it is JSON, else keeps the text. */
function normalise(body: unknown): unknown {
  if (Buffer.isBuffer(body)) body = body.toString('utf8');
  if (typeof body !== 'string') return body;
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // fall through: report it as text
    }
  }
  return text;
}

/** Extracts code, reason and sid from whatever an error response carried. */
export function readErrorBody(body: unknown): ErrorBodyFacts {
  const value = normalise(body);
  if (typeof value === 'string') {
    // Non-JSON (an HTML error page, a plain-text proxy message): keep it as one line.
    const line = value.replace(/\s+/g, ' ').trim();
    return line === '' ? { gateway: false } : { gateway: false, reason: line };
  }
  if (!isRecord(value)) return { gateway: false };

  const server = isRecord(value.serverResponse) ? value.serverResponse : undefined;
  const payload = server && isRecord(server.payload) ? server.payload : undefined;
  const code = asCode(value.code) ?? asCode(server?.code);
  const message = asText(value.message);
  const reason =
    asText(value.reason) ??
    message ??
    asText(payload?.message) ??
    asText(server?.message) ??
    asText(payload?.reason);
  const sid = asText(value.sid);

  const facts: ErrorBodyFacts = { gateway: code === undefined && message !== undefined };
  if (code !== undefined) facts.code = code;
  if (reason !== undefined) facts.reason = reason;
  if (sid !== undefined) facts.sid = sid;
  return facts;
}
