/**
 * Reads a request body as raw bytes (the signature covers the bytes as sent) and stops
 * reading as soon as it passes the limit, so an oversized body costs at most `maxBytes`.
 */
import type { IncomingMessage } from 'node:http';

/** The body, or why there is none. */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Whether a declared Content-Length already exceeds the limit (answer 413 before reading).
 * Node has rejected malformed Content-Length values before the handler runs.
 */
export function declaredTooLarge(req: IncomingMessage, maxBytes: number): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) > maxBytes;
}

/** Collects the body; resolves (never rejects) with too-large or aborted instead of throwing. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (r: BodyResult) => {
      if (settled) return;
      settled = true;
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop pulling bytes; the reply closes the connection, so the rest is never read.
        req.pause();
        settle({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => settle({ ok: true, body: Buffer.concat(chunks, size) });
    // 'close' before 'end' means the client went away mid-body.
    const onAbort = () => settle({ ok: false, reason: 'aborted' });
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}
