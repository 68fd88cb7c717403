/**
 * Reads stop's `serverResponse.fileList` (individual recording mode): an array of
 * `{fileName, trackType, uid, mixedAllUser, isPlayable, sliceStartTime}` with `fileListMode`
 * "json", or one file name with "string". Screenshot sessions answer without it.
 */
import type { RecordingFile } from '../workflows/recording-state';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The listed files, or undefined when stop listed none (screenshot sessions). */
export function readFileList(serverResponse: unknown): RecordingFile[] | undefined {
  if (!isRecord(serverResponse)) return undefined;
  const list = serverResponse.fileList;
  if (typeof list === 'string') return list ? [{ fileName: list }] : [];
  if (!Array.isArray(list)) return undefined;
  return list.filter(isRecord).flatMap((f) => {
    const fileName = f.fileName ?? f.filename;
    if (typeof fileName !== 'string') return [];
    return [
      {
        fileName,
        ...(typeof f.trackType === 'string' ? { trackType: f.trackType } : {}),
        ...(typeof f.uid === 'string' || typeof f.uid === 'number' ? { uid: String(f.uid) } : {}),
        ...(typeof f.isPlayable === 'boolean' ? { isPlayable: f.isPlayable } : {}),
        ...(typeof f.sliceStartTime === 'number' ? { sliceStartTime: f.sliceStartTime } : {}),
      },
    ];
  });
}
