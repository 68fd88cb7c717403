import { describe, expect, it } from 'vitest';
import {
  AGORA_ERROR_RETRYABLE,
  NON_RETRYABLE_AGORA_ERROR_TYPES,
  QUOTA_RETRY_AFTER_MS,
  classifyAgoraResponse,
  isAgoraError,
  type AgoraEndpoint,
  type AgoraErrorType,
} from '../../../agora/errors';

interface Row {
  name: string;
  endpoint: AgoraEndpoint;
  status: number;
  body: unknown;
  type: AgoraErrorType;
  retryable: boolean;
  outcomeUnknown: boolean;
  code?: number;
}

// One row per line of the table in
// https://docs.agora.io/en/api-reference/api-ref/cloud-recording/status-codes,
// then the gateway and legacy shapes (https://docs.agora.io/en/cloud-recording/reference/common-errors).
// prettier-ignore
const rows: Row[] = [
  { name: '400/2 invalid params', endpoint: 'start', status: 400, body: { code: 2, reason: 'invalid storageConfig' }, type: 'AgoraInvalidParameter', retryable: false, outcomeUnknown: false, code: 2 },
  { name: '400/400 invalid_appid', endpoint: 'acquire', status: 400, body: { code: 400, reason: 'invalid_appid' }, type: 'AgoraInvalidAppId', retryable: false, outcomeUnknown: false, code: 400 },
  { name: '400/401 invalid_channel_name', endpoint: 'acquire', status: 400, body: { code: 401, reason: 'invalid_channel_name' }, type: 'AgoraInvalidChannel', retryable: false, outcomeUnknown: false, code: 401 },
  { name: '400/405 no_active_status', endpoint: 'acquire', status: 400, body: { code: 405, reason: 'no_active_status' }, type: 'AgoraAccountInactive', retryable: false, outcomeUnknown: false },
  { name: '400/406 vendor_over_load', endpoint: 'acquire', status: 400, body: { code: 406, reason: 'vendor_over_load' }, type: 'AgoraQuotaExceeded', retryable: true, outcomeUnknown: false },
  { name: '500/500 internal_error', endpoint: 'acquire', status: 500, body: { code: 500, reason: 'internal_error' }, type: 'AgoraServerError', retryable: true, outcomeUnknown: true },
  { name: '500/501 no_worker_manager_available', endpoint: 'acquire', status: 500, body: { code: 501, reason: 'no_worker_manager_available' }, type: 'AgoraServerError', retryable: true, outcomeUnknown: false },
  { name: '500/504 allocate_timeout', endpoint: 'acquire', status: 500, body: { code: 504, reason: 'allocate_timeout' }, type: 'AgoraServerError', retryable: true, outcomeUnknown: true },
  { name: '201/7 already started', endpoint: 'start', status: 201, body: { code: 7, reason: 'already started' }, type: 'AgoraAlreadyStarted', retryable: false, outcomeUnknown: false, code: 7 },
  { name: '206/65 request not completed (start)', endpoint: 'start', status: 206, body: { code: 65, reason: 'request not completed' }, type: 'AgoraRequestNotCompleted', retryable: true, outcomeUnknown: true, code: 65 },
  { name: '206/65 request not completed (stop)', endpoint: 'stop', status: 206, body: { code: 65, reason: 'request not completed' }, type: 'AgoraRequestNotCompleted', retryable: true, outcomeUnknown: true },
  { name: '400/53 task conflict', endpoint: 'start', status: 400, body: { code: 53, reason: 'task conflict' }, type: 'AgoraTaskConflict', retryable: false, outcomeUnknown: false },
  { name: '500/502 Failed to allocate worker', endpoint: 'start', status: 500, body: { code: 502, reason: 'Failed to allocate worker' }, type: 'AgoraServerError', retryable: true, outcomeUnknown: false },
  { name: '500/62 request timeout (start)', endpoint: 'start', status: 500, body: { code: 62, reason: 'request timeout' }, type: 'AgoraServerError', retryable: true, outcomeUnknown: true },
  { name: '504/62 request timeout (query)', endpoint: 'query', status: 504, body: { code: 62, reason: 'request timeout' }, type: 'AgoraServerError', retryable: true, outcomeUnknown: true },
  { name: '404/404 failed to find worker', endpoint: 'query', status: 404, body: { code: 404, reason: 'failed to find worker' }, type: 'AgoraNotFound', retryable: false, outcomeUnknown: false },
  { name: '206/435 no recorded data', endpoint: 'stop', status: 206, body: { code: 435, reason: 'no recorded data' }, type: 'AgoraNoRecordedData', retryable: false, outcomeUnknown: false },
  { name: '400/49 invalid operation', endpoint: 'stop', status: 400, body: { code: 49, reason: 'invalid operation' }, type: 'AgoraAlreadyStopping', retryable: false, outcomeUnknown: false },
  // Legacy codes (https://docs.agora.io/en/cloud-recording/reference/common-errors)
  { name: '400/433 resource expired', endpoint: 'start', status: 400, body: { code: 433, reason: 'resource expired' }, type: 'AgoraResourceExpired', retryable: false, outcomeUnknown: false },
  { name: '400/432 mismatch', endpoint: 'start', status: 400, body: { code: 432 }, type: 'AgoraResourceMismatch', retryable: false, outcomeUnknown: false },
  { name: '400/1001 undecryptable resourceId', endpoint: 'start', status: 400, body: { code: 1001 }, type: 'AgoraResourceMismatch', retryable: false, outcomeUnknown: false },
  { name: '400/1003 sid mismatch', endpoint: 'stop', status: 400, body: { code: 1003 }, type: 'AgoraResourceMismatch', retryable: false, outcomeUnknown: false },
  { name: '400/109 token expired', endpoint: 'start', status: 400, body: { code: 109 }, type: 'AgoraTokenInvalid', retryable: false, outcomeUnknown: false },
  { name: '400/110 token invalid', endpoint: 'start', status: 400, body: { code: 110 }, type: 'AgoraTokenInvalid', retryable: false, outcomeUnknown: false },
  { name: '400/1013 invalid channel (legacy)', endpoint: 'acquire', status: 400, body: { code: 1013 }, type: 'AgoraInvalidChannel', retryable: false, outcomeUnknown: false },
  { name: '400/8 header error → bad request', endpoint: 'start', status: 400, body: { code: 8 }, type: 'AgoraBadRequest', retryable: false, outcomeUnknown: false },
  { name: '500/15 undocumented', endpoint: 'start', status: 500, body: { sid: '', code: 15 }, type: 'AgoraServerError', retryable: true, outcomeUnknown: true },
  // Gateway bodies (https://docs.agora.io/en/api-reference/api-ref/cloud-recording/status-codes)
  { name: '401 Unauthorized', endpoint: 'acquire', status: 401, body: { message: 'Unauthorized' }, type: 'AgoraUnauthorized', retryable: false, outcomeUnknown: false },
  { name: '401 Invalid credentials', endpoint: 'acquire', status: 401, body: { message: 'Invalid authentication credentials' }, type: 'AgoraUnauthorized', retryable: false, outcomeUnknown: false },
  { name: '404 no Route matched', endpoint: 'stop', status: 404, body: { message: 'no Route matched with those values' }, type: 'AgoraRouteNotFound', retryable: false, outcomeUnknown: false },
  { name: '429 rate limit', endpoint: 'acquire', status: 429, body: { message: 'API rate limit exceeded' }, type: 'AgoraRateLimited', retryable: true, outcomeUnknown: false },
  { name: '400 appid is invalid', endpoint: 'acquire', status: 400, body: { message: 'appid is invalid' }, type: 'AgoraInvalidAppId', retryable: false, outcomeUnknown: false },
  { name: '400 invalid appid (older)', endpoint: 'acquire', status: 400, body: { message: 'invalid appid' }, type: 'AgoraInvalidAppId', retryable: false, outcomeUnknown: false },
  { name: '502 gateway HTML', endpoint: 'start', status: 502, body: '<html><body>Bad Gateway</body></html>', type: 'AgoraServerError', retryable: true, outcomeUnknown: true },
  { name: '503 empty body', endpoint: 'update', status: 503, body: undefined, type: 'AgoraServerError', retryable: true, outcomeUnknown: true },
  { name: '405 method not allowed', endpoint: 'stop', status: 405, body: { message: 'Method Not Allowed' }, type: 'AgoraBadRequest', retryable: false, outcomeUnknown: false },
  { name: '302 redirect', endpoint: 'acquire', status: 302, body: '', type: 'AgoraProtocolError', retryable: false, outcomeUnknown: false },
];

describe('classifyAgoraResponse', () => {
  it('returns undefined for HTTP 200', () => {
    expect(classifyAgoraResponse('start', 200, { sid: 'x' }, {})).toBeUndefined();
  });

  it.each(rows)('$name → $type', (row) => {
    const err = classifyAgoraResponse(row.endpoint, row.status, row.body, {});
    expect(err).toBeDefined();
    expect(isAgoraError(err)).toBe(true);
    expect(err?.type).toBe(row.type);
    expect(err?.retryable).toBe(row.retryable);
    expect(err?.outcomeUnknown).toBe(row.outcomeUnknown);
    expect(err?.endpoint).toBe(row.endpoint);
    expect(err?.httpStatus).toBe(row.status);
    if (row.code !== undefined) expect(err?.code).toBe(row.code);
  });

  it('reads the real 404 stop body (serverResponse.payload.message, top-level code)', () => {
    const body = {
      cname: 'room42',
      uid: '527841',
      resourceId: 'rid',
      sid: '38f8e3cfdc474cd56fc1ceba380d7e1a',
      serverResponse: {
        command: 'StopCloudRecorder',
        payload: { message: 'failed to find worker' },
        subscribeModeBitmask: 1,
      },
      code: 404,
    };
    const err = classifyAgoraResponse('stop', 404, body, {});
    expect(err?.type).toBe('AgoraNotFound');
    expect(err?.code).toBe(404);
    expect(err?.reason).toBe('failed to find worker');
    expect(err?.sid).toBe('38f8e3cfdc474cd56fc1ceba380d7e1a');
  });

  it('parses a raw JSON text body and a numeric-string code', () => {
    const err = classifyAgoraResponse('start', 400, '{"code":"53","reason":"task conflict"}', {});
    expect(err?.type).toBe('AgoraTaskConflict');
    expect(err?.code).toBe(53);
  });

  it('captures x-request-id and formats the message', () => {
    const err = classifyAgoraResponse(
      'start',
      400,
      { code: 2, reason: 'invalid storageConfig' },
      { 'x-request-id': 'abc' },
    );
    expect(err?.requestId).toBe('abc');
    expect(err?.message).toBe(
      'Agora start failed: HTTP 400 code 2 "invalid storageConfig" (x-request-id abc)',
    );
  });

  it('reads headers case-insensitively and takes the first of repeated values', () => {
    const err = classifyAgoraResponse('query', 500, {}, { 'X-Request-Id': ['first', 'second'] });
    expect(err?.requestId).toBe('first');
  });

  it('honours Retry-After in seconds and as an HTTP date', () => {
    expect(
      classifyAgoraResponse('acquire', 429, { message: 'API rate limit exceeded' }, { 'retry-after': '3' })
        ?.retryAfterMs,
    ).toBe(3000);
    const date = new Date(Date.now() + 60_000).toUTCString();
    const ms = classifyAgoraResponse('acquire', 429, {}, { 'retry-after': date })?.retryAfterMs ?? 0;
    expect(ms).toBeGreaterThan(55_000);
    expect(ms).toBeLessThanOrEqual(60_000);
    expect(classifyAgoraResponse('acquire', 429, {}, {})?.retryAfterMs).toBeUndefined();
    expect(
      classifyAgoraResponse('acquire', 429, {}, { 'retry-after': 'soon' })?.retryAfterMs,
    ).toBeUndefined();
  });

  it('gives quota exhaustion a default delay', () => {
    expect(classifyAgoraResponse('acquire', 400, { code: 406 }, {})?.retryAfterMs).toBe(QUOTA_RETRY_AFTER_MS);
    expect(classifyAgoraResponse('acquire', 400, { code: 406 }, { 'retry-after': '5' })?.retryAfterMs).toBe(
      5000,
    );
  });

  it('keeps the sid of a 201/7 body when present', () => {
    expect(classifyAgoraResponse('start', 201, { code: 7, sid: 'abc123' }, {})?.sid).toBe('abc123');
    expect(classifyAgoraResponse('start', 201, { code: 7, sid: '' }, {})?.sid).toBeUndefined();
  });

  it('truncates reasons to 200 characters', () => {
    const err = classifyAgoraResponse('start', 400, { code: 2, reason: 'x'.repeat(5000) }, {});
    expect(err?.reason?.length).toBe(200);
    expect(err?.message.length).toBeLessThan(300);
  });

  it('keeps secrets out of the message and reason', () => {
    const body = {
      code: 2,
      reason: 'bad key SECRETKEY123 with Basic dXNlcjpwYXNzd29yZA== and 007eJxTYBBZsCZ2dW5pcXBhcmFtZXRlcnM=',
    };
    const err = classifyAgoraResponse('start', 400, body, {}, { redact: ['SECRETKEY123'] });
    for (const text of [err?.message ?? '', err?.reason ?? '']) {
      expect(text).not.toContain('SECRETKEY123');
      expect(text).not.toContain('dXNlcjpwYXNzd29yZA');
      expect(text).not.toContain('007eJxT');
    }
  });

  it('has a retryable flag for every type, and derives the non-retryable list from it', () => {
    expect(NON_RETRYABLE_AGORA_ERROR_TYPES).toContain('AgoraNotFound');
    expect(NON_RETRYABLE_AGORA_ERROR_TYPES).not.toContain('AgoraServerError');
    expect(AGORA_ERROR_RETRYABLE.AgoraRateLimited).toBe(true);
  });
});
