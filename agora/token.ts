/**
 * RTC token for the recording bot (`token` in
 * https://docs.agora.io/en/api-reference/api-ref/cloud-recording/start). Cloud recording cannot renew
 * tokens, so the token must outlive the session; Agora caps an AccessToken2 lifetime at 24 h
 * (the package documents the cap but does not enforce it), so longer requests are clamped
 * and a capture longer than that must plan for the bot losing the channel.
 */
import { createRequire } from 'node:module';
import { RtcRole, RtcTokenBuilder } from 'agora-token';
import { MAX_UID } from './recording-config';

/** Agora's maximum token/privilege lifetime, 24 hours. */
export const MAX_TOKEN_EXPIRE_SECONDS = 86_400;

/** Inputs for {@link buildRecorderToken}. */
export interface RecorderTokenInput {
  /** 32-hex App ID. */
  appId: string;
  /** 32-hex App Certificate (a secret: never logged, never in errors). */
  appCertificate: string;
  /** The channel (cname) the bot joins. */
  channel: string;
  /** The bot's numeric uid, 1..2^32−1 (a decimal string is accepted too). */
  uid: number | string;
  /** Lifetime in seconds from the issue time for the token and its privileges; clamped to 24 h. */
  expireSeconds: number;
  /**
   * The token's issue time (ms since the epoch); default now. The capture workflow passes its
   * own clock, so it knows exactly when the token expires (and retries build the same expiry).
   */
  issuedAtMs?: number;
}

const HEX32 = /^[0-9a-fA-F]{32}$/;

/** The lifetime actually written into the token for a requested one. */
export function effectiveTokenExpireSeconds(expireSeconds: number): number {
  return Math.min(MAX_TOKEN_EXPIRE_SECONDS, Math.ceil(expireSeconds));
}

/**
 * Builds an AccessToken2 ("007…") RTC token for `channel` + numeric `uid` with the publisher
 * role (join + publish privileges; the bot only subscribes, but the subscriber role needs
 * co-host authentication to behave differently and gains nothing here). Token and privilege
 * expiry are both the (clamped) `expireSeconds`.
 */
export function buildRecorderToken(input: RecorderTokenInput): string {
  const { appId, appCertificate, channel } = input;
  // Checked here because the package silently returns "" for a malformed id or certificate.
  if (!HEX32.test(appId)) throw new Error('buildRecorderToken: appId must be 32 hexadecimal characters');
  if (!HEX32.test(appCertificate)) {
    throw new Error('buildRecorderToken: appCertificate must be 32 hexadecimal characters');
  }
  if (channel.length === 0 || Buffer.byteLength(channel, 'utf8') >= 64) {
    throw new Error('buildRecorderToken: channel must be 1-63 bytes');
  }
  const uid = typeof input.uid === 'string' && /^\d+$/.test(input.uid) ? Number(input.uid) : input.uid;
  if (typeof uid !== 'number' || !Number.isInteger(uid) || uid < 1 || uid > MAX_UID) {
    throw new Error('buildRecorderToken: uid must be an integer from 1 to 4294967295');
  }
  if (!Number.isFinite(input.expireSeconds) || input.expireSeconds <= 0) {
    throw new Error('buildRecorderToken: expireSeconds must be a positive number');
  }
  const expire = effectiveTokenExpireSeconds(input.expireSeconds);
  const token =
    input.issuedAtMs === undefined
      ? buildNow(appId, appCertificate, channel, uid, expire)
      : buildIssuedAt(appId, appCertificate, channel, uid, expire, Math.floor(input.issuedAtMs / 1000));
  if (!token) throw new Error('buildRecorderToken: agora-token returned an empty token');
  return token;
}

function buildNow(appId: string, appCertificate: string, channel: string, uid: number, expire: number) {
  return RtcTokenBuilder.buildTokenWithUid(
    appId,
    appCertificate,
    channel,
    uid,
    RtcRole.PUBLISHER,
    expire,
    expire,
  );
}

interface AccessToken2Module {
  AccessToken2: new (
    appId: string,
    appCertificate: string,
    issueTs: number,
    expire: number,
  ) => { add_service(s: unknown): void; build(): string };
  ServiceRtc: (new (
    channel: string,
    uid: number,
  ) => { add_privilege(privilege: number, expire: number): void }) &
    Record<string, number>;
}

/**
 * What RtcTokenBuilder.buildTokenWithUid does for the publisher role, with an explicit issue
 * time (the builder always uses now). agora-token exports only builders from its root.
 */
function buildIssuedAt(
  appId: string,
  appCertificate: string,
  channel: string,
  uid: number,
  expire: number,
  issueTs: number,
): string {
  const at2 = createRequire(__filename)('agora-token/src/AccessToken2') as AccessToken2Module;
  const token = new at2.AccessToken2(appId, appCertificate, issueTs, expire);
  const rtc = new at2.ServiceRtc(channel, uid);
  for (const p of [
    'kPrivilegeJoinChannel',
    'kPrivilegePublishAudioStream',
    'kPrivilegePublishVideoStream',
    'kPrivilegePublishDataStream',
  ])
    rtc.add_privilege(at2.ServiceRtc[p]!, expire);
  token.add_service(rtc);
  return token.build();
}
