import { errors } from 'undici';
import { describe, expect, it } from 'vitest';
import { AgoraDeadlineError, AgoraError, classifyTransportError } from '../../../agora/errors';

function sysError(code: string, message = `connect ${code} 10.0.0.1:443`): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyTransportError', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])(
    '%s proves nothing was sent',
    (code) => {
      const err = classifyTransportError('start', sysError(code));
      expect(err.type).toBe('AgoraNetworkError');
      expect(err.retryable).toBe(true);
      expect(err.outcomeUnknown).toBe(false);
      expect(err.message).toContain(code);
    },
  );

  it('connect timeout is a network error with nothing sent', () => {
    const err = classifyTransportError('start', new errors.ConnectTimeoutError());
    expect(err.type).toBe('AgoraNetworkError');
    expect(err.outcomeUnknown).toBe(false);
  });

  it.each([
    ['ECONNRESET', sysError('ECONNRESET', 'read ECONNRESET')],
    ['EPIPE', sysError('EPIPE', 'write EPIPE')],
    ['UND_ERR_SOCKET', new errors.SocketError('other side closed')],
  ])('%s may have been delivered', (_name, input) => {
    const err = classifyTransportError('stop', input);
    expect(err.type).toBe('AgoraNetworkError');
    expect(err.outcomeUnknown).toBe(true);
  });

  it.each([
    ['headers timeout', new errors.HeadersTimeoutError()],
    ['body timeout', new errors.BodyTimeoutError()],
    ['client deadline', new AgoraDeadlineError(10_000)],
  ])('%s → AgoraTimeout', (_name, input) => {
    const err = classifyTransportError('start', input);
    expect(err.type).toBe('AgoraTimeout');
    expect(err.retryable).toBe(true);
    expect(err.outcomeUnknown).toBe(true);
  });

  it('looks through cause chains and AggregateErrors', () => {
    const wrapped = new TypeError('fetch failed', { cause: sysError('ECONNREFUSED') });
    expect(classifyTransportError('acquire', wrapped).outcomeUnknown).toBe(false);
    const mixed = new AggregateError([sysError('ECONNREFUSED'), sysError('ECONNRESET')], 'all failed');
    expect(classifyTransportError('acquire', mixed).outcomeUnknown).toBe(true);
    const allRefused = Object.assign(
      new AggregateError([sysError('ECONNREFUSED'), sysError('ECONNREFUSED')]),
      {
        code: 'ECONNREFUSED',
      },
    );
    expect(classifyTransportError('acquire', allRefused).outcomeUnknown).toBe(false);
  });

  it('unknown throwables are possibly delivered network errors', () => {
    const err = classifyTransportError('update', 'boom');
    expect(err.type).toBe('AgoraNetworkError');
    expect(err.outcomeUnknown).toBe(true);
  });

  it('passes AgoraErrors through unchanged', () => {
    const original = new AgoraError({
      type: 'AgoraTimeout',
      endpoint: 'stop',
      outcomeUnknown: true,
      message: 'x',
    });
    expect(classifyTransportError('stop', original)).toBe(original);
  });

  it('redacts secrets from the underlying message', () => {
    const err = classifyTransportError(
      'start',
      sysError('ECONNRESET', 'reset while sending hunter2hunter2'),
      {
        redact: ['hunter2hunter2'],
      },
    );
    expect(err.message).not.toContain('hunter2hunter2');
  });
});
