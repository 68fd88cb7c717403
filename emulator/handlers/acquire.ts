/**
 * acquire: validates the body, applies the concurrent-task quota (400/406), and issues a
 * resourceId carrying the acquire decisions; the resourceId holds a quota slot until it starts.
 */
import { serviceError } from '../errors';
import { digest } from '../resource-id';
import { parseAcquire } from '../schemas/bodies';
import type { Handler } from './context';

/** Default resourceExpiredHour (https://docs.agora.io/en/api-reference/api-ref/cloud-recording). */
const DEFAULT_EXPIRED_HOUR = 72;

/** POST …/acquire */
export const acquire: Handler = (ctx, { route, body }) => {
  const { cname, uid, clientRequest } = parseAcquire(body, ctx.opts.captureIntervalMin);
  // Running sessions plus unused resourceIds: see task-quota.ts.
  if (ctx.store.active().length + ctx.quota.pending() >= ctx.opts.maxConcurrentTasks) {
    throw serviceError(400, 406, 'vendor_over_load');
  }
  const sp = clientRequest.startParameter;
  const resourceId = ctx.codec.encode({
    appId: route.appId,
    cname,
    uid,
    issuedAt: ctx.opts.now(),
    resourceExpiredHour: clientRequest.resourceExpiredHour ?? DEFAULT_EXPIRED_HOUR,
    ...(sp !== undefined ? { startParameterDigest: digest(sp) } : {}),
  });
  ctx.quota.reserve(resourceId);
  return { status: 200, body: { cname, uid, resourceId }, resourceId };
};
