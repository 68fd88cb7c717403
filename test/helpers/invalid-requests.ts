/**
 * One broken rule per case: the screenshot guide's "Considerations" and the reference's field
 * ranges. Each case breaks exactly one thing in an otherwise valid request.
 */
import type { CaptureRequestInput } from '../../workflows/request';
import { captureRequest } from './fixtures';

export interface InvalidCase {
  rule: string;
  field: string;
  /** A fragment the error's rule text must contain. */
  says: RegExp;
  build: () => unknown;
}

const withRc = (rc: Record<string, unknown>) => captureRequest({}, rc);
const without = (req: CaptureRequestInput, key: string) => {
  const copy: Record<string, unknown> = { ...req, recordingConfig: { ...req.recordingConfig } };
  delete (copy.recordingConfig as Record<string, unknown>)[key];
  return copy;
};

export const INVALID_CASES: InvalidCase[] = [
  {
    rule: 'mode must be individual',
    field: 'mode',
    says: /individual/,
    build: () => ({ ...captureRequest(), mode: 'mix' }),
  },
  {
    rule: 'no recordingFileConfig for screenshot-only',
    field: 'recordingFileConfig',
    says: /omitted/,
    build: () => ({ ...captureRequest(), recordingFileConfig: { avFileType: ['hls'] } }),
  },
  {
    rule: 'streamTypes 1 or 2',
    field: 'recordingConfig.streamTypes',
    says: /1 \(video\) or 2/,
    build: () => withRc({ streamTypes: 0 }),
  },
  {
    rule: 'subscribeAudioUids needs subscribeVideoUids',
    field: 'recordingConfig.subscribeAudioUids',
    says: /subscribeVideoUids/,
    build: () =>
      without(captureRequest({}, { streamTypes: 2, subscribeAudioUids: ['1001'] }), 'subscribeVideoUids'),
  },
  {
    rule: 'fileType must be ["jpg"]',
    field: 'snapshotConfig.fileType',
    says: /\["jpg"\]/,
    build: () => ({ ...captureRequest(), snapshotConfig: { captureInterval: 5, fileType: ['png'] } }),
  },
  {
    rule: 'captureInterval below 5 s',
    field: 'snapshotConfig.captureInterval',
    says: /\[5, 3600\]/,
    build: () => ({ ...captureRequest(), snapshotConfig: { captureInterval: 2, fileType: ['jpg'] } }),
  },
  {
    rule: 'captureInterval above 3600 s',
    field: 'snapshotConfig.captureInterval',
    says: /\[5, 3600\]/,
    build: () => ({ ...captureRequest(), snapshotConfig: { captureInterval: 3601, fileType: ['jpg'] } }),
  },
  {
    rule: 'subscribeUidGroup required',
    field: 'recordingConfig.subscribeUidGroup',
    says: /required/,
    build: () => without(captureRequest(), 'subscribeUidGroup'),
  },
  {
    rule: 'recorder uid 0',
    field: 'recorderUid',
    says: /1 to 4294967295/,
    build: () => captureRequest({ recorderUid: '0' }),
  },
  {
    rule: 'recorder uid above 2^32-1',
    field: 'recorderUid',
    says: /1 to 4294967295/,
    build: () => captureRequest({ recorderUid: '4294967296' }),
  },
  {
    rule: 'recorder uid as a number',
    field: 'recorderUid',
    says: /string/,
    build: () => ({ ...captureRequest(), recorderUid: 527841 }),
  },
  {
    rule: 'recorder uid with letters',
    field: 'recorderUid',
    says: /must be an integer from 1 to 4294967295 written as a string/,
    build: () => captureRequest({ recorderUid: 'x' }),
  },
  {
    rule: 'cname charset',
    field: 'channel',
    says: /may only use/,
    build: () => captureRequest({ channel: 'room/42' }),
  },
  {
    rule: 'cname under 64 bytes',
    field: 'channel',
    says: /64 bytes/,
    build: () => captureRequest({ channel: 'x'.repeat(64) }),
  },
  {
    rule: 'streamMode original has no screenshots',
    field: 'recordingConfig.streamMode',
    says: /original/,
    build: () => withRc({ streamMode: 'original' }),
  },
  {
    rule: 'audio lists not allowed with streamTypes 1',
    field: 'recordingConfig.subscribeAudioUids',
    says: /streamTypes 1/,
    build: () => withRc({ streamTypes: 1, subscribeAudioUids: ['1001'] }),
  },
  {
    rule: 'at most 32 uids per list',
    field: 'recordingConfig.subscribeVideoUids',
    says: /32/,
    build: () => withRc({ subscribeVideoUids: Array.from({ length: 33 }, (_, i) => String(i + 1)) }),
  },
  {
    rule: 'each uid once per list',
    field: 'recordingConfig.subscribeVideoUids',
    says: /each uid once \(1001 given twice\)/,
    build: () => withRc({ subscribeVideoUids: ['1001', '1001'] }),
  },
  {
    rule: '#allstream# alone',
    field: 'recordingConfig.subscribeVideoUids',
    says: /only entry/,
    build: () => withRc({ subscribeVideoUids: ['#allstream#', '1001'] }),
  },
  {
    rule: "not the recorder bot's own uid",
    field: 'recordingConfig.subscribeVideoUids',
    says: /own uid \(527841\)/,
    build: () => withRc({ subscribeVideoUids: ['527841'] }),
  },
  {
    rule: 'duration required',
    field: 'durationSeconds',
    says: /required/,
    build: () => ({ ...captureRequest(), durationSeconds: undefined }),
  },
  {
    rule: 'unknown field',
    field: '(request)',
    says: /unknown field/,
    build: () => ({ ...captureRequest(), storageConfig: { accessKey: 'x' } }),
  },
];
