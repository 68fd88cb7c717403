/**
 * Screenshots uploaded with the S3 API (SigV4) to the run's real S3-compatible server (moto,
 * credentials enforced), to the bucket of the session's storageConfig, under Agora's key format.
 * Every check lists the bucket independently (ListObjectsV2 from the test, not the emulator).
 */
import { randomBytes } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { AgoraEmulator, EmulatorOptions } from '../../emulator';
import { listKeys, testS3Client } from '../helpers/s3';
import { Api, CNAME } from './helpers';
import { listFiles, Receiver, simForTest, SNAPSHOT_NAME, until } from './sim-helpers';

const s3 = inject('s3');
let emu: AgoraEmulator;
let api: Api;
let receiver: Receiver;
let bucketDir: string;
async function setup(extra: Partial<EmulatorOptions> = {}) {
  ({ emu, api, receiver, bucketDir } = await simForTest(extra));
}
afterEach(async () => {
  await emu?.close();
  await receiver?.close();
});

const fileNames = () => receiver.events(45).map((b) => b.payload.details.fileName as string);
/** A prefix no other test writes to. */
const freshPrefix = () => ['snaps', `t${randomBytes(4).toString('hex')}`];

/** Storage fields of the start body pointing at the run's bucket with the enforced key pair. */
function storage(prefix: string[], over: Record<string, unknown> = {}) {
  return {
    vendor: 1,
    region: 0,
    bucket: s3.bucket,
    accessKey: s3.accessKeyId,
    secretKey: s3.secretAccessKey,
    fileNamePrefix: prefix,
    ...over,
  };
}

/** Starts a session of 1001 and 1002, waits for shots of both, stops, waits for event 11. */
async function captureAndStop(storageConfig: Record<string, unknown>): Promise<{ sid: string }> {
  emu.channel(CNAME).join('1001');
  emu.channel(CNAME).join('1002');
  const { resourceId, sid } = await api.startSession((b) => {
    b.clientRequest.recordingConfig.subscribeVideoUids = ['1001', '1002'];
    b.clientRequest.storageConfig = storageConfig;
  });
  await until('two shots of each uid', () => fileNames().length >= 4, 15_000);
  expect((await api.stop(resourceId, sid)).status).toBe(200);
  await until('event 11', () => receiver.events(11).length, 15_000);
  return { sid };
}

function expectAgoraKeys(keys: string[], prefix: string[], sid: string): void {
  for (const key of keys) {
    expect(key.startsWith(`${prefix.join('/')}/`)).toBe(true);
    const m = SNAPSHOT_NAME.exec(key.slice(prefix.join('/').length + 1));
    expect(m?.slice(1, 4)).toEqual([undefined, sid, CNAME]);
    expect(['1001', '1002']).toContain(m?.[4]);
  }
}

describe('screenshots in a real S3 server', () => {
  it('vendor 1 with the emulator S3 endpoint: every announced file is an object in the bucket, and nothing else', async () => {
    await setup({ s3Endpoint: s3.endpoint });
    const prefix = freshPrefix();
    const { sid } = await captureAndStop(storage(prefix));
    const announced = fileNames();
    const listed = await listKeys(s3, `${prefix.join('/')}/`);
    expect(listed).toEqual([...announced].sort());
    expectAgoraKeys(listed, prefix, sid);
    // The end events come after the last upload: no 45 after 11.
    const order = receiver.delivered().map((b) => b.eventType);
    expect(order.lastIndexOf(45)).toBeLessThan(order.indexOf(11));
    // Real JPGs, and nothing fell back to the local folder.
    const client = testS3Client(s3);
    const obj = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: listed[0] }));
    const bytes = Buffer.from(await obj.Body!.transformToByteArray());
    client.destroy();
    expect(obj.ContentType).toBe('image/jpeg');
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(listFiles(bucketDir)).toEqual([]);
  });

  it('vendor 11 uploads to extensionParams.endpoint without any emulator S3 option', async () => {
    await setup();
    const prefix = freshPrefix();
    const host = new URL(s3.endpoint).host;
    const { sid } = await captureAndStop(
      storage(prefix, { vendor: 11, region: 0, extensionParams: { endpoint: host } }),
    );
    const listed = await listKeys(s3, `${prefix.join('/')}/`);
    expect(listed).toEqual([...fileNames()].sort());
    expect(listed.length).toBeGreaterThanOrEqual(4);
    expectAgoraKeys(listed, prefix, sid);
  });

  it("a wrong secret key: the server refuses the uploads, no object and no event 45; Agora's uploader error 32 once, and stop says backuped", async () => {
    const logs: string[] = [];
    await setup({ s3Endpoint: s3.endpoint, log: (l) => logs.push(l) });
    const prefix = freshPrefix();
    emu.channel(CNAME).join('1001');
    const { resourceId, sid } = await api.startSession((b) => {
      b.clientRequest.storageConfig = storage(prefix, { secretKey: 'not-the-secret' });
    });
    await until('two refused uploads', () => logs.filter((l) => l.includes('failed')).length >= 2, 15_000);
    expect(logs.find((l) => l.includes('failed'))).toContain('SignatureDoesNotMatch');
    expect(logs.join('\n')).not.toContain('not-the-secret');
    expect(receiver.events(45)).toEqual([]);
    expect(await listKeys(s3, `${prefix.join('/')}/`)).toEqual([]);
    // As Agora's uploader reports it: one error 32 for the session, then the backup warning.
    expect(receiver.events(1).map((b) => b.payload.details)).toEqual([
      {
        msgName: 'cloud_recording_error',
        module: 1,
        errorLevel: 3,
        errorCode: 32,
        stat: 0,
        errorMsg: 'bad storage config',
      },
    ]);
    expect(receiver.events(2).map((b) => b.payload.details)).toEqual([
      { msgName: 'cloud_recording_warning', module: 1, warnCode: 32 },
    ]);
    const stop = await api.stop(resourceId, sid);
    expect(stop.status).toBe(200);
    expect((stop.body as { serverResponse: unknown }).serverResponse).toEqual({
      uploadingStatus: 'backuped',
    });
  });

  it('vendor 1 without the emulator S3 endpoint stays local: the folder, never AWS', async () => {
    await setup();
    const prefix = freshPrefix();
    emu.channel(CNAME).join('1001');
    await api.startSession((b) => (b.clientRequest.storageConfig = storage(prefix)));
    await until('a shot', () => fileNames().length >= 1);
    expect(listFiles(bucketDir)).toContain(fileNames()[0]);
    expect(await listKeys(s3, `${prefix.join('/')}/`)).toEqual([]);
  });
});
