/**
 * Agora's start body for the recording session of a capture (issue 13): the screenshot body's
 * channel, subscriptions and storage, with `recordingFileConfig` and without `snapshotConfig`
 * (the recording is its own task, billed as recording; Agora would also accept one body with both:
 * docs/recording.md). Runs in the activity only: it holds storage keys.
 */
import type { StartRequest, StorageConfig } from '../agora';
import type { SessionRequest } from '../workflows/recording';
import { buildStartBody } from './start-body';

/** Whether `request` is the recording session's (workflows/recording.ts recordingSessionRequest). */
export function isRecordingSession(request: SessionRequest): boolean {
  return request.sessionKind === 'recording';
}

export function buildRecordingStartBody(
  request: SessionRequest,
  storage: StorageConfig,
  token?: string,
): StartRequest {
  const base = buildStartBody(request, storage, token);
  const { snapshotConfig: _screenshotsOnly, ...clientRequest } = base.clientRequest as Record<
    string,
    unknown
  >;
  const avFileType = request.recording?.recordingFileConfig.avFileType ?? ['hls'];
  return {
    ...base,
    clientRequest: { ...clientRequest, recordingFileConfig: { avFileType } } as StartRequest['clientRequest'],
  };
}
