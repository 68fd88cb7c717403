import { describe, expect, it } from 'vitest';
import { describeIssues, validateCaptureRequest } from '../../workflows/request';
import { captureRequest } from '../helpers/fixtures';

const withWebhook = (webhook: unknown) => validateCaptureRequest({ ...captureRequest(), webhook });
const problem = (webhook: unknown) => {
  const v = withWebhook(webhook);
  return v.ok ? undefined : describeIssues(v.issues);
};

describe('the capture request webhook field', () => {
  it('accepts an https URL and a secret name, and fills the screenshot batch defaults', () => {
    const v = withWebhook({ url: 'https://backend.example.com/hooks/agora', secret: 'backend' });
    expect(v.ok && v.request.webhook).toEqual({
      url: 'https://backend.example.com/hooks/agora',
      secret: 'backend',
      screenshots: { maxFiles: 50, maxSeconds: 30 },
    });
  });

  it.each(['http://localhost:8080/h', 'http://127.0.0.1:9/h', 'http://127.255.1.2/h', 'http://[::1]:8080/h'])(
    'allows plain http to the loopback host of %s',
    (url) => {
      expect(problem({ url, secret: 'backend' })).toBeUndefined();
    },
  );

  it.each([
    'http://backend.example.com/h',
    'http://10.0.0.1/h',
    'http://128.0.0.1/h',
    'http://localhost.example.com/h',
  ])('refuses plain http to the non-loopback host of %s, naming the field and the rule', (url) => {
    expect(problem({ url, secret: 'backend' })).toBe(
      'webhook.url: must be https (plain http only for loopback hosts: localhost, 127.0.0.0/8, [::1])',
    );
  });

  it('refuses a relative URL and other schemes', () => {
    expect(problem({ url: '/hooks', secret: 'backend' })).toMatch(/^webhook\.url: must be an absolute URL/);
    expect(problem({ url: 'ftp://backend.example.com/h', secret: 'backend' })).toMatch(
      /^webhook\.url: must be https/,
    );
  });

  it('refuses credentials in the URL, which would land in workflow history', () => {
    expect(problem({ url: 'https://user:pw@backend.example.com/h', secret: 'backend' })).toMatch(
      /^webhook\.url: must not contain credentials/,
    );
  });

  it("refuses a secret value where the secret's name belongs", () => {
    expect(
      problem({ url: 'https://b.example.com/h', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
    ).toMatch(/^webhook\.secret: must be the secret's name, never its value/);
  });

  it('names a missing secret and unknown fields', () => {
    expect(problem({ url: 'https://b.example.com/h' })).toMatch(/^webhook\.secret: is required/);
    expect(problem({ url: 'https://b.example.com/h', secret: 'b', retries: 3 })).toMatch(
      /^webhook: unknown field\(s\): retries/,
    );
  });
});
