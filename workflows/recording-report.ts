/** The recording session's part of the status, the result and the UI's details line. Pure. */
import type { CaptureState } from './state';
import type { RecordingStatus } from './status';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** `{ recording }` for a capture that records, `{}` otherwise (spread into status and result). */
export function recordingView(s: CaptureState): { recording?: RecordingStatus } {
  const r = s.recording;
  if (!r) return {};
  return {
    recording: {
      recorderUid: r.recorderUid,
      resourceId: r.resourceId,
      sid: r.sid,
      startedAt: iso(r.startedAtMs),
      endedAt: iso(r.endedAtMs),
      endedBy: r.endedBy,
      failovers: r.failovers,
      stopOutcome: r.stopOutcome,
      uploadingStatus: r.uploadingStatus,
      ...(r.fileList ? { files: r.fileList.map((f) => ({ ...f })) } : {}),
    },
  };
}

/** "recording sid `…`" (and how it ended) for the UI's details line, or undefined. */
export function recordingDetail(s: CaptureState): string | undefined {
  const r = s.recording;
  if (!r?.sid) return undefined;
  const ended = r.endedBy === 'agora' ? ' (ended by Agora)' : r.endedBy === 'stop' ? ' (stopped)' : '';
  const files = r.fileList ? ` · ${r.fileList.length} recording files` : '';
  return `recording sid \`${r.sid}\`${ended}${files}`;
}
