/** Writing answers: JSON everywhere, `Connection: close` when the request body was left unread. */
import type { ServerResponse } from 'node:http';

/** Sends `body` with `status`; a no-op when the client is already gone. */
export function reply(
  res: ServerResponse,
  status: number,
  body: string,
  opts: { contentType?: string; close?: boolean; headers?: Record<string, string> } = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  res.setHeader('Content-Type', opts.contentType ?? 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  for (const [k, v] of Object.entries(opts.headers ?? {})) res.setHeader(k, v);
  // Node would otherwise read and discard the unread rest of the body to reuse the socket.
  if (opts.close) res.setHeader('Connection', 'close');
  res.end(body);
}

/** JSON shorthand for {@link reply}. */
export function replyJson(res: ServerResponse, status: number, value: unknown, opts: { close?: boolean; headers?: Record<string, string> } = {}): void {
  reply(res, status, JSON.stringify(value), opts);
}
