import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { webhookBody } from '../../activities/webhooks/deliver';
import {
  decodeWebhookSecret,
  signWebhook,
  webhookId,
  webhookSecretProblem,
} from '../../activities/webhooks/sign';

// The Standard Webhooks specification's published test vector (also in its reference libraries' tests).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signing', () => {
  it("reproduces the specification's test vector", () => {
    const key = decodeWebhookSecret(VECTOR.secret);
    expect(signWebhook(key, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('signs what the standardwebhooks library verifies, and only that', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const body = webhookBody({
      seq: 1,
      type: 'capture.started',
      timestamp: '2026-11-29T11:00:00.000Z',
      data: { workflowId: 'capture/room/527841', sid: 'abc' },
    });
    const id = webhookId('capture/room/527841', 'run-1', 1);
    const ts = Math.floor(Date.now() / 1000);
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': '' };
    headers['webhook-signature'] = signWebhook(decodeWebhookSecret(secret), id, ts, body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body.replace('abc', 'abd'), headers)).toThrow(/signature/i);
  });

  it('derives one webhook-id per event: the same on every call, different per seq and per capture run', () => {
    const a = webhookId('capture/room/1', 'run-1', 1);
    expect(webhookId('capture/room/1', 'run-1', 1)).toBe(a);
    expect(webhookId('capture/room/1', 'run-1', 2)).not.toBe(a);
    expect(webhookId('capture/room/1', 'run-2', 1)).not.toBe(a);
    expect(a).toMatch(/^msg_[A-Za-z0-9_-]{32}$/);
  });

  it.each([
    ['no whsec_ prefix', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', /start with "whsec_"/],
    ['not base64', 'whsec_not base64!', /must be base64/],
    ['a key shorter than 24 bytes', `whsec_${Buffer.alloc(16).toString('base64')}`, /24 to 64 bytes/],
    ['a key longer than 64 bytes', `whsec_${Buffer.alloc(65).toString('base64')}`, /24 to 64 bytes/],
  ])('refuses a secret with %s, without echoing it', (_what, secret, rule) => {
    const problem = webhookSecretProblem(secret);
    expect(problem).toMatch(rule);
    expect(problem).not.toContain(secret.replace('whsec_', ''));
  });
});
