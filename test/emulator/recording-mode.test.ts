/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call --
   JSON bodies are untyped on purpose (as in helpers.ts). */
/**
 * Recording-mode sessions (issue 13): a start body with recordingFileConfig and no
 * snapshotConfig records the channel into files named as Agora names them, and stop lists them
 * (fileList, json mode); a body asking for both is refused with code 2.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgoraEmulator } from '../../emulator';
import { Api, CNAME, emulatorForTest, startBody } from './helpers';
import { listFiles, Receiver, simForTest } from './sim-helpers';

let emu: AgoraEmulator;
let api: Api;
let receiver: Receiver | undefined;
afterEach(async () => {
  await emu.close();
  await receiver?.close();
  receiver = undefined;
});

/** The screenshot body turned into a recording body: recordingFileConfig, no snapshotConfig. */
const recordingBody = (avFileType: string[]) => (b: { clientRequest: Record<string, unknown> }) => {
  delete b.clientRequest.snapshotConfig;
  b.clientRequest.recordingFileConfig = { avFileType };
};

describe('recording-mode sessions', () => {
  it('a start body with both snapshotConfig and recordingFileConfig is refused with code 2 naming the field', async () => {
    ({ emu, api } = await emulatorForTest());
    const a = await api.acquire();
    const body = startBody((b: { clientRequest: Record<string, unknown> }) => {
      b.clientRequest.recordingFileConfig = { avFileType: ['hls'] };
    });
    const r = await api.start(a.body.resourceId, body);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(2);
    expect(JSON.stringify(r.body)).toContain('recordingFileConfig');
    expect(emu.ledger()).toHaveLength(0);
  });

  it('records each subscribed publisher into an m3u8 named as Agora names it, and stop lists the files', async () => {
    let bucketDir: string;
    ({ emu, api, receiver, bucketDir } = await simForTest());
    emu.channel(CNAME).join('1001');
    const { resourceId, sid } = await api.startSession(recordingBody(['hls']));
    const stop = await api.stop(resourceId, sid);
    expect(stop.status).toBe(200);
    const sr = stop.body.serverResponse;
    expect(sr.fileListMode).toBe('json');
    const names = sr.fileList.map((f: { fileName: string }) => f.fileName);
    const video = names.find((n: string) => n.endsWith('__uid_e_video.m3u8'));
    expect(video).toMatch(new RegExp(`(^|/)${sid}_${CNAME}__uid_s_1001__uid_e_video\\.m3u8$`));
    expect(sr.fileList.find((f: { fileName: string }) => f.fileName === video)).toMatchObject({
      trackType: 'video',
      uid: '1001',
      isPlayable: true,
    });
    // Written to the bucket as listed: the playlist and its first segment.
    expect(existsSync(join(bucketDir, video))).toBe(true);
    const stored = listFiles(bucketDir);
    expect(stored.some((f) => /__uid_s_1001__uid_e_video_\d{17}\.ts$/.test(f))).toBe(true);
    expect(stored.some((f) => f.endsWith('.jpg'))).toBe(false);
  });

  it('with avFileType ["hls","mp4"] stop also writes and lists an MP4 per track', async () => {
    let bucketDir: string;
    ({ emu, api, receiver, bucketDir } = await simForTest());
    emu.channel(CNAME).join('1001');
    const { resourceId, sid } = await api.startSession(recordingBody(['hls', 'mp4']));
    const stop = await api.stop(resourceId, sid);
    const names: string[] = stop.body.serverResponse.fileList.map((f: { fileName: string }) => f.fileName);
    const mp4 = names.find((n) => /__uid_s_1001__uid_e_video_\d{17}\.mp4$/.test(n));
    expect(mp4).toBeDefined();
    expect(existsSync(join(bucketDir, mp4!))).toBe(true);
  });

  it('a screenshot session stop lists no files, as Agora', async () => {
    ({ emu, api, receiver } = await simForTest());
    emu.channel(CNAME).join('1001');
    const { resourceId, sid } = await api.startSession();
    const stop = await api.stop(resourceId, sid);
    expect(stop.status).toBe(200);
    expect(stop.body.serverResponse.fileList).toBeUndefined();
  });
});
