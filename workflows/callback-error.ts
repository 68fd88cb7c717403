/**
 * Agora's `cloud_recording_error` (event 1) in words, for `lastError`. Its `module` says which
 * part of the recording service failed; the uploader's codes are the ones a customer can act on
 * (their storage refused the files). Event table: `event-types/cloud-recording.mdx` in
 * https://github.com/AgoraIO/Docs-Source/tree/HEAD/shared/notification-center-service
 */
import type { CaptureEvent } from './messages';

const MODULES: Record<number, string> = {
  0: 'recorder',
  1: 'uploader',
  2: 'cloud recording service',
  6: 'web page recorder',
};

/** The uploader's error codes: Agora could not write to the customer's storage. */
const UPLOADER_ERRORS: Record<number, string> = {
  32: 'bad storage config: check the storage profile (keys, bucket, region)',
  47: 'upload failed',
  51: 'file handling error',
};

/** "Agora uploader error 32 (level 3): bad storage config …: Agora could not write to your storage". */
export function callbackErrorMessage(d: CaptureEvent['details']): string {
  const module = d.module === undefined ? 'module ?' : (MODULES[d.module] ?? `module ${d.module}`);
  const head = `Agora ${module} error ${d.errorCode ?? '?'} (level ${d.errorLevel ?? '?'})`;
  const meaning = d.module === 1 && d.errorCode !== undefined ? UPLOADER_ERRORS[d.errorCode] : undefined;
  if (meaning)
    return `${head}: Agora could not write to your storage, ${meaning}${d.errorMsg ? ` ("${d.errorMsg}")` : ''}`;
  return `${head}${d.errorMsg ? `: ${d.errorMsg}` : ''}`;
}
