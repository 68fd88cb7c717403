import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { MAX_TOKEN_EXPIRE_SECONDS, buildRecorderToken } from '../../../agora/token';

// agora-token ships its AccessToken2 parser without type declarations.
// Parsed string fields come back as Buffers, hence the String() calls below.
interface ParsedService {
  __channel_name: Buffer | string;
  __uid: Buffer | string;
  __privileges: Record<number, number>;
}
interface ParsedToken {
  appId: Buffer | string;
  issueTs: number;
  expire: number;
  from_string(token: string): boolean;
  getServices(type: number): ParsedService[];
  verifySignature(appCertificate: string): boolean;
}
const req = createRequire(__filename);
const { AccessToken2, ServiceRtc, kRtcServiceType } = req('agora-token/src/AccessToken2') as {
  AccessToken2: new (appId: string, cert: string, issueTs: number, expire: number) => ParsedToken;
  ServiceRtc: Record<string, number>;
  kRtcServiceType: number;
};

const appId = '970CA35de60c44645bbae8a215061b33';
const appCertificate = '5CFd2fd1755d40ecb72977518be15d3b';

function decode(token: string): { parsed: ParsedToken; rtc: ParsedService } {
  const parsed = new AccessToken2('', '', 0, 0);
  expect(parsed.from_string(token)).toBe(true);
  const rtc = parsed.getServices(kRtcServiceType)[0];
  if (!rtc) throw new Error('no RTC service in token');
  return { parsed, rtc };
}

describe('buildRecorderToken', () => {
  it('builds a signed 007 token for the channel and numeric uid with publisher privileges', () => {
    const token = buildRecorderToken({
      appId,
      appCertificate,
      channel: 'room42',
      uid: 527841,
      expireSeconds: 7200,
    });
    expect(token.startsWith('007')).toBe(true);
    const { parsed, rtc } = decode(token);
    expect(String(parsed.appId)).toBe(appId);
    expect(parsed.expire).toBe(7200);
    expect(parsed.verifySignature(appCertificate)).toBe(true);
    expect(String(rtc.__channel_name)).toBe('room42');
    expect(String(rtc.__uid)).toBe('527841');
    for (const key of [
      'kPrivilegeJoinChannel',
      'kPrivilegePublishAudioStream',
      'kPrivilegePublishVideoStream',
    ]) {
      expect(rtc.__privileges[ServiceRtc[key] ?? -1]).toBe(7200);
    }
  });

  it('issues the token at the given time, so its expiry is known exactly', () => {
    const issuedAtMs = Date.UTC(2026, 10, 29, 12, 0, 0, 750);
    const token = buildRecorderToken({
      appId,
      appCertificate,
      channel: 'room42',
      uid: 527841,
      expireSeconds: 86_400,
      issuedAtMs,
    });
    const { parsed, rtc } = decode(token);
    expect(parsed.issueTs).toBe(Math.floor(issuedAtMs / 1000));
    expect(parsed.expire).toBe(86_400);
    expect(parsed.verifySignature(appCertificate)).toBe(true);
    expect(String(rtc.__uid)).toBe('527841');
    for (const key of [
      'kPrivilegeJoinChannel',
      'kPrivilegePublishAudioStream',
      'kPrivilegePublishVideoStream',
      'kPrivilegePublishDataStream',
    ]) {
      expect(rtc.__privileges[ServiceRtc[key] ?? -1]).toBe(86_400);
    }
  });

  it('accepts the uid as a decimal string', () => {
    const { rtc } = decode(
      buildRecorderToken({ appId, appCertificate, channel: 'c', uid: '4294967295', expireSeconds: 60 }),
    );
    expect(String(rtc.__uid)).toBe('4294967295');
  });

  it("clamps the lifetime to Agora's 24 h maximum", () => {
    const { parsed, rtc } = decode(
      buildRecorderToken({ appId, appCertificate, channel: 'c', uid: 1, expireSeconds: 3 * 86_400 }),
    );
    expect(parsed.expire).toBe(MAX_TOKEN_EXPIRE_SECONDS);
    expect(rtc.__privileges[ServiceRtc.kPrivilegeJoinChannel ?? -1]).toBe(MAX_TOKEN_EXPIRE_SECONDS);
  });

  it.each([
    ['uid 0', { uid: 0 }],
    ['uid too large', { uid: 4294967296 }],
    ['non-numeric uid', { uid: 'bot' }],
    ['bad appId', { appId: 'nothex' }],
    ['zero lifetime', { expireSeconds: 0 }],
    ['long channel', { channel: 'x'.repeat(64) }],
  ])('rejects %s', (_name, patch) => {
    const input = { appId, appCertificate, channel: 'room', uid: 1, expireSeconds: 60, ...patch };
    expect(() => buildRecorderToken(input)).toThrow(/buildRecorderToken/);
  });

  it('never puts the certificate in error messages', () => {
    let message = '';
    try {
      buildRecorderToken({
        appId,
        appCertificate: 'zz' + appCertificate,
        channel: 'c',
        uid: 1,
        expireSeconds: 1,
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/appCertificate/);
    expect(message).not.toContain(appCertificate);
  });
});
