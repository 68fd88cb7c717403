/**
 * The `recording` part of a capture request (issue 13): validated before any Agora call, each
 * broken rule named by field; and the recording session's start body (recordingFileConfig, no
 * snapshotConfig, its own uid) and stop's fileList as the activities read them.
 */
import { describe, expect, it } from 'vitest';
import { readFileList } from '../../activities/recording-files';
import { buildCaptureRequest } from '../../client/cli/capture-request';
import { buildRecordingStartBody } from '../../activities/recording-start-body';
import { buildStartBody } from '../../activities/start-body';
import { agoraStorageConfig, StorageProfiles } from '../../storage/profile';
import { recordingSessionRequest, sessionRequest } from '../../workflows/recording-request';
import { type CaptureRequestInput, validateCaptureRequest } from '../../workflows/request';
import { captureRequest, storageProfile } from '../helpers/fixtures';

const withRecording = (recording: Record<string, unknown>, over: Partial<CaptureRequestInput> = {}) =>
  captureRequest({ ...over, recording } as Partial<CaptureRequestInput>);

function issuesOf(input: unknown) {
  const v = validateCaptureRequest(input);
  return v.ok ? [] : v.issues;
}

describe('the recording part of a capture request', () => {
  it('accepts a recorder uid alone and fills avFileType ["hls"] and ifOneEnds "continue"', () => {
    const v = validateCaptureRequest(withRecording({ recorderUid: '527842' }));
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.request.recording).toEqual({
      recorderUid: '527842',
      recordingFileConfig: { avFileType: ['hls'] },
      ifOneEnds: 'continue',
    });
  });

  it('accepts ["hls","mp4"] and its own storage profile', () => {
    const v = validateCaptureRequest(
      withRecording({
        recorderUid: '527842',
        recordingFileConfig: { avFileType: ['hls', 'mp4'] },
        storageProfile: 'recordings',
      }),
    );
    expect(v.ok).toBe(true);
  });

  it.each<[string, Record<string, unknown>, Partial<CaptureRequestInput>, string, RegExp]>([
    [
      'avFileType ["mp4"] alone',
      { recorderUid: '527842', recordingFileConfig: { avFileType: ['mp4'] } },
      {},
      'recording.recordingFileConfig.avFileType',
      /\["hls"\] or \["hls","mp4"\]/,
    ],
    ['no recorder uid', {}, {}, 'recording.recorderUid', /is required/],
    [
      'a recorder uid that is not digits',
      { recorderUid: 'rec' },
      {},
      'recording.recorderUid',
      /integer from 1/,
    ],
    [
      "the screenshot recorder's uid",
      { recorderUid: '527841' },
      {},
      'recording.recorderUid',
      /must differ from recorderUid/,
    ],
    ['a subscribed uid', { recorderUid: '1001' }, {}, 'recording.recorderUid', /subscribed/],
    [
      'snapshotConfig inside recording',
      { recorderUid: '527842', snapshotConfig: { captureInterval: 5 } },
      {},
      'recording',
      /unknown field\(s\): snapshotConfig/,
    ],
    [
      'an unknown policy',
      { recorderUid: '527842', ifOneEnds: 'stop-both' },
      {},
      'recording.ifOneEnds',
      /'continue' or 'end-capture'/,
    ],
  ])('rejects %s, naming the field', (_name, recording, over, field, says) => {
    const issues = issuesOf(withRecording(recording, over));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.field).toBe(field);
    expect(issues[0]!.rule).toMatch(says);
  });

  it('still rejects recordingFileConfig on the screenshot request itself', () => {
    const issues = issuesOf({ ...captureRequest(), recordingFileConfig: { avFileType: ['hls'] } });
    expect(issues.map((i) => i.field)).toEqual(['recordingFileConfig']);
  });
});

describe('the recording session request and start body', () => {
  const profile = StorageProfiles.parse({ p: storageProfile() }).p!;
  const valid = () => {
    const v = validateCaptureRequest(
      withRecording({ recorderUid: '527842', recordingFileConfig: { avFileType: ['hls', 'mp4'] } }),
    );
    if (!v.ok) throw new Error('invalid fixture');
    return v.request;
  };

  it('records with its own uid: recordingFileConfig and no snapshotConfig; the screenshot body keeps none', () => {
    const request = valid();
    const rec = recordingSessionRequest(request);
    expect(rec).toMatchObject({ recorderUid: '527842', channel: request.channel, sessionKind: 'recording' });
    const body = buildRecordingStartBody(rec, agoraStorageConfig(profile));
    expect(body.uid).toBe('527842');
    expect(body.clientRequest).toHaveProperty('recordingFileConfig', { avFileType: ['hls', 'mp4'] });
    expect(body.clientRequest).not.toHaveProperty('snapshotConfig');
    expect(body.clientRequest.recordingConfig).toEqual(
      buildStartBody(request, agoraStorageConfig(profile)).clientRequest.recordingConfig,
    );
    const shots = buildStartBody(request, agoraStorageConfig(profile));
    expect(shots.uid).toBe('527841');
    expect(shots.clientRequest).not.toHaveProperty('recordingFileConfig');
  });

  it("acts on an open session with that session's request: recording sessions by kind, others (old state) as screenshots", () => {
    const request = valid();
    expect(sessionRequest(request, { kind: 'recording' }).recorderUid).toBe('527842');
    expect(sessionRequest(request, {}).recorderUid).toBe('527841');
    expect(sessionRequest(request, { kind: 'screenshots' }).recorderUid).toBe('527841');
  });
});

describe("stop's fileList", () => {
  it('reads the json list (names, track, uid, playable) and a string list', () => {
    expect(
      readFileList({
        fileListMode: 'json',
        fileList: [
          {
            fileName: 'a.m3u8',
            trackType: 'video',
            uid: '1001',
            mixedAllUser: false,
            isPlayable: true,
            sliceStartTime: 1,
          },
        ],
        uploadingStatus: 'uploaded',
      }),
    ).toEqual([{ fileName: 'a.m3u8', trackType: 'video', uid: '1001', isPlayable: true, sliceStartTime: 1 }]);
    expect(readFileList({ fileListMode: 'string', fileList: 'b.m3u8' })).toEqual([{ fileName: 'b.m3u8' }]);
  });

  it('is absent for screenshot sessions (no fileList)', () => {
    expect(readFileList({ uploadingStatus: 'uploaded' })).toBeUndefined();
  });
});

describe('the CLI start flags for recording', () => {
  const base = { channel: 'room42', uid: '527841', intervalSeconds: 5, durationSeconds: 60 };

  it('--record-uid, --record-files and --record-storage build the recording part', () => {
    const v = validateCaptureRequest(
      buildCaptureRequest({
        ...base,
        recordUid: '527842',
        recordFiles: ['hls', 'mp4'],
        recordStorage: 'rec',
      }),
    );
    expect(v.ok && v.request.recording).toEqual({
      recorderUid: '527842',
      recordingFileConfig: { avFileType: ['hls', 'mp4'] },
      storageProfile: 'rec',
      ifOneEnds: 'continue',
    });
  });

  it('without --record-uid the request records nothing', () => {
    const v = validateCaptureRequest(buildCaptureRequest(base));
    expect(v.ok && v.request.recording).toBeUndefined();
  });
});
