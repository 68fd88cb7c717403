/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return --
   JSON bodies are untyped on purpose: tests build and break them one field at a time. */
/**
 * Request validation: each case breaks exactly one thing in an otherwise valid body and expects
 * 400 with code 2 and a reason naming the field (code 401 for a bad channel name on acquire).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgoraEmulator } from '../../emulator';
import { acquireBody, Api, emulatorForTest, startBody, stopBody, updateBody, type Mutator } from './helpers';

let emu: AgoraEmulator;
let api: Api;
let resourceId: string;
let sid: string;
beforeAll(async () => {
  ({ emu, api } = await emulatorForTest());
  ({ resourceId, sid } = await api.startSession());
});
afterAll(() => emu.close());

const rc = (b: any) => b.clientRequest.recordingConfig;
const sc = (b: any) => b.clientRequest.storageConfig;
const many = (n: number) => Array.from({ length: n }, (_, i) => String(1000 + i));

function expectCode2(r: { status: number; body: any }, field: string): void {
  expect(r.status).toBe(400);
  expect(r.body.code).toBe(2);
  expect(r.body.reason).toContain(field);
}

describe('acquire', () => {
  it.each<[string, Mutator, string]>([
    ['cname not a string', (b) => (b.cname = 42), 'cname'],
    ['cname missing', (b) => delete b.cname, 'cname'],
    ['uid "0"', (b) => (b.uid = '0'), 'uid'],
    ['uid as a number', (b) => (b.uid = 527841), 'uid'],
    ['uid above 2^32-1', (b) => (b.uid = '4294967296'), 'uid'],
    ['uid with a leading zero', (b) => (b.uid = '0123'), 'uid'],
    ['clientRequest missing', (b) => delete b.clientRequest, 'clientRequest'],
    [
      'resourceExpiredHour 0',
      (b) => (b.clientRequest.resourceExpiredHour = 0),
      'clientRequest.resourceExpiredHour',
    ],
    [
      'resourceExpiredHour 721',
      (b) => (b.clientRequest.resourceExpiredHour = 721),
      'clientRequest.resourceExpiredHour',
    ],
    ['scene 3', (b) => (b.clientRequest.scene = 3), 'clientRequest.scene'],
    ['region not CN/AP/EU/NA', (b) => (b.clientRequest.region = 'US'), 'clientRequest.region'],
    ['regionAffinity 5', (b) => (b.clientRequest.regionAffinity = 5), 'clientRequest.regionAffinity'],
    [
      'startParameter with subscribeUidGroup 6',
      (b) => (b.clientRequest.startParameter = startBody((s) => (rc(s).subscribeUidGroup = 6)).clientRequest),
      'clientRequest.startParameter.recordingConfig.subscribeUidGroup',
    ],
  ])('%s → code 2', async (_name, mutate, field) => {
    expectCode2(await api.acquire(acquireBody(mutate)), field);
  });

  it.each<[string, string]>([
    ['a slash', 'room/42'],
    ['a non-ASCII letter', 'salle-é'],
    ['64 characters', 'r'.repeat(64)],
    ['nothing but an unsupported quote', '"'],
  ])('cname with %s → 400 code 401', async (_name, cname) => {
    const r = await api.acquire(acquireBody((b) => (b.cname = cname)));
    expect(r).toMatchObject({ status: 400, body: { code: 401, reason: 'invalid_channel_name' } });
  });

  it('accepts every documented cname character and 63 characters', async () => {
    for (const cname of ['aZ09 !#$%&()+-:;<=.>?@[]^_{}|~,', 'c'.repeat(63)]) {
      expect((await api.acquire(acquireBody((b) => (b.cname = cname)))).status).toBe(200);
    }
  });
});

describe('start', () => {
  it.each<[string, Mutator, string]>([
    ['cname not a string', (b) => (b.cname = 1), 'cname'],
    ['uid "0"', (b) => (b.uid = '0'), 'uid'],
    [
      'recordingConfig missing',
      (b) => delete b.clientRequest.recordingConfig,
      'clientRequest.recordingConfig',
    ],
    ['subscribeUidGroup 6', (b) => (rc(b).subscribeUidGroup = 6), 'recordingConfig.subscribeUidGroup'],
    ['streamTypes 3', (b) => (rc(b).streamTypes = 3), 'recordingConfig.streamTypes'],
    ['maxIdleTime 4', (b) => (rc(b).maxIdleTime = 4), 'recordingConfig.maxIdleTime'],
    ['maxIdleTime 2592001', (b) => (rc(b).maxIdleTime = 2_592_001), 'recordingConfig.maxIdleTime'],
    ['channelType 2', (b) => (rc(b).channelType = 2), 'recordingConfig.channelType'],
    ['33 video uids', (b) => (rc(b).subscribeVideoUids = many(33)), 'recordingConfig.subscribeVideoUids'],
    [
      'a non-numeric uid in a list',
      (b) => (rc(b).subscribeVideoUids = ['bob']),
      'recordingConfig.subscribeVideoUids[0]',
    ],
    [
      '33 unSubscribe video uids',
      (b) => (delete rc(b).subscribeVideoUids, (rc(b).unSubscribeVideoUids = many(33))),
      'unSubscribeVideoUids',
    ],
    [
      'subscribe and unSubscribe video lists',
      (b) => (rc(b).unSubscribeVideoUids = ['7']),
      'subscribeVideoUids',
    ],
    [
      'subscribe and unsubscribe audio lists',
      (b) => (
        (rc(b).streamTypes = 2),
        (rc(b).subscribeAudioUids = ['1']),
        (rc(b).unsubscribeAudioUids = ['2'])
      ),
      'subscribeAudioUids',
    ],
    [
      'both blacklist spellings',
      (b) => (
        delete rc(b).subscribeVideoUids,
        (rc(b).unSubscribeVideoUids = ['1']),
        (rc(b).unsubscribeVideoUids = ['1'])
      ),
      'unsubscribeVideoUids',
    ],
    ['an audio list with streamTypes=1', (b) => (rc(b).subscribeAudioUids = ['1001']), 'streamTypes=1'],
    [
      'a video list with streamTypes=0',
      (b) => ((rc(b).streamTypes = 0), delete b.clientRequest.snapshotConfig),
      'streamTypes=0',
    ],
    [
      'screenshots with streamTypes=0',
      (b) => ((rc(b).streamTypes = 0), delete rc(b).subscribeVideoUids),
      'recordingConfig.streamTypes',
    ],
    [
      'streamMode original with snapshotConfig',
      (b) => (rc(b).streamMode = 'original'),
      'recordingConfig.streamMode',
    ],
    ['streamMode unknown', (b) => (rc(b).streamMode = 'fancy'), 'recordingConfig.streamMode'],
    ['decryptionMode without secret', (b) => (rc(b).decryptionMode = 1), 'recordingConfig.secret'],
    [
      'decryptionMode 7 without a 32-byte salt',
      (b) => ((rc(b).decryptionMode = 7), (rc(b).secret = 's'), (rc(b).salt = 'c2FsdA==')),
      'recordingConfig.salt',
    ],
    [
      'fileType ["png"]',
      (b) => (b.clientRequest.snapshotConfig.fileType = ['png']),
      'snapshotConfig.fileType',
    ],
    ['fileType missing', (b) => delete b.clientRequest.snapshotConfig.fileType, 'snapshotConfig.fileType'],
    [
      'captureInterval 4',
      (b) => (b.clientRequest.snapshotConfig.captureInterval = 4),
      'snapshotConfig.captureInterval',
    ],
    [
      'captureInterval 3601',
      (b) => (b.clientRequest.snapshotConfig.captureInterval = 3601),
      'snapshotConfig.captureInterval',
    ],
    [
      'avFileType ["flv"]',
      (b) => (b.clientRequest.recordingFileConfig = { avFileType: ['flv'] }),
      'recordingFileConfig.avFileType',
    ],
    ['storageConfig missing', (b) => delete b.clientRequest.storageConfig, 'clientRequest.storageConfig'],
    ['vendor 4', (b) => (sc(b).vendor = 4), 'storageConfig.vendor'],
    ['S3 region 26', (b) => (sc(b).region = 26), 'storageConfig.region'],
    ['Baidu region 0', (b) => ((sc(b).vendor = 8), (sc(b).region = 0)), 'storageConfig.region'],
    ['Azure region 1', (b) => ((sc(b).vendor = 5), (sc(b).region = 1)), 'storageConfig.region'],
    ['region as an AWS string', (b) => (sc(b).region = 'us-east-1'), 'storageConfig.region'],
    ['empty bucket', (b) => (sc(b).bucket = ''), 'storageConfig.bucket'],
    ['accessKey missing', (b) => delete sc(b).accessKey, 'storageConfig.accessKey'],
    ['secretKey missing', (b) => delete sc(b).secretKey, 'storageConfig.secretKey'],
    [
      'underscore in a prefix element',
      (b) => (sc(b).fileNamePrefix = ['snaps_1']),
      'storageConfig.fileNamePrefix[0]',
    ],
    ['slash in a prefix element', (b) => (sc(b).fileNamePrefix = ['a/b']), 'storageConfig.fileNamePrefix[0]'],
    [
      'prefix longer than 128',
      (b) => (sc(b).fileNamePrefix = ['a'.repeat(64), 'b'.repeat(64)]),
      'storageConfig.fileNamePrefix',
    ],
    ['stsToken for Azure', (b) => ((sc(b).vendor = 5), (sc(b).stsToken = 't')), 'storageConfig.stsToken'],
    [
      'sse for Alibaba',
      (b) => ((sc(b).vendor = 2), (sc(b).extensionParams = { sse: 'kms' })),
      'storageConfig.extensionParams',
    ],
    ['S3-compatible without endpoint', (b) => (sc(b).vendor = 11), 'storageConfig.extensionParams'],
  ])('%s → code 2', async (_name, mutate, field) => {
    expectCode2(await api.start(resourceId0, startBody(mutate)), field);
  });

  let resourceId0 = '';
  beforeAll(async () => {
    resourceId0 = (await api.acquire(acquireBody((b) => (b.uid = '900')))).body.resourceId;
  });

  it('clientRequest missing → code 2', async () => {
    expectCode2(
      await api.start(
        resourceId0,
        startBody((b) => delete b.clientRequest),
      ),
      'clientRequest',
    );
  });

  it('none of the invalid starts created a session', () => {
    expect(emu.ledger().filter((e) => e.resourceId === resourceId0)).toEqual([]);
  });
});

describe('captureIntervalMin option', () => {
  it('captureInterval 1 is accepted when captureIntervalMin is 1', async () => {
    const { emu: e1, api: a1 } = await emulatorForTest({ captureIntervalMin: 1 });
    try {
      await a1.startSession((b) => (b.clientRequest.snapshotConfig.captureInterval = 1));
      expect(e1.ledger()).toHaveLength(1);
    } finally {
      await e1.close();
    }
  });
});

describe('update', () => {
  const ss = (b: any) => b.clientRequest.streamSubscribe;
  it.each<[string, Mutator, string]>([
    ['no change at all', (b) => (b.clientRequest = {}), 'clientRequest'],
    [
      'two kinds of change',
      (b) => (b.clientRequest.storageConfig = startBody().clientRequest.storageConfig),
      'clientRequest',
    ],
    [
      'an empty streamSubscribe',
      (b) => (b.clientRequest.streamSubscribe = {}),
      'clientRequest.streamSubscribe',
    ],
    [
      '33 video uids',
      (b) => (ss(b).videoUidList.subscribeVideoUids = many(33)),
      'videoUidList.subscribeVideoUids',
    ],
    [
      'subscribe and unSubscribe video lists',
      (b) => (ss(b).videoUidList.unSubscribeVideoUids = ['1']),
      'subscribeVideoUids',
    ],
    [
      'an audio list on a video-only session',
      (b) => (ss(b).audioUidList = { subscribeAudioUids: ['1'] }),
      'audioUidList',
    ],
    [
      'webRecordingConfig in individual mode',
      (b) => (b.clientRequest = { webRecordingConfig: { onhold: true } }),
      'webRecordingConfig',
    ],
    [
      'a bad storageConfig region',
      (b) =>
        (b.clientRequest = {
          storageConfig: startBody((s) => (sc(s).region = 99)).clientRequest.storageConfig,
        }),
      'storageConfig.region',
    ],
    ['uid "0"', (b) => (b.uid = '0'), 'uid'],
  ])('%s → code 2', async (_name, mutate, field) => {
    expectCode2(await api.update(resourceId, sid, updateBody(mutate)), field);
  });
});

describe('stop', () => {
  it.each<[string, Mutator, string]>([
    ['clientRequest missing', (b) => delete b.clientRequest, 'clientRequest'],
    ['async_stop not a boolean', (b) => (b.clientRequest.async_stop = 'no'), 'clientRequest.async_stop'],
    ['cname missing', (b) => delete b.cname, 'cname'],
  ])('%s → code 2', async (_name, mutate, field) => {
    expectCode2(await api.stop(resourceId, sid, stopBody(mutate)), field);
  });

  it('the session survived every invalid update and stop', () => {
    expect(emu.ledger().find((e) => e.sid === sid)).toMatchObject({ active: true, stopCalls: 0 });
  });
});
