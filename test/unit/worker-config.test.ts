import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadWorkerConfig } from '../../worker/config';
import { chooseWorkflowCode } from '../../worker/workflow-bundle';
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

  it.each([
    'xyz',
    '0123456789abcdef0123456789abcde',
    '0123456789abcdef0123456789abcdefa',
    ' 0123456789abcdef0123456789abcde',
  ])('refuses AGORA_APP_ID %j, which is not 32 hex characters', (id) => {
    expect(() => loadWorkerConfig(env({ AGORA_APP_ID: id }))).toThrow(
      /\n {2}AGORA_APP_ID: must be 32 hex characters \(the App ID of your project in the Agora console\)$/,
    );
  });

  it('accepts an App ID of 32 hex characters in either case', () => {
    expect(loadWorkerConfig(env({ AGORA_APP_ID: '0123456789ABCDEF0123456789abcdef' })).AGORA_APP_ID).toBe(
      '0123456789ABCDEF0123456789abcdef',
    );
  });

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

  it('reads the customer secret and the App Certificate from *_FILE variables', () => {
    const c = loadWorkerConfig(
      env({
        AGORA_CUSTOMER_SECRET: undefined,
        AGORA_CUSTOMER_SECRET_FILE: profilesFile('from-file-secret\n'),
        AGORA_APP_CERTIFICATE: undefined,
        AGORA_APP_CERTIFICATE_FILE: profilesFile('fedcba9876543210fedcba9876543210'),
      }),
    );
    expect(c.AGORA_CUSTOMER_SECRET).toBe('from-file-secret');
    expect(c.AGORA_APP_CERTIFICATE).toBe('fedcba9876543210fedcba9876543210');
  });

  it('names an unreadable AGORA_CUSTOMER_SECRET_FILE as a configuration error', () => {
    expect(() =>
      loadWorkerConfig(
        env({ AGORA_CUSTOMER_SECRET: undefined, AGORA_CUSTOMER_SECRET_FILE: '/nonexistent/s' }),
      ),
    ).toThrow(
      new ConfigError(
        'invalid worker configuration:\n  AGORA_CUSTOMER_SECRET_FILE: cannot read /nonexistent/s (ENOENT)',
      ),
    );
  });
});

describe('which workflow code the worker runs', () => {
  const has = () => true;
  const hasNot = () => false;
  const cfg = (WORKER_WORKFLOW_BUNDLE: 'auto' | 'prebuilt' | 'source', NODE_ENV?: string) => ({
    WORKER_WORKFLOW_BUNDLE,
    NODE_ENV,
  });

  it('defaults to auto', () => {
    expect(loadWorkerConfig(env()).WORKER_WORKFLOW_BUNDLE).toBe('auto');
  });

  it('auto runs the prebuilt bundle when the build has one', () => {
    expect(chooseWorkflowCode(cfg('auto'), '/b.js', has)).toEqual({ prebuilt: '/b.js' });
  });

  it('auto bundles the sources when there is no build (development, tests)', () => {
    expect(chooseWorkflowCode(cfg('auto'), '/b.js', hasNot)).toEqual({});
  });

  it('auto in production refuses to start without the prebuilt bundle', () => {
    expect(() => chooseWorkflowCode(cfg('auto', 'production'), '/b.js', hasNot)).toThrow(
      /WORKER_WORKFLOW_BUNDLE: NODE_ENV=production needs the prebuilt workflow bundle, not found at \/b\.js/,
    );
  });

  it('prebuilt refuses to start without the bundle', () => {
    expect(() => chooseWorkflowCode(cfg('prebuilt'), '/b.js', hasNot)).toThrow(ConfigError);
  });

  it('source bundles the sources even when a build is there', () => {
    expect(chooseWorkflowCode(cfg('source', 'production'), '/b.js', has)).toEqual({});
  });

  it('from the sources, the prebuilt path is absent: tests and tsx run the sources', () => {
    expect(chooseWorkflowCode(cfg('auto'))).toEqual({});
  });

  it('WORKER_WORKFLOW_BUNDLE_PATH loads the named bundle instead of the default one', () => {
    const c = loadWorkerConfig(env({ WORKER_WORKFLOW_BUNDLE_PATH: '/tmp/bench/product.js' }));
    const only = (p: string) => p === '/tmp/bench/product.js';
    expect(chooseWorkflowCode(c, '/b.js', only)).toEqual({ prebuilt: '/tmp/bench/product.js' });
  });

  it('an empty WORKER_WORKFLOW_BUNDLE_PATH means unset', () => {
    const c = loadWorkerConfig(env({ WORKER_WORKFLOW_BUNDLE_PATH: '' }));
    expect(c.WORKER_WORKFLOW_BUNDLE_PATH).toBeUndefined();
    expect(chooseWorkflowCode(c, '/b.js', hasNot)).toEqual({});
  });

  it('a WORKER_WORKFLOW_BUNDLE_PATH with no file there stops the worker, even in auto mode', () => {
    const named = { ...cfg('auto'), WORKER_WORKFLOW_BUNDLE_PATH: '/missing.js' };
    expect(() => chooseWorkflowCode(named, '/b.js', (p) => p === '/b.js')).toThrow(
      /WORKER_WORKFLOW_BUNDLE_PATH: no workflow bundle at \/missing\.js/,
    );
  });

  it('WORKER_WORKFLOW_BUNDLE_PATH with WORKER_WORKFLOW_BUNDLE=source is refused as contradictory', () => {
    const named = { ...cfg('source'), WORKER_WORKFLOW_BUNDLE_PATH: '/b.js' };
    expect(() => chooseWorkflowCode(named, '/b.js', has)).toThrow(
      /WORKER_WORKFLOW_BUNDLE_PATH: names a bundle to load, but WORKER_WORKFLOW_BUNDLE=source/,
    );
  });
});
