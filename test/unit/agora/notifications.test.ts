import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  NcsEnvelope,
  NcsSnapshotFileDetails,
  NcsStreamStateDetails,
  verifyNcsSignature,
} from '../../../agora';

const secret = 'ncs-secret-current';
const oldSecret = 'ncs-secret-previous';
const raw = Buffer.from(
  '{"noticeId":"n-1","productId":3,"eventType":45,"notifyMs":1700000000123,' +
    '"payload":{"cname":"room42","uid":"527841","sid":"38f8e3cfdc474cd56fc1ceba380d7e1a","sequence":7,' +
    '"sendts":1700000000000,"serviceType":1,"details":{"msgName":"recorder_snapshot_file",' +
    '"fileName":"snaps/room42/38f8e3cfdc474cd56fc1ceba380d7e1a_room42__uid_s_1001__uid_e_video_20240101120000123.jpg"}}}',
);
const sign = (alg: 'sha256' | 'sha1', key: string, body: Buffer = raw) =>
  createHmac(alg, key).update(body).digest('hex');

describe('verifyNcsSignature', () => {
  it('accepts a V2 (HMAC-SHA256) signature', () => {
    expect(verifyNcsSignature(raw, { 'agora-signature-v2': sign('sha256', secret) }, [secret])).toEqual({
      ok: true,
      scheme: 'v2',
    });
  });

  it('falls back to the V1 (HMAC-SHA1) header only when V2 is absent', () => {
    expect(verifyNcsSignature(raw, { 'agora-signature': sign('sha1', secret) }, [secret])).toEqual({
      ok: true,
      scheme: 'v1',
    });
    const badV2 = { 'agora-signature-v2': sign('sha256', 'wrong'), 'agora-signature': sign('sha1', secret) };
    expect(verifyNcsSignature(raw, badV2, [secret]).ok).toBe(false);
  });

  it('tries every secret (rotation) and accepts header names in any case and uppercase hex', () => {
    const headers = { 'Agora-Signature-V2': sign('sha256', oldSecret).toUpperCase() };
    expect(verifyNcsSignature(raw, headers, [secret, oldSecret])).toEqual({ ok: true, scheme: 'v2' });
  });

  it('rejects tampered bodies, missing headers, malformed and repeated signatures, and empty secret lists', () => {
    const sig = sign('sha256', secret);
    const tampered = Buffer.from(raw.toString().replace('"sequence":7', '"sequence":8'));
    expect(verifyNcsSignature(tampered, { 'agora-signature-v2': sig }, [secret]).ok).toBe(false);
    expect(verifyNcsSignature(raw, {}, [secret])).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/missing/) as unknown,
    });
    expect(verifyNcsSignature(raw, { 'agora-signature-v2': 'zz' }, [secret]).ok).toBe(false);
    expect(verifyNcsSignature(raw, { 'agora-signature-v2': sig.slice(2) }, [secret]).ok).toBe(false);
    expect(verifyNcsSignature(raw, { 'agora-signature-v2': [sig, sig] }, [secret]).ok).toBe(false);
    expect(verifyNcsSignature(raw, { 'agora-signature-v2': sig }, ['', ''])).toMatchObject({ ok: false });
  });

  it('never reveals secrets or the expected digest in the reason', () => {
    const result = verifyNcsSignature(raw, { 'agora-signature-v2': sign('sha256', 'x') }, [secret]);
    expect(result.ok).toBe(false);
    const text = JSON.stringify(result);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(sign('sha256', secret));
  });
});

describe('NcsEnvelope', () => {
  it('parses a cloud recording event and its details', () => {
    const env = NcsEnvelope.parse(JSON.parse(raw.toString()));
    expect(env.eventType).toBe(45);
    expect(env.payload.sid).toBe('38f8e3cfdc474cd56fc1ceba380d7e1a');
    expect(env.payload.sequence).toBe(7);
    expect(NcsSnapshotFileDetails.parse(env.payload.details).fileName).toMatch(/\.jpg$/);
  });

  it('is lenient on payload contents (health-check events) but needs the envelope fields', () => {
    expect(
      NcsEnvelope.safeParse({ noticeId: 'n', productId: 3, eventType: 1, notifyMs: 1, payload: {} }).success,
    ).toBe(true);
    expect(NcsEnvelope.safeParse({ productId: 3, eventType: 1, notifyMs: 1, payload: {} }).success).toBe(
      false,
    );
  });

  it('reads event 44 with its UtcMs casing and a numeric streamUid', () => {
    const d = NcsStreamStateDetails.parse({
      msgName: 'recorder_video_stream_state_changed',
      streamUid: 1001,
      state: 1,
      UtcMs: 5,
    });
    expect(d.streamUid).toBe('1001');
  });
});
