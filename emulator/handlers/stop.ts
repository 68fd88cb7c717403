/**
 * stop: ends a running session (200 with uploadingStatus, or 206/435 when the channel simulation
 * says nothing was recorded). An ended session answers 400/49 while it is still exiting and 404
 * afterwards; during a failover window stop is 404 and the session keeps running, as on Agora.
 */
import { serviceError } from '../errors';
import { parseStop } from '../schemas/bodies';
import { checkIdentity, echo, workerNotFound, type Handler } from './context';
import { taskKind } from '../task-kind';
import { locate } from './lookup';

/** The serverResponse command in Agora's real stop 404 body. */
const COMMAND = 'StopCloudRecorder';

/** POST …/resourceid/{rid}/sid/{sid}/mode/{mode}/stop */
export const stop: Handler = (ctx, call) => {
  const { opts, store } = ctx;
  const { claims, session, phase } = locate(
    ctx,
    call,
    (claims) => checkIdentity(claims, parseStop(call.body)),
    COMMAND,
  );
  const ids = echo(claims, session.init.resourceId, session.sid);
  if (phase === 'exiting') throw serviceError(400, 49, 'invalid operation', ids);
  if (phase !== 'running') throw workerNotFound(claims, call.route, COMMAND);

  const ledger = session.toLedger(opts.now());
  const nothing = opts.hooks.recordedNothing?.(ledger) ?? false;
  const uploadingStatus =
    opts.stopUploadingStatus === 'uploaded' && opts.hooks.backedUp?.(ledger)
      ? 'backuped'
      : opts.stopUploadingStatus;
  // A task that records (screenshots too or not) lists its files (individual mode: fileListMode
  // "json"); JPGs are never listed: they were reported one by one (event 45).
  const files = taskKind(session.init.startBody).records
    ? { fileListMode: 'json', fileList: opts.hooks.recordingFiles?.(ledger) ?? [] }
    : {};
  store.end(session, 'stop');
  if (nothing)
    return { status: 206, body: { ...ids, code: 435, reason: 'no recorded data' }, sid: session.sid };
  session.stopCalls += 1;
  return {
    status: 200,
    body: { ...ids, serverResponse: { ...files, uploadingStatus } },
    sid: session.sid,
  };
};
