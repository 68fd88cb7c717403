/**
 * One REST request, end to end. Order of checks mirrors Agora's gateway-then-service layering:
 * route (404) → Basic auth (401) → appid (400) → rate limit (429) → injected fault → content
 * type / JSON (400/8) → handler. Faults are consumed only by requests that pass the gateway, as
 * they model the recording service and the network behind it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkBasicAuth } from './auth';
import type { Core } from './core';
import { ApiError, gatewayError, noRoute } from './errors';
import type { Handler, Reply } from './handlers/context';
import { acquire } from './handlers/acquire';
import { query } from './handlers/query';
import { start } from './handlers/start';
import { stop } from './handlers/stop';
import { update } from './handlers/update';
import { parseJsonBody, readBody, send } from './http-io';
import { matchRoute, type Route } from './routes';
import type { Endpoint, Fault, RequestRecord } from './types';

const HANDLERS: Record<Endpoint, Handler> = { acquire, start, query, update, stop };

/** Gateway checks; returns the error to answer, if any. */
function gate(core: Core, req: IncomingMessage, route: Route): ApiError | undefined {
  const authError = checkBasicAuth(
    req.headers.authorization,
    core.credentials.customerId,
    core.credentials.customerSecret,
  );
  if (authError) return authError;
  if (route.appId !== core.opts.appId) return gatewayError(400, 'appid is invalid');
  if (!core.limiter.allow()) return gatewayError(429, 'API rate limit exceeded');
  return undefined;
}

/** Runs the handler; every failure becomes an answer, never a thrown error. */
function perform(core: Core, req: IncomingMessage, route: Route, raw: Buffer | undefined): Reply {
  try {
    const body = req.method === 'GET' ? undefined : parseJsonBody(req.headers['content-type'], raw);
    return HANDLERS[route.endpoint](core, { route, body });
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, body: e.body };
    core.opts.log(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return { status: 500, body: { code: 500, reason: 'internal_error' } };
  }
}

/** The answer, or `dropped` (with what was performed, if anything) when the socket must be destroyed. */
async function outcome(
  core: Core,
  req: IncomingMessage,
  route: Route | undefined,
  raw: Buffer | undefined,
  record: RequestRecord,
): Promise<Reply | { dropped: Reply | undefined }> {
  const rejected = route ? gate(core, req, route) : noRoute();
  if (rejected || !route) return { status: rejected?.status ?? 404, body: rejected?.body };
  const fault: Fault | undefined = core.faults.take(route.endpoint, route.sid);
  if (fault) record.fault = fault.kind;
  if (fault?.kind === 'respond') return { status: fault.status, body: fault.body };
  if (fault?.kind === 'drop') return { dropped: undefined };
  if (fault?.kind === 'latency') await sleep(fault.ms);
  const reply = perform(core, req, route, raw);
  return fault?.kind === 'perform-then-drop' ? { dropped: reply } : reply;
}

/** Handles one request under `/v1/...` (or any non-admin path). */
export async function handleRest(
  core: Core,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  pathname: string,
): Promise<void> {
  const at = core.opts.now();
  const method = req.method ?? 'GET';
  const raw = await readBody(req);
  const route = matchRoute(method, pathname);
  const record: RequestRecord = {
    endpoint: route?.endpoint ?? 'other',
    method,
    path: req.url ?? pathname,
    at,
    requestId,
  };
  if (route?.resourceId) record.resourceId = route.resourceId;
  if (route?.sid) record.sid = route.sid;
  core.requests.push(record);

  const result = await outcome(core, req, route, raw, record);
  const reply = 'dropped' in result ? result.dropped : result;
  if (reply?.resourceId && !record.resourceId) record.resourceId = reply.resourceId;
  if (reply?.sid && !record.sid) record.sid = reply.sid;
  const tag = record.fault ? ` [fault ${record.fault}]` : '';
  if ('dropped' in result) {
    core.opts.log(
      `${method} ${record.path} -> dropped${reply ? ` after ${reply.status}` : ''}${tag} ${requestId}`,
    );
    req.socket.destroy();
    return;
  }
  record.status = result.status;
  const code = (result.body as { code?: unknown } | null | undefined)?.code;
  if (typeof code === 'number') record.code = code;
  core.opts.log(
    `${method} ${record.path} -> ${result.status}${record.code !== undefined ? `/${record.code}` : ''}${tag} ${requestId}`,
  );
  send(res, result.status, result.body, requestId);
}
