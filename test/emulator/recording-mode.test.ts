/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call --
   JSON bodies are untyped on purpose (as in helpers.ts). */
/**
 * Recording-mode sessions (issue 13): a start body with recordingFileConfig and no
 * snapshotConfig records the channel into files named as Agora names them, and stop lists them
 * (fileList, json mode). A body with both is one task that records and takes screenshots, as
 * Agora allows since its 2021-09-06 release, billed as recording only.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgoraEmulator } from '../../emulator';
import { Api, CNAME, emulatorForTest, startBody } from './helpers';
import { listFiles, Receiver, simForTest, SNAPSHOT_NAME, until } from './sim-helpers';

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

/** The screenshot body with recordingFileConfig added: one task that records and takes screenshots. */
const combinedBody = (b: { clientRequest: Record<string, unknown> }) => {
  b.clientRequest.recordingFileConfig = { avFileType: ['hls'] };
};

describe('recording-mode sessions', () => {
  it('a start body with both snapshotConfig and recordingFileConfig is one task: it records, takes screenshots, and is billed once as recording', async () => {
    const sim = await simForTest();
    ({ emu, api, receiver } = sim);
    const { bucketDir, receiver: rx } = sim;
    emu.channel(CNAME).join('1001');
    const { resourceId, sid } = await api.startSession(combinedBody);
    await until('two screenshots reported', () => rx.events(45).length >= 2);

    const stop = await api.stop(resourceId, sid);
    expect(stop.status).toBe(200);
    const sr = stop.body.serverResponse;
    expect(sr.fileListMode).toBe('json');
    const listed: string[] = sr.fileList.map((f: { fileName: string }) => f.fileName);
    expect(listed).toEqual([`snaps/room42/${sid}_${CNAME}__uid_s_1001__uid_e_video.m3u8`]);
    await until('session_exit', () => rx.events(11).length);

    // The recording files and the screenshots are both in the bucket, each JPG reported by event 45.
    const stored = listFiles(bucketDir);
    for (const name of listed) expect(stored).toContain(name);
    expect(stored.some((f) => /__uid_s_1001__uid_e_video_\d{17}\.ts$/.test(f))).toBe(true);
    const jpgs = stored.filter((f) => f.endsWith('.jpg'));
    expect(jpgs.length).toBeGreaterThanOrEqual(2);
    for (const f of jpgs) expect(f.slice('snaps/room42/'.length)).toMatch(SNAPSHOT_NAME);
    await until('every JPG reported', () => rx.events(45).length === jpgs.length);
    expect(
      rx
        .events(45)
        .map((b) => b.payload.details.fileName)
        .sort(),
    ).toEqual(jpgs);
    // One bot, one session's notifications: started, left on request, exited normally.
    expect(rx.events(40)).toHaveLength(1);
    expect(rx.events(41)[0]?.payload.details).toMatchObject({ leaveCode: 16 });
    expect(rx.events(11)[0]?.payload.details).toMatchObject({ exitStatus: 0 });
    expect(new Set(rx.delivered().map((b) => b.payload.sid))).toEqual(new Set([sid]));

    expect(emu.ledger()).toEqual([
      expect.objectContaining({ sid, billedService: 'recording', endedBy: 'stop', stopCalls: 1 }),
    ]);
  });

  it('a combined body is still held to the screenshot rules: streamMode "original" is refused with code 2 naming it', async () => {
    ({ emu, api } = await emulatorForTest());
    const a = await api.acquire();
    const body = startBody((b: { clientRequest: { recordingConfig: Record<string, unknown> } }) => {
      combinedBody(b);
      b.clientRequest.recordingConfig.streamMode = 'original';
    });
    const r = await api.start(a.body.resourceId, body);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(2);
    expect(JSON.stringify(r.body)).toContain('streamMode');
    expect(emu.ledger()).toHaveLength(0);
  });

  it('a combined body is still held to the recording rules: an empty avFileType is refused with code 2 naming it', async () => {
    ({ emu, api } = await emulatorForTest());
    const a = await api.acquire();
    const body = startBody((b: { clientRequest: Record<string, unknown> }) => {
      combinedBody(b);
      b.clientRequest.recordingFileConfig = { avFileType: [] };
    });
    const r = await api.start(a.body.resourceId, body);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(2);
    expect(JSON.stringify(r.body)).toContain('avFileType');
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
    expect(emu.ledger()[0]?.billedService).toBe('recording');
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
    expect(emu.ledger()[0]?.billedService).toBe('screenshot');
  });
});
