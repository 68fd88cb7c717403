/**
 * What every REST handler receives and returns, plus the checks they share: mode, resourceId
 * decoding (1001), appid/cname/uid consistency (432) and Agora's "failed to find worker" 404.
 * Handlers are synchronous so that "perform" is one atomic step (see perform-then-drop).
 */
import { noRoute, serviceError, type ApiError } from '../errors';
import type { ResolvedOptions } from '../options';
import type { ResourceClaims, ResourceIdCodec } from '../resource-id';
import type { Route } from '../routes';
import type { SessionStore } from '../session-store';
import type { TaskQuota } from '../task-quota';
import type { RecordingMode } from '../types';

/** Shared emulator state given to handlers. */
export interface HandlerContext {
  opts: ResolvedOptions;
  store: SessionStore;
  codec: ResourceIdCodec;
  /** Slots held by acquired, not yet started resourceIds (the 406 quota). */
  quota: TaskQuota;
}

/** A routed request with its parsed JSON body (undefined for GET). */
export interface RestCall {
  route: Route;
  body: unknown;
}

/** A handler's answer; `resourceId`/`sid` feed the request log. */
export interface Reply {
  status: number;
  body: unknown;
  resourceId?: string;
  sid?: string;
}

/** A REST handler. Throws ApiError for error answers. */
export type Handler = (ctx: HandlerContext, call: RestCall) => Reply;

/** The mode segment as a served mode; mix/web are real Agora modes the emulator does not serve. */
export function servedMode(route: Route): RecordingMode {
  if (route.mode === 'individual' || route.mode === 'raw') return route.mode;
  if (route.mode === 'mix' || route.mode === 'web') {
    throw serviceError(400, 2, `mode: ${route.mode} is not supported by the emulator (individual, raw)`);
  }
  throw noRoute();
}

/** Decodes the path resourceId: 1001 when undecodable, 432 when issued for another appid. */
export function openResource(ctx: HandlerContext, route: Route): ResourceClaims {
  const claims = ctx.codec.decode(route.resourceId ?? '');
  if (!claims) throw serviceError(400, 1001, 'failed to decrypt resourceId, acquire again');
  if (claims.appId !== route.appId) throw serviceError(400, 432, 'appid does not match the resourceId');
  return claims;
}

/** 432 when the body's cname/uid differ from the ones the resourceId was acquired for. */
export function checkIdentity(claims: ResourceClaims, body: { cname: string; uid: string }): void {
  if (body.cname !== claims.cname || body.uid !== claims.uid) {
    throw serviceError(400, 432, 'cname or uid does not match the resourceId');
  }
}

/** The identifiers every answer echoes. */
export function echo(claims: ResourceClaims, resourceId: string, sid?: string): Record<string, string> {
  return { cname: claims.cname, uid: claims.uid, resourceId, ...(sid !== undefined ? { sid } : {}) };
}

/**
 * 404 "failed to find worker". Besides `code`/`reason` it echoes the identifiers, like the real
 * body seen on stop (API-Examples #373), which also carries a `serverResponse` with the command.
 */
export function workerNotFound(claims: ResourceClaims, route: Route, command?: string): ApiError {
  const extra: Record<string, unknown> = echo(claims, route.resourceId ?? '', route.sid);
  if (command) extra.serverResponse = { command, payload: { message: 'failed to find worker' } };
  return serviceError(404, 404, 'failed to find worker', extra);
}
