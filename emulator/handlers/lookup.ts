/**
 * Finds the session a query/update/stop path names. A sid that is unknown, belongs to another
 * resourceId, or was started in another mode is "failed to find worker" (404), as Agora answers
 * for a task it cannot locate.
 */
import type { ResourceClaims } from '../resource-id';
import type { Session, SessionPhase } from '../session';
import { openResource, servedMode, workerNotFound, type HandlerContext, type RestCall } from './context';

/** The located session with its phase at the time of the request. */
export interface Located<T> {
  claims: ResourceClaims;
  /** What `validate` returned (the parsed body). */
  parsed: T;
  session: Session;
  phase: SessionPhase;
}

/**
 * Decodes the path and finds the session, throwing 404 when there is none. `command` is the
 * serverResponse command echoed in the 404 body (only stop's is known from a real capture).
 * `validate` runs after the resourceId is decoded and before the lookup, so body errors (2)
 * and identity errors (432) win over 404.
 */
export function locate<T>(
  ctx: HandlerContext,
  call: RestCall,
  validate: (claims: ResourceClaims) => T,
  command?: string,
): Located<T> {
  const mode = servedMode(call.route);
  const claims = openResource(ctx, call.route);
  const parsed = validate(claims);
  const session = ctx.store.get(call.route.sid ?? '');
  if (!session || session.init.resourceId !== call.route.resourceId || session.init.mode !== mode) {
    throw workerNotFound(claims, call.route, command);
  }
  return { claims, parsed, session, phase: session.phase(ctx.opts.now(), ctx.opts.exitingMs) };
}
