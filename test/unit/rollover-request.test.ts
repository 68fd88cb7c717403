import { describe, expect, it } from 'vitest';
import { rolloverUidOf, validateCaptureRequest } from '../../workflows/request';
import { captureRequest } from '../helpers/fixtures';

/** The one issue a request has, or undefined when it is valid. */
function issue(input: unknown): { field: string; rule: string } | undefined {
  const v = validateCaptureRequest(input);
  if (v.ok) return undefined;
  expect(v.issues).toHaveLength(1);
  return v.issues[0];
}

describe('the second recorder uid (captures past 24 h)', () => {
  it('defaults to recorderUid + 1, and recorderUid − 1 for the largest uid', () => {
    expect(rolloverUidOf({ recorderUid: '527841' })).toBe('527842');
    expect(rolloverUidOf({ recorderUid: '4294967295' })).toBe('4294967294');
    expect(rolloverUidOf({ recorderUid: '7', rolloverRecorderUid: '99' })).toBe('99');
  });

  it('accepts a distinct rolloverRecorderUid and fills a 10-minute rollover margin', () => {
    const v = validateCaptureRequest(captureRequest({ rolloverRecorderUid: '900' }));
    expect(v.ok && v.request.rolloverRecorderUid).toBe('900');
    const d = validateCaptureRequest({ ...captureRequest(), timings: undefined });
    expect(d.ok && d.request.timings.rolloverMarginSeconds).toBe(600);
  });

  it('rejects a rolloverRecorderUid equal to recorderUid', () => {
    expect(issue(captureRequest({ recorderUid: '5', rolloverRecorderUid: '5' }))).toMatchObject({
      field: 'rolloverRecorderUid',
      rule: expect.stringMatching(/must differ from recorderUid/),
    });
  });

  it('rejects a rolloverRecorderUid that is a subscribed uid', () => {
    expect(
      issue(captureRequest({ rolloverRecorderUid: '1001' }, { subscribeVideoUids: ['1001'] })),
    ).toMatchObject({
      field: 'rolloverRecorderUid',
      rule: expect.stringMatching(/every subscribed uid/),
    });
  });

  it('rejects a request whose default second uid is a subscribed uid, saying which uid it is', () => {
    expect(issue(captureRequest({ recorderUid: '1000' }, { subscribeVideoUids: ['1001'] }))).toMatchObject({
      field: 'rolloverRecorderUid',
      rule: expect.stringMatching(/^\(default 1001\) must differ/),
    });
  });

  it('rejects a rolloverRecorderUid that is not a uid', () => {
    expect(issue(captureRequest({ rolloverRecorderUid: '0' }))).toMatchObject({
      field: 'rolloverRecorderUid',
      rule: expect.stringMatching(/rolloverRecorderUid must be an integer from 1/),
    });
  });

  it('rejects a rollover margin under a minute', () => {
    expect(
      issue(captureRequest({ timings: { failoverWindowSeconds: 4, rolloverMarginSeconds: 5 } })),
    ).toMatchObject({ field: 'timings.rolloverMarginSeconds' });
  });
});
