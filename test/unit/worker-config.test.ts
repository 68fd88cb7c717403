import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadWorkerConfig } from '../../worker/config';
import { SECRETS, storageProfile } from '../helpers/fixtures';
import { workerEnv } from '../helpers/harness';

const env = (over: Record<string, string | undefined> = {}) => ({
  ...workerEnv('http://127.0.0.1:9', '127.0.0.1:7233', 'q'),
  ...over,
});
const profilesFile = (content: string) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'profiles-')), 'p.json');
  writeFileSync(file, content);
  return file;
};

describe('worker configuration', () => {
  it('fills defaults and reads the storage profiles', () => {
    const c = loadWorkerConfig(env({ TEMPORAL_TASK_QUEUE: undefined, AGORA_APP_CERTIFICATE: '' }));
    expect(c.TEMPORAL_TASK_QUEUE).toBe('agora-capture');
    expect(c.AGORA_APP_CERTIFICATE).toBeUndefined();
    expect(c.storageProfiles.default).toMatchObject({ vendor: 1, bucket: 'capture-bucket' });
  });

  it('defaults Agora to api.sd-rtn.com and resolves regional names', () => {
    expect(loadWorkerConfig(env({ AGORA_REST_URL: undefined })).AGORA_REST_URL).toBe(
      'https://api.sd-rtn.com',
    );
    expect(loadWorkerConfig(env({ AGORA_REST_URL: 'eu-central-1' })).AGORA_REST_URL).toBe(
      'https://api-eu-central-1.sd-rtn.com',
    );
  });

  it('connects with the shared Temporal settings: TLS and API key from the environment', () => {
    const c = loadWorkerConfig(env({ TEMPORAL_API_KEY: 'k', TEMPORAL_NAMESPACE: 'prod' }));
    expect(c.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'prod', apiKey: 'k', tls: {} });
    expect(c.TEMPORAL_NAMESPACE).toBe('prod');
  });

  it('lists a bad Temporal setting with the other bad variables', () => {
    expect(() =>
      loadWorkerConfig(
        env({ AGORA_APP_ID: undefined, TEMPORAL_TLS_CLIENT_CERT_PATH: '/nonexistent/client.pem' }),
      ),
    ).toThrow(
      /AGORA_APP_ID: is required[\s\S]*TEMPORAL_TLS_CLIENT_CERT_PATH: file not found: \/nonexistent\/client\.pem/,
    );
  });

  it.each(['AGORA_APP_ID', 'AGORA_CUSTOMER_ID', 'AGORA_CUSTOMER_SECRET', 'AGORA_STORAGE_PROFILES'])(
    'names %s when it is missing',
    (name) => {
      expect(() => loadWorkerConfig(env({ [name]: undefined }))).toThrow(new RegExp(name));
    },
  );

  it('rejects plain http to a remote Agora host unless allowed', () => {
    expect(() => loadWorkerConfig(env({ AGORA_REST_URL: 'http://emulator:8080' }))).toThrow(/AGORA_REST_URL/);
    expect(
      loadWorkerConfig(env({ AGORA_REST_URL: 'http://emulator:8080', AGORA_ALLOW_INSECURE_HTTP: 'true' }))
        .AGORA_REST_URL,
    ).toMatch(/^http:\/\/emulator:8080/);
  });

  it('names the bad profile field without echoing its secret', () => {
    const file = profilesFile(JSON.stringify({ default: storageProfile({ region: 99 }) }));
    const err = (() => {
      try {
        loadWorkerConfig(env({ AGORA_STORAGE_PROFILES: file }));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.message).toMatch(/default/);
    expect(err?.message).not.toContain(SECRETS.secretKey);
  });

  it('reports a profiles file that is not JSON', () => {
    expect(() => loadWorkerConfig(env({ AGORA_STORAGE_PROFILES: profilesFile('{nope') }))).toThrow(
      /not valid JSON/,
    );
  });
});
