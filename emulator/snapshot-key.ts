/**
 * Object keys of screenshot files (https://docs.agora.io/en/cloud-recording/develop/screen-capture):
 * `<prefix joined by "/">/[bak<n>_]<sid>_<cname>__uid_s_<uid>__uid_e_video_<yyyyMMddHHmmssSSS>.jpg`,
 * and in `raw` mode (v2; `individual-recording-migration.mdx` in
 * https://github.com/AgoraIO/Docs-Source/tree/HEAD/cloud-recording/reference) the documented
 * `…__uid_e_<utc>.jpg` without `video_` (unconfirmed
 * upstream, but it is what a parser must also accept).
 * The cname is used as is: the reference's note on replacing special characters with `-` comes
 * from the web-recording section and is unconfirmed for JPGs, and keeping it exposes parsers
 * that split on `_` (cnames may contain `_`).
 */

/** UTC time as 17 digits, `yyyyMMddHHmmssSSS`. */
export function utcStamp(ms: number): string {
  // toISOString is always UTC: 2024-01-01T12:00:00.123Z → 20240101120000123.
  return new Date(ms).toISOString().replace(/[-:TZ.]/g, '');
}

/** What a key is built from. */
export interface SnapshotKeyParts {
  prefix: readonly string[];
  /** Failovers completed so far minus one; undefined before the first failover. */
  failoverIndex?: number;
  sid: string;
  cname: string;
  /** The captured publisher's uid (not the bot's). */
  uid: string;
  capturedAt: number;
  /** Recording mode; `raw` drops `video_`. Default individual. */
  mode?: 'individual' | 'raw';
}

/** The full object key, as event 45 reports it in `details.fileName`. */
export function snapshotKey(p: SnapshotKeyParts): string {
  const bak = p.failoverIndex === undefined ? '' : `bak${p.failoverIndex}_`;
  const kind = p.mode === 'raw' ? '' : 'video_';
  const name = `${bak}${p.sid}_${p.cname}__uid_s_${p.uid}__uid_e_${kind}${utcStamp(p.capturedAt)}.jpg`;
  return p.prefix.length > 0 ? `${p.prefix.join('/')}/${name}` : name;
}
