/**
 * Built NCS callbacks (`request-header-body.mdx` in
 * https://github.com/AgoraIO/Docs-Source/tree/HEAD/shared/notification-center-service): envelopes and
 * payloads from a few parameters, signed
 * over the exact bytes sent, plus a raw HTTP sender that can repeat headers and use any
 * method (fetch cannot).
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { NCS_EVENT } from '../../agora/ncs-events';

/** Distinct, greppable NCS secrets: the current one and the one being rotated out. */
export const NCS_SECRET = 'ncs-secret-current-DO-NOT-LEAK-3b1f';
export const NCS_OLD_SECRET = 'ncs-secret-previous-DO-NOT-LEAK-9a2c';

/** Which capture an event is about. */
export interface NcsTarget {
  cname: string;
  uid: string;
  sid: string;
}

/** Envelope fields a test may override; `payload` merges into the built payload. */
export interface EnvelopeOver {
  noticeId?: string;
  productId?: number;
  notifyMs?: number;
  payload?: Record<string, unknown>;
}

let counter = 0;

/** A Cloud Recording envelope with a fresh noticeId and sequence. */
export function ncsEnvelope(
  eventType: number,
  target: NcsTarget,
  details: Record<string, unknown>,
  over: EnvelopeOver = {},
): Record<string, unknown> {
  counter += 1;
  const now = Date.now();
  return {
    noticeId: over.noticeId ?? `notice-${counter}-${now.toString(36)}`,
    productId: over.productId ?? 3,
    eventType,
    notifyMs: over.notifyMs ?? now,
    payload: {
      ...target,
      sequence: counter,
      sendts: now - 5,
      serviceType: eventType >= 40 ? 1 : 0,
      details,
      ...over.payload,
    },
  };
}

/** Builders for the events the receiver routes (msgName as Agora sends it). */
export const ncsEvent = {
  snapshotFile: (
    t: NcsTarget,
    fileName = `snaps/${t.sid}_${t.cname}__uid_s_1001__uid_e_video_${Date.now()}.jpg`,
    over?: EnvelopeOver,
  ) => ncsEnvelope(NCS_EVENT.SNAPSHOT_FILE, t, { msgName: 'recorder_snapshot_file', fileName }, over),
  videoState: (t: NcsTarget, streamUid: string, state: 0 | 1, utcMs = Date.now(), over?: EnvelopeOver) =>
    ncsEnvelope(
      NCS_EVENT.VIDEO_STREAM_STATE_CHANGED,
      t,
      { msgName: 'recorder_video_stream_state_changed', streamUid, state, UtcMs: utcMs },
      over,
    ),
  failover: (t: NcsTarget, newUid: number, over?: EnvelopeOver) =>
    ncsEnvelope(NCS_EVENT.SESSION_FAILOVER, t, { msgName: 'session_failover', newUid }, over),
  error: (t: NcsTarget, errorCode: number, errorMsg = 'upload failed', over?: EnvelopeOver) =>
    ncsEnvelope(
      NCS_EVENT.ERROR,
      t,
      { msgName: 'cloud_recording_error', module: 1, errorLevel: 5, errorCode, stat: 0, errorMsg },
      over,
    ),
  uploadingProgress: (t: NcsTarget, progress: number, over?: EnvelopeOver) =>
    ncsEnvelope(NCS_EVENT.UPLOADING_PROGRESS, t, { msgName: 'uploading_progress', progress }, over),
};

/** A copy of `value` without the property at the dotted `path` (e.g. "payload.sid"). */
export function omitPath(value: Record<string, unknown>, path: string): Record<string, unknown> {
  const copy = structuredClone(value);
  const keys = path.split('.');
  const last = keys.pop()!;
  let node: Record<string, unknown> = copy;
  for (const k of keys) node = node[k] as Record<string, unknown>;
  delete node[last];
  return copy;
}

/** Lower-case hex HMAC of the bytes: v2 = SHA-256 (`Agora-Signature-V2`), v1 = SHA-1 (`Agora-Signature`). */
export function signNcs(body: Buffer | string, secret: string, scheme: 'v1' | 'v2'): string {
  return createHmac(scheme === 'v2' ? 'sha256' : 'sha1', secret)
    .update(body)
    .digest('hex');
}

/** An HTTP request: body bytes and headers (an array value repeats the header). */
export interface NcsRequest {
  body: Buffer;
  headers: Record<string, string | string[]>;
}

/**
 * Serialises (unless given bytes) and signs. `signed: 'both'` is what Agora sends; `'none'`
 * sends no signature header; `signBody` signs other bytes than those sent.
 */
export function ncsRequest(
  envelope: unknown,
  opts: {
    secret?: string;
    signed?: 'v2' | 'v1' | 'both' | 'none';
    contentType?: string | null;
    signBody?: Buffer | string;
  } = {},
): NcsRequest {
  const body = Buffer.isBuffer(envelope)
    ? envelope
    : Buffer.from(typeof envelope === 'string' ? envelope : JSON.stringify(envelope));
  const secret = opts.secret ?? NCS_SECRET;
  const signed = opts.signed ?? 'both';
  const over = opts.signBody ?? body;
  const headers: Record<string, string | string[]> = {};
  if (opts.contentType !== null) headers['content-type'] = opts.contentType ?? 'application/json';
  if (signed === 'v2' || signed === 'both') headers['agora-signature-v2'] = signNcs(over, secret, 'v2');
  if (signed === 'v1' || signed === 'both') headers['agora-signature'] = signNcs(over, secret, 'v1');
  return { body, headers };
}

/** The answer to {@link httpSend}. */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): unknown;
}

/**
 * One request over node:http (no keep-alive unless an agent is given). `chunked` sends the
 * body without Content-Length, as a stream would.
 */
export function httpSend(
  baseUrl: string,
  req: Partial<NcsRequest> & {
    method?: string;
    path?: string;
    chunked?: boolean;
    agent?: http.Agent;
    timeoutMs?: number;
  },
): Promise<HttpAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method ?? 'POST',
        path: req.path ?? '/agora/ncs',
        agent: req.agent ?? false,
        timeout: req.timeoutMs ?? 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as unknown,
          });
        });
      },
    );
    r.on('error', reject);
    r.on('timeout', () => r.destroy(new Error('request timed out')));
    for (const [k, v] of Object.entries(req.headers ?? {})) r.setHeader(k, v);
    if (req.chunked) {
      // write() before end() flushes headers without a length: Transfer-Encoding: chunked.
      if (req.body) r.write(req.body);
      r.end();
    } else {
      if (req.body) r.setHeader('content-length', req.body.length);
      r.end(req.body);
    }
  });
}

/** Posts a built request to `${baseUrl}/agora/ncs`. */
export function postNcs(baseUrl: string, req: NcsRequest): Promise<HttpAnswer> {
  return httpSend(baseUrl, req);
}
