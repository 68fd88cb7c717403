/**
 * Recording-mode files of one session (individual mode, `recordingFileConfig`), named as Agora
 * names them (https://github.com/AgoraIO/Docs-Source/blob/HEAD/cloud-recording/develop/manage-files.md):
 * `[prefix/][bak<n>_]<sid>_<cname>__uid_s_<uid>__uid_e_<audio|video>.m3u8`, its segments
 * `…__uid_e_<type>_<utc>.ts`, and with `avFileType: ["hls","mp4"]` an MP4 per track written
 * when the session stops, `…__uid_e_<type>_<utc>.mp4`. Stop lists them as `fileList`
 * (`fileListMode: "json"`). The bytes are placeholders: nothing decodes them.
 */
import { utcStamp } from './snapshot-key';

export type TrackType = 'audio' | 'video';

/** One entry of stop's `serverResponse.fileList` (json mode). */
export interface RecordedFile {
  fileName: string;
  trackType: TrackType;
  uid: string;
  mixedAllUser: false;
  isPlayable: true;
  /** Unix ms of the track's first segment. */
  sliceStartTime: number;
}

/** Writes one object (the recorder's bucket or S3). */
export type PutFile = (key: string, body: Buffer, contentType: string) => void;

interface Track {
  uid: string;
  type: TrackType;
  startedAt: number;
  m3u8: string;
  bak: string;
}

/** The tracks a recording session has written so far. */
export class RecordingFiles {
  private readonly tracks = new Map<string, Track>();
  private readonly mp4s: RecordedFile[] = [];

  constructor(
    private readonly sid: string,
    private readonly cname: string,
    private readonly avFileType: readonly string[],
    private readonly put: PutFile,
  ) {}

  /** A track starts being recorded (once per uid and type): its m3u8 and first segment are written. */
  record(uid: string, type: TrackType, at: number, prefix: readonly string[], failoverIndex?: number): void {
    const id = `${uid}/${type}`;
    if (this.tracks.has(id)) return;
    const bak = failoverIndex === undefined ? '' : `bak${failoverIndex}_`;
    const base = `${this.key(prefix, bak)}__uid_s_${uid}__uid_e_${type}`;
    const ts = `${base}_${utcStamp(at)}.ts`;
    const m3u8 = `${base}.m3u8`;
    this.put(ts, Buffer.alloc(188, 0x47), 'video/mp2t');
    const name = ts.slice(ts.lastIndexOf('/') + 1);
    this.put(
      m3u8,
      Buffer.from(`#EXTM3U\n#EXT-X-VERSION:3\n#EXTINF:10.0,\n${name}\n`),
      'application/x-mpegURL',
    );
    this.tracks.set(id, { uid, type, startedAt: at, m3u8, bak });
  }

  /** The session stops: MP4s are written (when asked for), and stop's fileList is returned. */
  finish(at: number, prefix: readonly string[]): RecordedFile[] {
    if (this.avFileType.includes('mp4') && this.mp4s.length === 0) {
      for (const t of this.tracks.values()) {
        const fileName = `${this.key(prefix, t.bak)}__uid_s_${t.uid}__uid_e_${t.type}_${utcStamp(at)}.mp4`;
        this.put(fileName, Buffer.from('agora-emulator mp4 placeholder'), 'video/mp4');
        this.mp4s.push(this.entry(fileName, t));
      }
    }
    return [...[...this.tracks.values()].map((t) => this.entry(t.m3u8, t)), ...this.mp4s];
  }

  private key(prefix: readonly string[], bak: string): string {
    const name = `${bak}${this.sid}_${this.cname}`;
    return prefix.length > 0 ? `${prefix.join('/')}/${name}` : name;
  }

  private entry(fileName: string, t: Track): RecordedFile {
    return {
      fileName,
      trackType: t.type,
      uid: t.uid,
      mixedAllUser: false,
      isPlayable: true,
      sliceStartTime: t.startedAt,
    };
  }
}
