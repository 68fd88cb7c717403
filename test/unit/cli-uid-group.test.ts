import { describe, expect, it } from 'vitest';
import { buildCaptureRequest } from '../../client/cli/capture-request';
import { CliFailure, EXIT } from '../../client/cli/errors';
import { ALL_STREAMS_UID_GROUP, deriveUidGroup } from '../../client/cli/uid-group';
import { validateCaptureRequest } from '../../workflows/request';

const uids = (n: number) => Array.from({ length: n }, (_, i) => String(1001 + i));

describe('subscribeUidGroup derivation (Agora table)', () => {
  it.each([
    [1, 0],
    [2, 0],
    [3, 1],
    [7, 1],
    [8, 2],
    [12, 2],
    [13, 3],
    [17, 3],
    [18, 4],
    [32, 4],
  ])('%i video uids → group %i', (n, group) => {
    expect(deriveUidGroup(uids(n))).toBe(group);
  });

  it('counts distinct uids across video and audio lists', () => {
    expect(deriveUidGroup(['1', '2'], ['2', '3'])).toBe(1);
    expect(deriveUidGroup(['1', '2'], ['1', '2'])).toBe(0);
  });

  it('assumes a small room when all streams are subscribed', () => {
    expect(deriveUidGroup(undefined)).toBe(ALL_STREAMS_UID_GROUP);
    expect(deriveUidGroup(['#allstream#'])).toBe(ALL_STREAMS_UID_GROUP);
    expect(ALL_STREAMS_UID_GROUP).toBe(1);
  });
});

describe('start options → capture request', () => {
  const base = { channel: 'room', uid: '527841', intervalSeconds: 5, durationSeconds: 5400 };

  it('builds a request the schema accepts, deriving the uid group', () => {
    const v = validateCaptureRequest(
      buildCaptureRequest({ ...base, videoUids: ['1001', '1002', '1003'], prefix: 'a/b' }),
    );
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.request).toMatchObject({
      durationSeconds: 5400,
      storageProfile: 'default',
      fileNamePrefix: ['a', 'b'],
      snapshotConfig: { captureInterval: 5, fileType: ['jpg'] },
      recordingConfig: { subscribeUidGroup: 1, subscribeVideoUids: ['1001', '1002', '1003'] },
    });
  });

  it('keeps an explicit --uid-group', () => {
    expect(buildCaptureRequest({ ...base, uidGroup: 4 }).recordingConfig.subscribeUidGroup).toBe(4);
  });

  it("refuses what the schema refuses with exit 2, in the flag's words", () => {
    let e: unknown;
    try {
      buildCaptureRequest({ ...base, intervalSeconds: 2 });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(CliFailure);
    expect(e).toMatchObject({
      code: EXIT.usage,
      message:
        'invalid capture request:\n  --interval (snapshotConfig.captureInterval): must be within [5s, 1h]',
      details: { issues: [{ field: 'snapshotConfig.captureInterval', flag: '--interval' }] },
    });
  });
});
