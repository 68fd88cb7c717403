import { describe, expect, it } from 'vitest';
import {
  captureWorkflowId,
  validateCaptureRequest,
  validateNewCaptureRequest,
} from '../../workflows/request';
import { captureRequest } from '../helpers/fixtures';
import { INVALID_CASES } from '../helpers/invalid-requests';

describe('capture request validation', () => {
  it('accepts a minimal request and fills Agora-safe defaults', () => {
    const v = validateCaptureRequest({
      channel: 'room42',
      recorderUid: '527841',
      durationSeconds: 60,
      recordingConfig: { subscribeUidGroup: 0 },
    });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.request).toMatchObject({
      mode: 'individual',
      storageProfile: 'default',
      recordingConfig: { streamTypes: 1, channelType: 0, maxIdleTime: 300 },
      snapshotConfig: { captureInterval: 10, fileType: ['jpg'] },
      timings: { failoverWindowSeconds: 90 },
    });
  });

  it('accepts the fixture request used across the suite', () => {
    expect(validateCaptureRequest(captureRequest()).ok).toBe(true);
  });

  it.each(INVALID_CASES)('rejects: $rule (names $field)', ({ field, says, build }) => {
    const v = validateNewCaptureRequest(build());
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.issues).toHaveLength(1);
    expect(v.issues[0]!.field).toBe(field);
    expect(v.issues[0]!.rule).toMatch(says);
  });

  it('leaves the delivery rules out of the schema the workflow ran before them, so such running captures replay', () => {
    const twice = captureRequest({}, { subscribeVideoUids: ['1001', '1001'] });
    expect(validateCaptureRequest(twice).ok).toBe(true);
    expect(validateNewCaptureRequest(twice).ok).toBe(false);
  });

  it('accepts #allstream# and a channel using every allowed punctuation mark', () => {
    const v = validateCaptureRequest(
      captureRequest({ channel: 'a !#$%&()+-:;<=.>?@[]^_{}|~,' }, { subscribeVideoUids: ['#allstream#'] }),
    );
    expect(v.ok).toBe(true);
  });

  it('derives one workflow id per channel and recorder uid', () => {
    expect(captureWorkflowId('room:42', '7')).toBe('capture/room:42/7');
  });
});
