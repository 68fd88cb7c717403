/**
 * RTC token check for start when an App Certificate is configured. Uses agora-token's own
 * AccessToken2 parser (token version "007") so the emulator agrees with the token builder
 * byte for byte; older "006" tokens are treated as invalid.
 */
import { createRequire } from 'node:module';

interface RtcService {
  service_type(): number;
  __channel_name: Buffer | string;
  __uid: Buffer | string;
  __privileges: Record<string, number>;
}
interface AccessToken2Instance {
  appId: Buffer | string;
  issueTs: number;
  expire: number;
  from_string(token: string): boolean;
  verifySignature(appCertificate: string): boolean;
  getServices(type: number): RtcService[];
}
interface AccessToken2Module {
  AccessToken2: new () => AccessToken2Instance;
  kRtcServiceType: number;
}

// agora-token exports only builders from its root and ships no types for this file.
const at2 = createRequire(__filename)('agora-token/src/AccessToken2') as AccessToken2Module;

/** Result of checking a token: fine, invalid (code 110) or expired (code 109). */
export type TokenVerdict = 'ok' | 'invalid' | 'expired';

const JOIN_CHANNEL = '1';

/** Checks that `token` is a genuine RTC token of this app for `cname` + `uid`, valid at `nowMs`. */
export function verifyRtcToken(
  token: string | undefined,
  want: { appId: string; appCertificate: string; cname: string; uid: string; nowMs: number },
): TokenVerdict {
  if (!token) return 'invalid';
  const t = new at2.AccessToken2();
  if (!t.from_string(token) || !t.verifySignature(want.appCertificate)) return 'invalid';
  if (String(t.appId) !== want.appId) return 'invalid';
  const rtc = t.getServices(at2.kRtcServiceType).find((s) => String(s.__channel_name) === want.cname);
  // An empty uid in the token means "any uid" (token built for uid 0).
  if (!rtc || (String(rtc.__uid) !== '' && String(rtc.__uid) !== want.uid)) return 'invalid';
  const nowS = Math.floor(want.nowMs / 1000);
  if (nowS > t.issueTs + t.expire) return 'expired';
  const join = rtc.__privileges[JOIN_CHANNEL];
  if (join === undefined) return 'invalid';
  if (join !== 0 && nowS > t.issueTs + join) return 'expired';
  return 'ok';
}

/**
 * When the recorder holding `token` loses the channel: the earlier of the token's expiry and
 * its join-channel privilege's (0 = as long as the token). Undefined for a token that does
 * not parse (start rejects those with 110 anyway). Cloud recording cannot renew a token, so
 * a session lives at most this long (`token` in
 * https://docs.agora.io/en/api-reference/api-ref/cloud-recording/start).
 */
export function rtcTokenValidUntilMs(token: string | undefined): number | undefined {
  if (!token) return undefined;
  const t = new at2.AccessToken2();
  if (!t.from_string(token)) return undefined;
  const ends = [t.issueTs + t.expire];
  for (const rtc of t.getServices(at2.kRtcServiceType)) {
    const join = rtc.__privileges[JOIN_CHANNEL];
    if (join !== undefined && join !== 0) ends.push(t.issueTs + join);
  }
  return Math.min(...ends) * 1000;
}
