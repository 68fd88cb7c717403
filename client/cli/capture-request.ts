/**
 * Turns `start` options into a CaptureRequestInput. Only structure is built here, then checked
 * with validateNewCaptureRequest: every rule (ranges, uid format, audio needs video...) is the
 * schema's, so the CLI reports exactly what the API and the workflow would, named by the flags
 * (flag-errors.ts).
 */
import { type CaptureRequestInput, validateNewCaptureRequest } from '../../workflows/request';
import { UsageError } from './errors';
import { invalidRequest } from './flag-errors';
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

/**
 * --record-files and --record-storage describe the recording that --record-uid turns on: without
 * it they would be dropped and the capture would record nothing, so they are refused.
 */
function refuseRecordFlagsWithoutUid(o: StartOptions): void {
  if (o.recordUid !== undefined) return;
  const orphans = [
    ...(o.recordFiles !== undefined ? ['--record-files'] : []),
    ...(o.recordStorage !== undefined ? ['--record-storage'] : []),
  ];
  if (orphans.length > 0)
    throw new UsageError(
      `${orphans.join(' and ')} ${orphans.length > 1 ? 'need' : 'needs'} --record-uid (the recording session's recorder uid)`,
      'start',
    );
}

/**
 * Builds the request; subscribeUidGroup is derived from the uid lists when not given. Throws a
 * usage error for --record-* flags without --record-uid, and an exit-2 CliFailure naming each
 * flag and rule (each line once) when validateNewCaptureRequest refuses the request.
 */
export function buildCaptureRequest(o: StartOptions): CaptureRequestInput {
  refuseRecordFlagsWithoutUid(o);
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
  const v = validateNewCaptureRequest(request);
  if (!v.ok) throw invalidRequest(v.issues, request);
  // The cast is sound: the schema has just accepted it.
  return request as CaptureRequestInput;
}
