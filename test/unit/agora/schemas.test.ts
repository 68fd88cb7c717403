import { describe, expect, it } from 'vitest';
import {
  AcquireRequest,
  AcquireResponse,
  QueryResponse,
  StartRequest,
  StartResponse,
  StopRequest,
  StopResponse,
  StorageConfig,
  UpdateRequest,
  isValidStorageRegion,
} from '../../../agora/schemas';
import { referenceStartBody } from '../../helpers/agora-bodies';

/** The reference's "screenshot-only start (individual, v1)" example, verbatim in shape. */
const referenceStart = referenceStartBody((b) => {
  b.clientRequest.token = '<RTC token for uid 527841 / room42>';
});

type Json = Record<string, unknown>;
const withRecording = (patch: Json) => ({
  ...referenceStart,
  clientRequest: {
    ...referenceStart.clientRequest,
    recordingConfig: { ...referenceStart.clientRequest.recordingConfig, ...patch },
  },
});
const withStorage = (patch: Json) => ({
  ...referenceStart,
  clientRequest: {
    ...referenceStart.clientRequest,
    storageConfig: { ...referenceStart.clientRequest.storageConfig, ...patch },
  },
});

describe('StartRequest', () => {
  it("accepts the reference's example start body", () => {
    expect(StartRequest.parse(referenceStart)).toEqual(referenceStart);
  });

  it('accepts snapshotConfig and recordingFileConfig in one body: one task records and takes screenshots (Agora since 2021-09-06)', () => {
    const body = {
      ...referenceStart,
      clientRequest: { ...referenceStart.clientRequest, recordingFileConfig: { avFileType: ['hls'] } },
    };
    expect(StartRequest.parse(body)).toEqual(body);
  });

  it('holds a combined body to the screenshot rules: streamMode original is refused, naming it', () => {
    const original = withRecording({ streamMode: 'original' });
    const body = {
      ...original,
      clientRequest: { ...original.clientRequest, recordingFileConfig: { avFileType: ['hls'] } },
    };
    const r = StartRequest.safeParse(body);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'clientRequest.recordingConfig.streamMode',
    ]);
  });

  it('refuses a body with neither snapshotConfig nor recordingFileConfig, naming snapshotConfig', () => {
    const { snapshotConfig: _shots, ...rest } = referenceStart.clientRequest;
    const r = StartRequest.safeParse({ ...referenceStart, clientRequest: rest });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['clientRequest.snapshotConfig']);
  });

  it('accepts a recording task: recordingFileConfig without snapshotConfig', () => {
    const { snapshotConfig: _shots, ...rest } = referenceStart.clientRequest;
    const body = {
      ...referenceStart,
      clientRequest: { ...rest, recordingFileConfig: { avFileType: ['hls'] } },
    };
    expect(StartRequest.safeParse(body).success).toBe(true);
  });

  it.each([
    ['streamTypes 0 (audio only)', withRecording({ streamTypes: 0, subscribeVideoUids: undefined })],
    ['streamMode original', withRecording({ streamMode: 'original' })],
    [
      'audio list without video list',
      withRecording({ streamTypes: 2, subscribeVideoUids: undefined, subscribeAudioUids: ['1'] }),
    ],
    ['subscribe and unsubscribe together', withRecording({ unSubscribeVideoUids: ['2'] })],
    ['lowercase unsubscribe spelling', withRecording({ unsubscribeVideoUids: ['2'] })],
    ['33 uids', withRecording({ subscribeVideoUids: Array.from({ length: 33 }, (_, i) => String(i + 1)) })],
    ['uid "0"', withRecording({ subscribeVideoUids: ['0'] })],
    ['missing subscribeUidGroup', withRecording({ subscribeUidGroup: undefined })],
    ['maxIdleTime below 5', withRecording({ maxIdleTime: 4 })],
    ['decryption without secret', withRecording({ decryptionMode: 1 })],
    ['wrong S3 region', withStorage({ region: 26 })],
    ['AWS region string', withStorage({ region: 'us-east-1' })],
    ['prefix with underscore', withStorage({ fileNamePrefix: ['a_b'] })],
    ['prefix too long', withStorage({ fileNamePrefix: Array.from({ length: 30 }, () => 'abcde') })],
  ])('rejects %s', (_name, body) => {
    expect(StartRequest.safeParse(body).success).toBe(false);
  });

  it('rejects a bot uid out of range and a cname with "/"', () => {
    expect(StartRequest.safeParse({ ...referenceStart, uid: '4294967296' }).success).toBe(false);
    expect(StartRequest.safeParse({ ...referenceStart, cname: 'a/b' }).success).toBe(false);
    expect(StartRequest.safeParse({ ...referenceStart, uid: '4294967295', cname: 'a:b c_1' }).success).toBe(
      true,
    );
  });

  it('requires fileType ["jpg"] and captureInterval in [1, 3600]', () => {
    const snap = (s: Json) => ({
      ...referenceStart,
      clientRequest: { ...referenceStart.clientRequest, snapshotConfig: s },
    });
    expect(StartRequest.safeParse(snap({ captureInterval: 5, fileType: ['png'] })).success).toBe(false);
    expect(StartRequest.safeParse(snap({ captureInterval: 3601, fileType: ['jpg'] })).success).toBe(false);
    expect(StartRequest.safeParse(snap({ captureInterval: 1, fileType: ['jpg'] })).success).toBe(true);
  });
});

describe('StorageConfig', () => {
  const s3 = { vendor: 1, region: 7, bucket: 'b', accessKey: 'ak', secretKey: 'sk' };
  it('enforces vendor/region tables', () => {
    expect(isValidStorageRegion(8, 0)).toBe(false);
    expect(isValidStorageRegion(8, 7)).toBe(true);
    expect(isValidStorageRegion(5, 1)).toBe(false);
    expect(StorageConfig.safeParse({ ...s3, vendor: 2, region: 27 }).success).toBe(true);
    expect(StorageConfig.safeParse({ ...s3, vendor: 3, region: 20 }).success).toBe(false);
    expect(StorageConfig.safeParse({ ...s3, vendor: 4 }).success).toBe(false);
  });
  it('applies the vendor-specific field rules', () => {
    expect(StorageConfig.safeParse({ ...s3, vendor: 11, region: 0 }).success).toBe(false);
    expect(
      StorageConfig.safeParse({ ...s3, vendor: 11, region: 0, extensionParams: { endpoint: 'minio.local' } })
        .success,
    ).toBe(true);
    expect(StorageConfig.safeParse({ ...s3, vendor: 6, region: 0, stsToken: 't' }).success).toBe(false);
    expect(StorageConfig.safeParse({ ...s3, extensionParams: { sse: 'kms', tag: 'x' } }).success).toBe(true);
    expect(StorageConfig.safeParse({ ...s3, stsExpiration: Date.now() }).success).toBe(false);
  });
  it('never echoes credential values in issues', () => {
    const result = StorageConfig.safeParse({ ...s3, region: 99, accessKey: 'AKIAVERYSECRET', stsToken: 5 });
    expect(JSON.stringify(result.error?.issues)).not.toContain('AKIAVERYSECRET');
  });
});

describe('other requests', () => {
  it('acquire accepts scene, resourceExpiredHour and startParameter', () => {
    const body = {
      cname: 'room42',
      uid: '527841',
      clientRequest: { scene: 0, resourceExpiredHour: 24, startParameter: referenceStart.clientRequest },
    };
    expect(AcquireRequest.safeParse(body).success).toBe(true);
    expect(AcquireRequest.safeParse({ ...body, clientRequest: { resourceExpiredHour: 721 } }).success).toBe(
      false,
    );
  });
  it('update takes exactly one kind of change', () => {
    const base = { cname: 'room42', uid: '527841' };
    const subscribe = { streamSubscribe: { videoUidList: { subscribeVideoUids: ['1', '2'] } } };
    expect(UpdateRequest.safeParse({ ...base, clientRequest: subscribe }).success).toBe(true);
    expect(
      UpdateRequest.safeParse({
        ...base,
        clientRequest: { storageConfig: referenceStart.clientRequest.storageConfig },
      }).success,
    ).toBe(true);
    expect(UpdateRequest.safeParse({ ...base, clientRequest: {} }).success).toBe(false);
    expect(
      UpdateRequest.safeParse({
        ...base,
        clientRequest: { ...subscribe, storageConfig: referenceStart.clientRequest.storageConfig },
      }).success,
    ).toBe(false);
    const both = {
      streamSubscribe: { videoUidList: { subscribeVideoUids: ['1'], unSubscribeVideoUids: ['2'] } },
    };
    expect(UpdateRequest.safeParse({ ...base, clientRequest: both }).success).toBe(false);
  });
  it('stop accepts async_stop and the empty clientRequest', () => {
    expect(
      StopRequest.safeParse({ cname: 'r', uid: '1', clientRequest: { async_stop: false } }).success,
    ).toBe(true);
    expect(StopRequest.safeParse({ cname: 'r', uid: '1', clientRequest: {} }).success).toBe(true);
  });
});

describe('responses', () => {
  it('acquire/start need resourceId/sid and accept a numeric uid echo', () => {
    expect(AcquireResponse.parse({ cname: 'r', uid: 5, resourceId: 'rid' }).uid).toBe('5');
    expect(AcquireResponse.safeParse({ cname: 'r' }).success).toBe(false);
    expect(StartResponse.safeParse({ resourceId: 'rid', sid: '' }).success).toBe(false);
  });
  it('query: screenshot shape, extra keys allowed', () => {
    const q = QueryResponse.parse({
      sid: 's',
      serverResponse: { status: 5, sliceStartTime: '1700000000000', fileListMode: 'json', fileList: [] },
    });
    expect(q.serverResponse.status).toBe(5);
    expect(q.serverResponse.sliceStartTime).toBe(1_700_000_000_000);
    expect(q.serverResponse.fileListMode).toBe('json');
    expect(QueryResponse.safeParse({ serverResponse: {} }).success).toBe(false);
  });
  it('stop: known statuses pass; unknown or missing read as "unknown"', () => {
    expect(
      StopResponse.parse({ serverResponse: { uploadingStatus: 'stranded' } }).serverResponse.uploadingStatus,
    ).toBe('stranded');
    expect(
      StopResponse.parse({ serverResponse: { uploadingStatus: 'weird' } }).serverResponse.uploadingStatus,
    ).toBe('unknown');
    expect(StopResponse.parse({ sid: 's' }).serverResponse.uploadingStatus).toBe('unknown');
  });
});
