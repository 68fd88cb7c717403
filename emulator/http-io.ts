/**
 * Low-level HTTP helpers: bounded body reading, JSON answers with `x-request-id`, and the
 * content-type/JSON gate (legacy code 8: header, URL or JSON error).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serviceError } from './errors';

/** Bodies above this are refused (no Agora body comes close). */
const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the whole body; resolves `undefined` when it exceeds the limit. */
export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Writes `body` as JSON (or raw text when it is a string) with the request id header. */
export function send(res: ServerResponse, status: number, body: unknown, requestId: string): void {
  const isText = typeof body === 'string';
  const payload = isText ? body : JSON.stringify(body ?? null);
  res.writeHead(status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'x-request-id': requestId,
  });
  res.end(payload);
}

/**
 * Parses a POST body as JSON after checking the content type. Agora's legacy code 8 covers
 * "wrong Content-type … invalid JSON"; the current docs give no newer code, so 400/8 it is.
 */
export function parseJsonBody(contentType: string | undefined, raw: Buffer | undefined): unknown {
  if (raw === undefined) throw serviceError(400, 8, 'request body too large');
  if (!contentType || !/^application\/json\s*(;|$)/i.test(contentType)) {
    throw serviceError(400, 8, `Content-Type must be application/json, got ${contentType ?? 'none'}`);
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw serviceError(400, 8, 'request body is not valid JSON');
  }
}
