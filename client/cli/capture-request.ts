/**
 * Turns `start` options into a CaptureRequestInput. Only structure is built here; every rule
 * (ranges, uid format, audio needs video...) is left to validateCaptureRequest so the CLI
 * reports exactly what the API and the workflow would.
 */
import type { CaptureRequestInput } from '../../workflows/request';
import { deriveUidGroup } from './uid-group';

/** The start command's options, already parsed into numbers and lists. */
export interface StartOptions {
  channel: string;
  uid: string;
  intervalSeconds: number;
  durationSeconds: number;
  storage?: string;
  videoUids?: string[];
  audioUids?: string[];
  streamTypes?: number;
  uidGroup?: number;
  maxIdleSeconds?: number;
  /** `a/b` → fileNamePrefix ["a", "b"]. */
  prefix?: string;
  /** --record-uid: record the channel too (the request's `recording` part). */
  recordUid?: string;
  /** --record-files: avFileType, e.g. ["hls", "mp4"]. */
  recordFiles?: string[];
  /** --record-storage: the recording's storage profile. */
  recordStorage?: string;
}

/** The `recording` part from the --record-* flags (undefined without --record-uid). */
function recordingPart(o: StartOptions): Record<string, unknown> | undefined {
  if (o.recordUid === undefined) return undefined;
  return {
    recorderUid: o.recordUid,
    ...(o.recordFiles ? { recordingFileConfig: { avFileType: o.recordFiles } } : {}),
    ...(o.recordStorage !== undefined ? { storageProfile: o.recordStorage } : {}),
  };
}

/** Builds the request; subscribeUidGroup is derived from the uid lists when not given. */
export function buildCaptureRequest(o: StartOptions): CaptureRequestInput {
  const recordingConfig: Record<string, unknown> = {
    subscribeUidGroup: o.uidGroup ?? deriveUidGroup(o.videoUids, o.audioUids),
  };
  if (o.streamTypes !== undefined) recordingConfig.streamTypes = o.streamTypes;
  if (o.maxIdleSeconds !== undefined) recordingConfig.maxIdleTime = o.maxIdleSeconds;
  if (o.videoUids) recordingConfig.subscribeVideoUids = o.videoUids;
  if (o.audioUids) recordingConfig.subscribeAudioUids = o.audioUids;
  const request = {
    channel: o.channel,
    recorderUid: o.uid,
    durationSeconds: o.durationSeconds,
    storageProfile: o.storage ?? 'default',
    recordingConfig,
    snapshotConfig: { captureInterval: o.intervalSeconds, fileType: ['jpg'] },
    ...(o.prefix !== undefined ? { fileNamePrefix: o.prefix.split('/').filter((s) => s !== '') } : {}),
    ...(o.recordUid !== undefined ? { recording: recordingPart(o) } : {}),
  };
  // The cast is sound: the schema checks every field at runtime before anything is sent.
  return request as CaptureRequestInput;
}
