/**
 * Screenshot object keys (https://docs.agora.io/en/cloud-recording/develop/screen-capture):
 * `[prefix/…/][bak<n>_]<sid>_<cname>__uid_s_<uid>__uid_e_[video_]<yyyyMMddHHmmssSSS>.jpg`.
 * `video_` is optional because the raw-mode (v2) docs omit it. Where `bak<n>_` sits relative
 * to `fileNamePrefix` is unconfirmed, so it is recognised before the file name (the
 * presumed place) and also at the start of the whole key; prefix elements cannot contain
 * `_`, so neither reading is ambiguous.
 */

/** What a screenshot key says. */
export interface ScreenshotKey {
  /** Directory levels before the file name (the configured fileNamePrefix). */
  prefix: string[];
  /** n of `bak<n>_`: the file was written after the n-th (0-based) HA failover. */
  failoverIndex?: number;
  sid: string;
  cname: string;
  /** The captured user's uid (not the bot's). */
  uid: string;
  /** Capture time, UTC, millisecond precision. */
  capturedAt: Date;
}

const FILE_NAME =
  /^(?:bak(\d+)_)?([0-9a-zA-Z]+)_(.+?)__uid_s_(\d+)__uid_e_(?:video_)?(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})\.jpg$/;
const LEADING_BAK = /^bak(\d+)_(.+)$/;

/** Builds a UTC date, or undefined when the fields do not name a real instant (e.g. month 13). */
function utcDate(parts: number[]): Date | undefined {
  const [y, mo, d, h, mi, s, ms] = parts as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  const roundTrip =
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s;
  return roundTrip ? date : undefined;
}

/** Parses a screenshot object key (or bare file name); undefined when it is not one. */
export function parseScreenshotKey(key: string): ScreenshotKey | undefined {
  const segments = key.split('/').filter((s) => s !== '');
  const fileName = segments.pop();
  if (fileName === undefined) return undefined;
  const m = FILE_NAME.exec(fileName);
  if (!m) return undefined;
  const [, bak, sid, cname, uid, ...time] = m;
  if (sid === undefined || cname === undefined || uid === undefined) return undefined;
  const capturedAt = utcDate(time.map(Number));
  if (!capturedAt) return undefined;

  let failoverIndex = bak === undefined ? undefined : Number(bak);
  const first = segments[0];
  const leading = first === undefined ? null : LEADING_BAK.exec(first);
  if (leading && failoverIndex === undefined) {
    // `bak<n>_` written before the whole prefix: strip it from the first directory level.
    failoverIndex = Number(leading[1]);
    segments[0] = leading[2] ?? '';
  }
  return {
    prefix: segments,
    ...(failoverIndex !== undefined && { failoverIndex }),
    sid,
    cname,
    uid,
    capturedAt,
  };
}
