import { describe, expect, it } from 'vitest';
import { parseScreenshotKey } from '../../../agora/filenames';

const sid = '38f8e3cfdc474cd56fc1ceba380d7e1a';

describe('parseScreenshotKey', () => {
  it("parses the reference's example key", () => {
    expect(
      parseScreenshotKey(`snaps/room42/${sid}_room42__uid_s_1001__uid_e_video_20240101120000123.jpg`),
    ).toEqual({
      prefix: ['snaps', 'room42'],
      sid,
      cname: 'room42',
      uid: '1001',
      capturedAt: new Date('2024-01-01T12:00:00.123Z'),
    });
  });

  it('parses a bare name without video_ (raw mode) and a cname with underscores', () => {
    const k = parseScreenshotKey(`${sid}_my_room__uid_s_7__uid_e_20190611073246073.jpg`);
    expect(k).toMatchObject({ prefix: [], cname: 'my_room', uid: '7' });
    expect(k?.capturedAt.toISOString()).toBe('2019-06-11T07:32:46.073Z');
  });

  it('reads the failover index before the file name and before the whole prefix', () => {
    expect(parseScreenshotKey(`a/b/bak0_${sid}_c__uid_s_1__uid_e_video_20240101120000123.jpg`)).toMatchObject(
      {
        prefix: ['a', 'b'],
        failoverIndex: 0,
        sid,
      },
    );
    expect(parseScreenshotKey(`bak2_a/b/${sid}_c__uid_s_1__uid_e_video_20240101120000123.jpg`)).toMatchObject(
      {
        prefix: ['a', 'b'],
        failoverIndex: 2,
      },
    );
  });

  it.each([
    `${sid}_c__uid_s_1__uid_e_video_20240101120000123.png`,
    `${sid}_c__uid_s_1__uid_e_video_2024010112000012.jpg`,
    `${sid}_c__uid_s_1__uid_e_video_20241301120000123.jpg`,
    `${sid}_c__uid_s_1__uid_e_audio_20240101120000123.jpg`,
    `${sid}_c__uid_s_x__uid_e_video_20240101120000123.jpg`,
    `${sid}__uid_e_video_20240101120000123.jpg`,
    `${sid}_c__uid_s_1__uid_e_video.m3u8`,
    'snaps/',
    '',
  ])('rejects %s', (key) => {
    expect(parseScreenshotKey(key)).toBeUndefined();
  });
});
