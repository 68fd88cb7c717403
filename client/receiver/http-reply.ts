/**
 * Writing answers (JSON unless told otherwise), and what happens to a body we answered
 * without reading: it is drained up to a bound, then the connection is cut.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** How much of an unread body is drained after an early answer before the connection is cut. */
export const DRAIN_MAX_BYTES = 1024 * 1024;
export const DRAIN_MAX_MS = 5000;

/** Options of {@link reply}. */
export interface ReplyOptions {
  contentType?: string;
  headers?: Record<string, string>;
  /** The request, when its body was not (fully) read: see {@link drainBounded}. */
  unread?: IncomingMessage;
}

/** Sends `body` with `status`; a no-op when the client is already gone. */
export function reply(res: ServerResponse, status: number, body: string, opts: ReplyOptions = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  res.setHeader('Content-Type', opts.contentType ?? 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  for (const [k, v] of Object.entries(opts.headers ?? {})) res.setHeader(k, v);
  if (opts.unread && !opts.unread.readableEnded) drainBounded(opts.unread, res);
  res.end(body);
}

/** JSON shorthand for {@link reply}. */
export function replyJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  opts: Omit<ReplyOptions, 'contentType'> = {},
): void {
  reply(res, status, JSON.stringify(value), opts);
}

/**
 * After an early answer (413, 415, 404...), reads and discards the rest of the body, at most
 * {@link DRAIN_MAX_BYTES} or {@link DRAIN_MAX_MS}, then destroys the socket. Closing at once
 * would leave unread bytes in the kernel buffer, and closing such a socket sends a TCP RST
 * that can destroy our answer before the client reads it; draining without a bound would let
 * anyone keep us reading forever.
 */
export function drainBounded(req: IncomingMessage, res: ServerResponse): void {
  res.once('finish', () => {
    let seen = 0;
    const cut = () => {
      clearTimeout(timer);
      req.socket.destroy();
    };
    const timer = setTimeout(cut, DRAIN_MAX_MS);
    timer.unref();
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DRAIN_MAX_BYTES) cut();
    });
    req.once('end', () => clearTimeout(timer));
    req.once('close', () => clearTimeout(timer));
    // Node drains by itself only if nobody read from the request; readBody may have.
    req.resume();
  });
}
