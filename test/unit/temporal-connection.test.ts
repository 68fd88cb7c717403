/**
 * Environment (and Temporal TOML profile) → connection options, as worker, CLI, client API and
 * receiver all read them. Certificates here are placeholder bytes: only the mapping is tested;
 * test/integration/temporal-tls.test.ts does a real TLS handshake.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReceiverConfig, ReceiverConfigError } from '../../client/receiver/config';
import {
  connectionOptions,
  describeTemporalTarget,
  TemporalConfigError,
  temporalConnectionSettings,
} from '../../client/temporal-connection';

const dir = mkdtempSync(join(tmpdir(), 'temporal-conn-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const CERT = file('client.pem', 'CERT-BYTES');
const KEY = file('client.key', 'KEY-BYTES');
const CA = file('ca.pem', 'CA-BYTES');
/** HOME without a ~/.config/temporalio/temporal.toml, so the host's own file never leaks in. */
const base = { HOME: dir };
const settings = (env: Record<string, string>) => temporalConnectionSettings({ ...base, ...env });
const issues = (env: Record<string, string>) => {
  try {
    settings(env);
  } catch (e) {
    expect(e).toBeInstanceOf(TemporalConfigError);
    return (e as TemporalConfigError).message;
  }
  throw new Error('expected a configuration error');
};

describe('Temporal connection settings from the environment', () => {
  it('defaults to the local dev server in plain text', () => {
    expect(settings({})).toEqual({ address: '127.0.0.1:7233', namespace: 'default' });
    expect(connectionOptions(settings({}))).toEqual({ address: '127.0.0.1:7233' });
  });

  it('treats empty variables (VAR= in .env) as unset', () => {
    expect(
      settings({ TEMPORAL_ADDRESS: '', TEMPORAL_NAMESPACE: '', TEMPORAL_TLS: '', TEMPORAL_API_KEY: '' }),
    ).toEqual({ address: '127.0.0.1:7233', namespace: 'default' });
  });

  it('takes address and namespace', () => {
    expect(settings({ TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_NAMESPACE: 'captures' })).toEqual({
      address: 'temporal.internal:7233',
      namespace: 'captures',
    });
  });

  it('turns TLS on with an API key, and sends the key', () => {
    const s = settings({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key-SECRET' });
    expect(connectionOptions(s)).toEqual({
      address: 'ns.acct.tmprl.cloud:7233',
      tls: {},
      apiKey: 'key-SECRET',
    });
  });

  it('keeps plain text with an API key when TEMPORAL_TLS=false', () => {
    expect(settings({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' }).tls).toBe(false);
  });

  it('maps TEMPORAL_TLS=true alone to TLS with the system roots', () => {
    expect(settings({ TEMPORAL_TLS: 'TRUE' }).tls).toEqual({});
  });

  it('reads the mTLS pair, the CA and the server name from their files', () => {
    const s = settings({
      TEMPORAL_TLS_CLIENT_CERT_PATH: CERT,
      TEMPORAL_TLS_CLIENT_KEY_PATH: KEY,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: CA,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.example',
    });
    expect(s.tls).toEqual({
      serverNameOverride: 'temporal.example',
      serverRootCACertificate: Buffer.from('CA-BYTES'),
      clientCertPair: { crt: Buffer.from('CERT-BYTES'), key: Buffer.from('KEY-BYTES') },
    });
    expect(describeTemporalTarget(s)).toBe('127.0.0.1:7233 (namespace default, mTLS)');
  });

  it('passes TEMPORAL_GRPC_META_* as gRPC headers', () => {
    expect(connectionOptions(settings({ TEMPORAL_GRPC_META_X_TENANT: 'blue' }))).toEqual({
      address: '127.0.0.1:7233',
      metadata: { 'x-tenant': 'blue' },
    });
  });

  it('never shows the API key when describing the target', () => {
    const text = describeTemporalTarget(settings({ TEMPORAL_API_KEY: 'key-SECRET' }));
    expect(text).toBe('127.0.0.1:7233 (namespace default, TLS, API key)');
    expect(text).not.toContain('SECRET');
  });
});

describe('Temporal connection errors name the variable', () => {
  it('names a missing certificate file', () => {
    expect(
      issues({ TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'nope.pem'), TEMPORAL_TLS_CLIENT_KEY_PATH: KEY }),
    ).toMatch(/TEMPORAL_TLS_CLIENT_CERT_PATH: file not found: .*nope\.pem/);
  });

  it('names a missing CA file', () => {
    expect(issues({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'ca-nope.pem') })).toMatch(
      /TEMPORAL_TLS_SERVER_CA_CERT_PATH: file not found/,
    );
  });

  it('refuses a certificate without its key', () => {
    expect(issues({ TEMPORAL_TLS_CLIENT_CERT_PATH: CERT })).toMatch(
      /TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH: set both/,
    );
  });

  it('refuses a TEMPORAL_TLS that is not a boolean', () => {
    expect(issues({ TEMPORAL_TLS: 'yes' })).toMatch(/TEMPORAL_TLS: must be true or false/);
  });

  it('refuses an address without a port', () => {
    expect(issues({ TEMPORAL_ADDRESS: 'https://temporal.example' })).toMatch(
      /TEMPORAL_ADDRESS: must be host:port/,
    );
  });

  it('names a TEMPORAL_CONFIG_FILE that does not exist', () => {
    expect(issues({ TEMPORAL_CONFIG_FILE: join(dir, 'missing.toml') })).toMatch(
      /TEMPORAL_CONFIG_FILE: file not found: .*missing\.toml/,
    );
  });

  it('names a TEMPORAL_PROFILE the file lacks', () => {
    const toml = file('one.toml', '[profile.default]\naddress = "a:1"\n');
    expect(issues({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod' })).toMatch(
      /TEMPORAL_PROFILE: no profile "prod"/,
    );
  });

  it('says a config file is not TOML without quoting it (it may hold a key)', () => {
    const bad = file('bad.toml', '[profile.default\napi_key = "key-SECRET"\n');
    const msg = issues({ TEMPORAL_CONFIG_FILE: bad });
    expect(msg).toMatch(/TEMPORAL_CONFIG_FILE: .*bad\.toml is not valid TOML/);
    expect(msg).not.toContain('SECRET');
  });

  it('lists every bad variable at once', () => {
    const msg = issues({ TEMPORAL_TLS: 'maybe', TEMPORAL_ADDRESS: 'nohostport' });
    expect(msg).toMatch(/TEMPORAL_TLS:/);
    expect(msg).toMatch(/TEMPORAL_ADDRESS:/);
  });
});

describe('Temporal TOML profiles (TEMPORAL_PROFILE / TEMPORAL_CONFIG_FILE)', () => {
  const toml = file(
    'temporal.toml',
    [
      '[profile.default]',
      'address = "localhost:7233"',
      '',
      '[profile.prod]',
      'address = "prod.tmprl.cloud:7233"',
      'namespace = "prod-ns"',
      'api_key = "key-SECRET"',
      '',
      '[profile.mtls]',
      'address = "mtls.internal:7233"',
      '[profile.mtls.tls]',
      `client_cert_path = "${CERT}"`,
      `client_key_path = "${KEY}"`,
      'server_name = "temporal.internal"',
      '',
    ].join('\n'),
  );

  it('uses the default profile when none is named', () => {
    expect(settings({ TEMPORAL_CONFIG_FILE: toml }).address).toBe('localhost:7233');
  });

  it('uses the named profile, API key and TLS included', () => {
    expect(settings({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod' })).toEqual({
      address: 'prod.tmprl.cloud:7233',
      namespace: 'prod-ns',
      apiKey: 'key-SECRET',
      tls: {},
      profile: 'prod',
    });
  });

  it('reads the profile TLS files', () => {
    expect(settings({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'mtls' }).tls).toEqual({
      serverNameOverride: 'temporal.internal',
      clientCertPair: { crt: Buffer.from('CERT-BYTES'), key: Buffer.from('KEY-BYTES') },
    });
  });

  it('lets variables override the profile', () => {
    const s = settings({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod', TEMPORAL_NAMESPACE: 'other' });
    expect([s.address, s.namespace]).toEqual(['prod.tmprl.cloud:7233', 'other']);
  });
});

describe('the processes read the same settings', () => {
  it('receiver: TLS and API key from the environment, errors in its own message', () => {
    const c = loadReceiverConfig({ ...base, AGORA_NCS_SECRETS: 's', TEMPORAL_API_KEY: 'k' });
    expect(connectionOptions(c.temporal)).toEqual({ address: '127.0.0.1:7233', tls: {}, apiKey: 'k' });
    expect(() => loadReceiverConfig({ ...base, AGORA_NCS_SECRETS: 's', TEMPORAL_TLS: 'on' })).toThrow(
      ReceiverConfigError,
    );
    expect(() => loadReceiverConfig({ ...base, TEMPORAL_TLS: 'on' })).toThrow(
      /AGORA_NCS_SECRETS: is required[\s\S]*TEMPORAL_TLS: must be true or false/,
    );
  });
});
