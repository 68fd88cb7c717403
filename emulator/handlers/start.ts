/**
 * start: the order of checks decides which error a client sees when several apply. Body
 * validity first (2), then identity (432), then "this resourceId already has a session"
 * (201/7, before expiry so that a late retry of a start that did succeed can still find its
 * sid), then expiry (433), acquire's startParameter (2), token (110/109) and the cname+uid
 * conflict (53).
 */
import { randomBytes } from 'node:crypto';
import { invalidParam, serviceError } from '../errors';
import { digest } from '../resource-id';
import { parseStart } from '../schemas/bodies';
import { rtcTokenValidUntilMs, verifyRtcToken } from '../token';
import { checkIdentity, echo, openResource, servedMode, type Handler } from './context';

const HOUR_MS = 3_600_000;

/** POST …/resourceid/{rid}/mode/{mode}/start */
export const start: Handler = (ctx, { route, body }) => {
  const { opts, store } = ctx;
  const mode = servedMode(route);
  const claims = openResource(ctx, route);
  const resourceId = route.resourceId ?? '';
  const parsed = parseStart(body, mode, opts.captureIntervalMin);
  checkIdentity(claims, parsed);
  const now = opts.now();

  const existing = store.getByResource(resourceId);
  if (existing) {
    const sid = opts.alreadyStartedIncludesSid ? existing.sid : undefined;
    return {
      status: 201,
      body: { ...echo(claims, resourceId, sid), code: 7, reason: 'already started' },
      resourceId,
      sid: existing.sid,
    };
  }
  if (now > claims.issuedAt + opts.resourceTtlMs) throw serviceError(400, 433, 'resource ID expired');
  const rawClientRequest = (body as { clientRequest?: unknown }).clientRequest;
  if (claims.startParameterDigest !== undefined && claims.startParameterDigest !== digest(rawClientRequest)) {
    throw invalidParam('clientRequest: does not match the startParameter sent to acquire');
  }
  if (opts.appCertificate !== undefined) {
    const verdict = verifyRtcToken(parsed.clientRequest.token, {
      appId: opts.appId,
      appCertificate: opts.appCertificate,
      cname: claims.cname,
      uid: claims.uid,
      nowMs: now,
    });
    if (verdict === 'invalid') throw serviceError(400, 110, 'invalid token');
    if (verdict === 'expired') throw serviceError(400, 109, 'token expired');
  }
  if (store.findActive(claims.cname, claims.uid)) throw serviceError(400, 53, 'task conflict');

  const sid = randomBytes(16).toString('hex');
  store.add({
    sid,
    resourceId,
    cname: claims.cname,
    uid: claims.uid,
    mode,
    startedAt: now,
    expiresAt: now + claims.resourceExpiredHour * HOUR_MS,
    ...(opts.appCertificate !== undefined
      ? { tokenValidUntil: rtcTokenValidUntilMs(parsed.clientRequest.token) }
      : {}),
    streamTypes: parsed.clientRequest.streamTypes,
    // The session's own configuration (the recorder uploads with its storage keys); the ledger,
    // served without auth, shows it without keys and token (Session.toLedger).
    startBody: body,
  });
  ctx.quota.release(resourceId);
  opts.log(`session ${sid} started for ${claims.cname}/${claims.uid} (${mode})`);
  return { status: 200, body: echo(claims, resourceId, sid), resourceId, sid };
};
