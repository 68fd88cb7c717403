import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../worker/config';
import { credentialSource } from '../../worker/credential-source';

const dir = mkdtempSync(path.join(tmpdir(), 'agora-cred-'));
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};
const profiles = file('profiles.json', JSON.stringify({}));
const base = {
  AGORA_APP_ID: '0123456789abcdef0123456789abcdef',
  AGORA_CUSTOMER_ID: 'id',
  AGORA_STORAGE_PROFILES: profiles,
};

describe('Agora credentials from files', () => {
  it('reads the secret from AGORA_CUSTOMER_SECRET_FILE without its trailing newline', () => {
    const c = loadWorkerConfig({ ...base, AGORA_CUSTOMER_SECRET_FILE: file('s1', 'from-file\n') });
    expect(c.AGORA_CUSTOMER_SECRET).toBe('from-file');
  });

  it('refuses a secret given both as a variable and as a file, naming both', () => {
    expect(() =>
      loadWorkerConfig({ ...base, AGORA_CUSTOMER_SECRET: 'x', AGORA_CUSTOMER_SECRET_FILE: file('s2', 'y') }),
    ).toThrow(/AGORA_CUSTOMER_SECRET: set either AGORA_CUSTOMER_SECRET or AGORA_CUSTOMER_SECRET_FILE/);
  });

  it('names a missing secret file without printing anything from it', () => {
    const missing = path.join(dir, 'nope');
    expect(() => loadWorkerConfig({ ...base, AGORA_CUSTOMER_SECRET_FILE: missing })).toThrow(
      `AGORA_CUSTOMER_SECRET_FILE: cannot read ${missing} (ENOENT)`,
    );
  });

  it('refuses an empty secret file', () => {
    const empty = file('empty', '\n');
    expect(() => loadWorkerConfig({ ...base, AGORA_CUSTOMER_SECRET_FILE: empty })).toThrow(
      `${empty} is empty`,
    );
  });

  it('requires the secret as a variable or a file', () => {
    expect(() => loadWorkerConfig(base)).toThrow(
      /AGORA_CUSTOMER_SECRET: is required .* or AGORA_CUSTOMER_SECRET_FILE/,
    );
  });

  it('gives the rotated secret when asked again, and keeps the last good one when the file goes away', () => {
    const secretFile = file('rot', 'old');
    const warnings: string[] = [];
    const source = credentialSource(
      {
        AGORA_CUSTOMER_ID: 'id',
        AGORA_CUSTOMER_SECRET: 'old',
        AGORA_APP_CERTIFICATE: undefined,
        AGORA_CUSTOMER_SECRET_FILE: secretFile,
      },
      (m) => warnings.push(m),
    );
    writeFileSync(secretFile, 'new\n');
    expect(source.customer()).toEqual({ customerId: 'id', customerSecret: 'new' });
    rmSync(secretFile);
    expect(source.customer()).toEqual({ customerId: 'id', customerSecret: 'new' });
    expect(warnings.join()).toContain('ENOENT');
    expect(warnings.join()).not.toContain('new');
  });

  it('reads the App Certificate file at every call', () => {
    const certFile = file('cert', 'c1');
    const source = credentialSource({
      AGORA_CUSTOMER_ID: 'id',
      AGORA_CUSTOMER_SECRET: 's',
      AGORA_APP_CERTIFICATE: 'c1',
      AGORA_APP_CERTIFICATE_FILE: certFile,
    });
    writeFileSync(certFile, 'c2');
    expect(source.appCertificate()).toBe('c2');
  });
});
