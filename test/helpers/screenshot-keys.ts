/**
 * Screenshot object keys as Agora names them in individual mode
 * (`<prefix>/[bak<n>_]<sid>_<cname>__uid_s_<uid>__uid_e_video_<utc yyyymmddhhmmssms>.jpg`),
 * built for manifest and timeline fixtures.
 */

/** Agora's UTC capture stamp of `ms`: 20261129120000000. */
export const captureStamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:TZ.]/g, '');

export interface KeyParts {
  sid: string;
  uid: string;
  ms: number;
  cname?: string;
  prefix?: string;
  /** `bak<n>_` of a file written after a failover. */
  bak?: string;
}

/** The key of one screenshot; channel `room` and prefix `p` unless given. */
export function screenshotKey({ sid, uid, ms, cname = 'room', prefix = 'p', bak = '' }: KeyParts): string {
  return `${prefix}/${bak}${sid}_${cname}__uid_s_${uid}__uid_e_video_${captureStamp(ms)}.jpg`;
}
