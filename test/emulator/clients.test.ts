/**
 * Bodies exactly as Agora's official REST clients send them (byte for byte, sent raw):
 * the Go/Java/Node clients use `unSubscribe…Uids` and `regionAffinity`, the Go client sends
 * `extensionParams` with empty `sse`/`tag` and omits `subscribeUidGroup` and `captureInterval`
 * when they are 0 (`json:",omitempty"`); the Python client uses lowercase `unsubscribe…Uids` and
 * json.dumps spacing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgoraEmulator } from '../../emulator';
import { Api, emulatorForTest } from './helpers';

let emu: AgoraEmulator;
let api: Api;
beforeAll(async () => ({ emu, api } = await emulatorForTest()));
afterAll(() => emu.close());

const post = (path: string, raw: string, contentType = 'application/json;charset=utf-8') =>
  api.send('POST', `${api.prefix()}${path}`, undefined, { rawBody: raw, contentType });

describe('Go client (agora-rest-client-go) shapes', () => {
  it('acquire, start, update, query and stop succeed', async () => {
    const a = await post(
      '/acquire',
      '{"cname":"gochan","uid":"10001","clientRequest":{"scene":0,"resourceExpiredHour":24,"excludeResourceIds":["x"],"regionAffinity":4}}',
    );
    expect(a.status).toBe(200);
    const rid: string = a.body.resourceId;
    const start =
      '{"cname":"gochan","uid":"10001","clientRequest":{"token":"","recordingConfig":{"channelType":1,"streamTypes":1,' +
      '"maxIdleTime":300,"unSubscribeVideoUids":["1002"],"subscribeUidGroup":0},' +
      '"snapshotConfig":{"captureInterval":5,"fileType":["jpg"]},' +
      '"storageConfig":{"vendor":1,"region":0,"bucket":"b","accessKey":"ak","secretKey":"sk","fileNamePrefix":["go","snaps"],' +
      '"extensionParams":{"sse":"","tag":""}}}}';
    const s = await post(`/resourceid/${rid}/mode/individual/start`, start);
    expect(s.status).toBe(200);
    const sid: string = s.body.sid;
    const base = `/resourceid/${rid}/sid/${sid}/mode/individual`;
    const upd = await post(
      `${base}/update`,
      '{"cname":"gochan","uid":"10001","clientRequest":{"streamSubscribe":{"videoUidList":{"unSubscribeVideoUids":["1003"]}}}}',
    );
    expect(upd.status).toBe(200);
    expect((await api.send('GET', `${api.prefix()}${base}/query`)).status).toBe(200);
    const stop = await post(
      `${base}/stop`,
      '{"cname":"gochan","uid":"10001","clientRequest":{"async_stop":false}}',
    );
    expect(stop).toMatchObject({ status: 200, body: { serverResponse: { uploadingStatus: 'uploaded' } } });
  });

  it('a subscribeUidGroup of 0, which the Go client omits (omitempty), is accepted as 0 in acquire and start', async () => {
    // StartParameter and Start bodies as the Go client marshals them with SubscribeUidGroup: 0.
    const recordingConfig =
      '{"channelType":0,"streamTypes":1,"maxIdleTime":120,"subscribeVideoUids":["1001"]}';
    const clientRequest =
      `{"token":"","recordingConfig":${recordingConfig},` +
      '"snapshotConfig":{"captureInterval":5,"fileType":["jpg"]},' +
      '"storageConfig":{"vendor":1,"region":0,"bucket":"b","accessKey":"ak","secretKey":"sk","fileNamePrefix":["go"],' +
      '"extensionParams":{"sse":"","tag":""}}}';
    expect(clientRequest).not.toContain('subscribeUidGroup');
    const a = await post(
      '/acquire',
      `{"cname":"gozero","uid":"10002","clientRequest":{"scene":0,"resourceExpiredHour":24,"startParameter":${clientRequest}}}`,
    );
    expect(a.status).toBe(200);
    const s = await post(
      `/resourceid/${a.body.resourceId}/mode/individual/start`,
      `{"cname":"gozero","uid":"10002","clientRequest":${clientRequest}}`,
    );
    expect(s.status).toBe(200);
    expect(emu.ledger().find((e) => e.sid === s.body.sid)).toMatchObject({ cname: 'gozero', active: true });
  });
});

describe('Python client (agora-rest-client-python) shapes', () => {
  it('lowercase unsubscribe keys, json.dumps spacing and plain application/json are accepted', async () => {
    const a = await post(
      '/acquire',
      '{"cname": "pychan", "uid": "20002", "clientRequest": {"region": "NA"}}',
      'application/json',
    );
    expect(a.status).toBe(200);
    const rid: string = a.body.resourceId;
    const start =
      '{"cname": "pychan", "uid": "20002", "clientRequest": {"recordingConfig": {"channelType": 0, "streamTypes": 2, ' +
      '"unsubscribeAudioUids": ["1"], "unsubscribeVideoUids": ["1"], "subscribeUidGroup": 1, "streamMode": "standard"}, ' +
      '"snapshotConfig": {"fileType": ["jpg"]}, ' +
      '"storageConfig": {"vendor": 2, "region": 3, "bucket": "b", "accessKey": "ak", "secretKey": "sk"}}}';
    const s = await post(`/resourceid/${rid}/mode/individual/start`, start, 'application/json');
    expect(s.status).toBe(200);
    const upd = await post(
      `/resourceid/${rid}/sid/${s.body.sid}/mode/individual/update`,
      '{"cname": "pychan", "uid": "20002", "clientRequest": {"streamSubscribe": {"audioUidList": {"unsubscribeAudioUids": ["2"]}}}}',
      'application/json',
    );
    expect(upd.status).toBe(200);
  });
});
