/**
 * Agora Cloud Recording REST client (https://docs.agora.io/en/cloud-recording/rest-api/overview,
 * https://docs.agora.io/en/api-reference/api-ref/cloud-recording). One method per endpoint, one HTTP
 * request per call: no retries here. Durable retry, backoff and reconciliation belong to the
 * caller (Temporal activities and workflow), which reads the AgoraError classification.
 */
import { Agent, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { AgoraError, type AgoraEndpoint } from './agora-error';
import { sendOnce, type SendSpec } from './http-call';
import { bodySecrets, pathSegment, requestInvalid, serializeBody } from './request-prep';
import {
  AcquireRequest,
  AcquireResponse,
  QueryResponse,
  StartRequest,
  StartResponse,
  StopRequest,
  StopResponse,
  UpdateRequest,
  UpdateResponse,
} from './schemas';

/** Construction options. `baseUrl` should come from resolveAgoraBaseUrl(). */
export interface AgoraClientOptions {
  baseUrl: string;
  appId: string;
  customerId: string;
  customerSecret: string;
  /** Path mode: `individual` (v1, default) or `raw` (Individual Recording v2). */
  mode?: 'individual' | 'raw';
  /** Whole-request deadline (connect + send + headers + body). Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** TCP+TLS connect timeout. Default 5 000 ms (half the request deadline, so a dead host shows as "not sent"). */
  connectTimeoutMs?: number;
  /** Bring your own dispatcher (tests, proxies); it is not closed by close(). */
  dispatcher?: Dispatcher;
  userAgent?: string;
  /**
   * Called when Agora answers 401: the current credentials (e.g. re-read from a rotated secret
   * file). When they differ from the ones just refused, the client switches to them and sends
   * the request once more: a 401 comes from the gateway, so the refused request did nothing.
   */
  refreshCredentials?: () => AgoraCredentials | undefined;
}

/** RESTful API Basic auth credentials. */
export interface AgoraCredentials {
  customerId: string;
  customerSecret: string;
}

/** Per-call options. Aborting `signal` rejects the call with `signal.reason`, not an AgoraError. */
export interface AgoraCallOptions {
  signal?: AbortSignal;
}

/** A successful (HTTP 200, schema-valid) answer. */
export interface AgoraResult<T> {
  body: T;
  status: number;
  /** The `x-request-id` header, for Agora support. */
  requestId?: string;
}

/** Optional expectations for query, which sends no body. */
export interface QueryParams {
  /** When given, a 200 whose echoed cname differs is an AgoraProtocolError. */
  cname?: string;
  /** Informational only: after an HA failover Agora may echo the new bot uid. */
  uid?: string;
}

const DEFAULT_USER_AGENT = `agora-capture/0.1 (node ${process.versions.node})`;
/** Agora's bodies are small; a huge one is a proxy error page or an attack. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Typed Cloud Recording client over an undici keep-alive Agent. */
export class AgoraClient {
  readonly baseUrl: string;
  readonly mode: 'individual' | 'raw';
  readonly requestTimeoutMs: number;
  readonly #appPath: string;
  #headers: Record<string, string>;
  /** Every secret this client has held, so error text never shows an old one either. */
  readonly #secrets: string[] = [];
  #credentials: AgoraCredentials;
  readonly #refreshCredentials: (() => AgoraCredentials | undefined) | undefined;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  #closed = false;

  constructor(opts: AgoraClientOptions) {
    const base = new URL(opts.baseUrl); // throws on garbage; hosts.ts does the policy checks
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new Error('AgoraClient: baseUrl must be http(s)');
    }
    if (!/^[A-Za-z0-9]+$/.test(opts.appId)) throw new Error('AgoraClient: appId must be alphanumeric');
    if (!opts.customerId || !opts.customerSecret) {
      throw new Error('AgoraClient: customerId and customerSecret are required');
    }
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.mode = opts.mode ?? 'individual';
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
    this.#appPath = `/v1/apps/${opts.appId}/cloud_recording`;
    this.#headers = {
      'content-type': 'application/json;charset=utf-8',
      accept: 'application/json',
      'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT,
    };
    this.#credentials = { customerId: opts.customerId, customerSecret: opts.customerSecret };
    this.#useCredentials(this.#credentials);
    this.#refreshCredentials = opts.refreshCredentials;
    this.#ownsDispatcher = opts.dispatcher === undefined;
    this.#dispatcher =
      opts.dispatcher ??
      new Agent({
        connect: { timeout: opts.connectTimeoutMs ?? Math.min(5_000, this.requestTimeoutMs) },
        headersTimeout: this.requestTimeoutMs,
        bodyTimeout: this.requestTimeoutMs,
        // Below common server idle timeouts, so we rarely write into a socket the server is closing.
        keepAliveTimeout: 4_000,
        keepAliveMaxTimeout: 30_000,
        maxResponseSize: MAX_RESPONSE_BYTES,
      });
  }

  /** POST /acquire → resourceId (valid 5 minutes; start right away). */
  async acquire(body: AcquireRequest, options?: AgoraCallOptions): Promise<AgoraResult<AcquireResponse>> {
    return this.#call('acquire', 'POST', '/acquire', AcquireRequest, body, AcquireResponse, options);
  }

  /** POST …/mode/{mode}/start → sid. A 200 does not prove the bot runs: query after ~5 s. */
  async start(
    resourceId: string,
    body: StartRequest,
    options?: AgoraCallOptions,
  ): Promise<AgoraResult<StartResponse>> {
    if (this.mode === 'raw' && body?.clientRequest?.recordingConfig?.streamMode !== undefined) {
      throw requestInvalid('start', 'recordingConfig.streamMode is not accepted in raw mode');
    }
    const path = `/resourceid/${pathSegment('start', resourceId)}/mode/${this.mode}/start`;
    return this.#call('start', 'POST', path, StartRequest, body, StartResponse, options);
  }

  /** GET …/query → serverResponse.status (+ sliceStartTime). 404 once the task is gone. */
  async query(
    resourceId: string,
    sid: string,
    params: QueryParams = {},
    options?: AgoraCallOptions,
  ): Promise<AgoraResult<QueryResponse>> {
    const result = await this.#call(
      'query',
      'GET',
      this.#sessionPath('query', resourceId, sid),
      undefined,
      undefined,
      QueryResponse,
      options,
    );
    const echoed = result.body.cname;
    if (params.cname !== undefined && echoed !== undefined && echoed !== params.cname) {
      throw new AgoraError({
        type: 'AgoraProtocolError',
        endpoint: 'query',
        httpStatus: 200,
        outcomeUnknown: false,
        ...(result.requestId !== undefined && { requestId: result.requestId }),
        message: 'Agora query failed: HTTP 200 but the echoed cname is not the one queried',
      });
    }
    return result;
  }

  /** POST …/update: one change per call (subscriptions or storage refresh); wait for each answer. */
  async update(
    resourceId: string,
    sid: string,
    body: UpdateRequest,
    options?: AgoraCallOptions,
  ): Promise<AgoraResult<UpdateResponse>> {
    return this.#call(
      'update',
      'POST',
      this.#sessionPath('update', resourceId, sid),
      UpdateRequest,
      body,
      UpdateResponse,
      options,
    );
  }

  /** POST …/stop → serverResponse.uploadingStatus. 404, 49 (400) and 435 (206) mean "already stopped". */
  async stop(
    resourceId: string,
    sid: string,
    body: StopRequest,
    options?: AgoraCallOptions,
  ): Promise<AgoraResult<StopResponse>> {
    return this.#call(
      'stop',
      'POST',
      this.#sessionPath('stop', resourceId, sid),
      StopRequest,
      body,
      StopResponse,
      options,
    );
  }

  /** Closes the internal Agent (not a caller-supplied dispatcher). Idempotent. */
  async close(): Promise<void> {
    if (!this.#ownsDispatcher || this.#closed) return;
    this.#closed = true;
    await this.#dispatcher.close();
  }

  #useCredentials(c: AgoraCredentials): void {
    const basic = Buffer.from(`${c.customerId}:${c.customerSecret}`, 'utf8').toString('base64');
    this.#credentials = c;
    this.#headers = { ...this.#headers, authorization: `Basic ${basic}` };
    this.#secrets.push(c.customerSecret, basic);
  }

  /** After a 401: switches to refreshed credentials; false when there are none or they are the same. */
  #switchCredentials(): boolean {
    const fresh = this.#refreshCredentials?.();
    if (!fresh?.customerId || !fresh.customerSecret) return false;
    const now = this.#credentials;
    if (fresh.customerId === now.customerId && fresh.customerSecret === now.customerSecret) return false;
    this.#useCredentials(fresh);
    return true;
  }

  #sessionPath(endpoint: AgoraEndpoint, resourceId: string, sid: string): string {
    return `/resourceid/${pathSegment(endpoint, resourceId)}/sid/${pathSegment(endpoint, sid)}/mode/${this.mode}/${endpoint}`;
  }

  async #call<Req, Res extends z.ZodType>(
    endpoint: AgoraEndpoint,
    method: 'GET' | 'POST',
    path: string,
    requestSchema: z.ZodType<Req> | undefined,
    body: Req | undefined,
    responseSchema: Res,
    options: AgoraCallOptions = {},
  ): Promise<AgoraResult<z.output<Res>>> {
    const bytes = requestSchema ? serializeBody(endpoint, requestSchema, body) : undefined;
    const spec = (): SendSpec => ({
      endpoint,
      method,
      url: `${this.baseUrl}${this.#appPath}${path}`,
      headers: this.#headers,
      timeoutMs: this.requestTimeoutMs,
      dispatcher: this.#dispatcher,
      redact: [...this.#secrets, ...bodySecrets(body)],
      ...(bytes !== undefined && { body: bytes }),
      ...(options.signal !== undefined && { signal: options.signal }),
    });
    const sentWith = this.#credentials;
    try {
      return await sendOnce(spec(), responseSchema);
    } catch (err) {
      if (!(err instanceof AgoraError) || err.httpStatus !== 401) throw err;
      // Another call may have switched already; else ask for the current credentials.
      if (this.#credentials === sentWith && !this.#switchCredentials()) throw err;
      return await sendOnce(spec(), responseSchema);
    }
  }
}
