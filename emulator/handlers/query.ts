/**
 * query: the screenshot-shaped answer `serverResponse: {status, sliceStartTime}`. Only a
 * running session answers; during failover, exiting or after the end it is 404 (the reference
 * also mentions a legacy 501 "exiting", which the emulator does not produce).
 */
import { echo, workerNotFound, type Handler } from './context';
import { locate } from './lookup';

/** GET …/resourceid/{rid}/sid/{sid}/mode/{mode}/query */
export const query: Handler = (ctx, call) => {
  const { claims, session, phase } = locate(ctx, call, () => {});
  if (phase !== 'running') throw workerNotFound(claims, call.route);
  const serverResponse = session.progress(ctx.opts.now(), ctx.opts.statusProgression);
  return {
    status: 200,
    body: { ...echo(claims, session.init.resourceId, session.sid), serverResponse },
    sid: session.sid,
  };
};
