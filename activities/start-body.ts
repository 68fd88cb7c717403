/**
 * Builds Agora's start body from a validated capture request, a storage profile and an
 * optional token. Runs in the activity only: the result holds storage credentials.
 */
import type { StartRequest, StorageConfig } from '../agora';
import type { CaptureRequest } from '../workflows/request';

export function buildStartBody(
  request: CaptureRequest,
  storage: StorageConfig,
  token?: string,
): StartRequest {
  const rc = request.recordingConfig;
  const storageConfig: StorageConfig = request.fileNamePrefix
    ? { ...storage, fileNamePrefix: request.fileNamePrefix }
    : storage;
  return {
    cname: request.channel,
    uid: request.recorderUid,
    clientRequest: {
      ...(token ? { token } : {}),
      recordingConfig: {
        channelType: rc.channelType,
        streamTypes: rc.streamTypes,
        maxIdleTime: rc.maxIdleTime,
        videoStreamType: rc.videoStreamType,
        subscribeUidGroup: rc.subscribeUidGroup,
        ...(rc.subscribeVideoUids ? { subscribeVideoUids: rc.subscribeVideoUids } : {}),
        ...(rc.subscribeAudioUids ? { subscribeAudioUids: rc.subscribeAudioUids } : {}),
        ...(rc.unSubscribeVideoUids ? { unSubscribeVideoUids: rc.unSubscribeVideoUids } : {}),
        ...(rc.unSubscribeAudioUids ? { unSubscribeAudioUids: rc.unSubscribeAudioUids } : {}),
        ...(rc.streamMode ? { streamMode: rc.streamMode } : {}),
      },
      snapshotConfig: { captureInterval: request.snapshotConfig.captureInterval, fileType: ['jpg'] },
      storageConfig,
    },
  };
}
