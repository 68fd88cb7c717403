import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadWorkerConfig } from '../../worker/config';
import { workerEnv } from '../helpers/worker-env';

const GOOD = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const env = (over: Record<string, string | undefined> = {}) => ({
  ...workerEnv('http://127.0.0.1:9', '127.0.0.1:7233', 'q'),
  ...over,
});
const secretsFile = (content: string) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'webhook-secrets-')), 'secrets.json');
  writeFileSync(file, content);
  return file;
};
const loadError = (content: string): string => {
  try {
    loadWorkerConfig(env({ AGORA_CAPTURE_WEBHOOK_SECRETS: secretsFile(content) }));
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
};

describe('webhook secrets in the worker configuration', () => {
  it('reads named whsec_ secrets from the file AGORA_CAPTURE_WEBHOOK_SECRETS names', () => {
    const c = loadWorkerConfig(
      env({ AGORA_CAPTURE_WEBHOOK_SECRETS: secretsFile(JSON.stringify({ backend: GOOD })) }),
    );
    expect(c.webhookSecrets).toEqual({ backend: GOOD });
    expect(c.AGORA_CAPTURE_WEBHOOK_GIVE_UP_HOURS).toBeGreaterThanOrEqual(24);
  });

  it('has no webhook secrets when the variable is unset', () => {
    expect(loadWorkerConfig(env()).webhookSecrets).toEqual({});
  });

  it('names the variable when the file does not exist', () => {
    expect(() =>
      loadWorkerConfig(env({ AGORA_CAPTURE_WEBHOOK_SECRETS: '/nonexistent/secrets.json' })),
    ).toThrow(/AGORA_CAPTURE_WEBHOOK_SECRETS: file not found/);
  });

  it('refuses a file that is not JSON without quoting its content', () => {
    const message = loadError(`{"backend": "${GOOD}",`);
    expect(message).toMatch(/AGORA_CAPTURE_WEBHOOK_SECRETS: .* is not valid JSON/);
    expect(message).not.toContain('MfKQ9r8');
  });

  it('refuses a JSON array', () => {
    expect(loadError(JSON.stringify([GOOD]))).toMatch(/must be a JSON object/);
  });

  it('names the secret whose value is not a whsec_ secret, never printing the value', () => {
    const message = loadError(JSON.stringify({ backend: GOOD, other: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }));
    expect(message).toMatch(/other: must start with "whsec_"/);
    expect(message).not.toContain('MfKQ9r8');
  });

  it('refuses a secret name that captures could not name', () => {
    expect(loadError(JSON.stringify({ 'bad name': GOOD }))).toMatch(/bad name: invalid secret name/);
  });

  it('refuses a give-up window shorter than a day', () => {
    expect(() => loadWorkerConfig(env({ AGORA_CAPTURE_WEBHOOK_GIVE_UP_HOURS: '2' }))).toThrow(
      /AGORA_CAPTURE_WEBHOOK_GIVE_UP_HOURS: must be at least 24/,
    );
  });
});
