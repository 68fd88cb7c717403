/**
 * `GET /captures/<workflowId>/timeline[?embed=1]` on the admin listener only: the capture's
 * timeline page (client/timeline/). The workflow id may come percent-encoded (`%2F`) or raw
 * (`capture/<channel>/<uid>` has slashes).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { reply, replyJson } from './http-reply';

/** Renders a capture's page; rejects with an Error whose message is fit to show (no secret). */
export type TimelineRenderer = (workflowId: string, opts: { embed: boolean }) => Promise<string>;

const ROUTE = /^\/captures\/(.+)\/timeline$/;

/** The workflow id of a timeline path, or undefined when `path` is not one. */
export function timelineWorkflowId(path: string): string | undefined {
  const m = ROUTE.exec(path);
  if (!m?.[1]) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}

/** Answers one timeline request. */
export async function handleTimeline(
  workflowId: string,
  req: IncomingMessage,
  res: ServerResponse,
  render: TimelineRenderer,
  log: (line: Record<string, unknown>) => void,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return replyJson(res, 405, { error: 'use GET' }, { unread: req, headers: { Allow: 'GET, HEAD' } });
  const embed = /^(1|true)$/i.test(new URL(req.url ?? '/', 'http://admin').searchParams.get('embed') ?? '');
  const started = performance.now();
  let html: string;
  try {
    html = await render(workflowId, { embed });
  } catch (e) {
    // CLI failures are sentences meant for the operator; this port is local to the operator too.
    const message = e instanceof Error ? e.message : String(e);
    const status = /^no capture /.test(message) ? 404 : 502;
    log({ msg: 'timeline', workflowId, status, error: message });
    return reply(res, status, `timeline of ${workflowId}: ${message}\n`, {
      contentType: 'text/plain; charset=utf-8',
    });
  }
  log({ msg: 'timeline', workflowId, status: 200, embed, ms: Math.round(performance.now() - started) });
  reply(res, 200, html, { contentType: 'text/html; charset=utf-8' });
}
