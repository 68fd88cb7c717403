/**
 * update: one kind of change per call (subscription lists or storageConfig). The lists must fit
 * the session's streamTypes, which only the session knows, so that rule is checked here.
 */
import { invalidParam } from '../errors';
import { parseUpdate, type UpdateBody } from '../schemas/bodies';
import { hasList } from '../schemas/subscription';
import { checkIdentity, echo, workerNotFound, type Handler } from './context';
import { locate } from './lookup';

/** POST …/resourceid/{rid}/sid/{sid}/mode/{mode}/update */
export const update: Handler = (ctx, call) => {
  const { claims, parsed, session, phase } = locate(ctx, call, (claims): UpdateBody => {
    const body = parseUpdate(call.body);
    checkIdentity(claims, body);
    return body;
  });
  if (phase !== 'running') throw workerNotFound(claims, call.route);
  const st = session.init.streamTypes;
  const where = 'clientRequest.streamSubscribe';
  if (parsed.video && hasList(parsed.video) && st === 0) {
    throw invalidParam(`${where}.videoUidList: the session records audio only (streamTypes=0)`);
  }
  if (parsed.audio && hasList(parsed.audio) && st === 1) {
    throw invalidParam(`${where}.audioUidList: the session records video only (streamTypes=1)`);
  }
  ctx.opts.hooks.onSessionUpdated?.(session.toLedger(ctx.opts.now()), parsed.clientRequest);
  return { status: 200, body: echo(claims, session.init.resourceId, session.sid), sid: session.sid };
};
