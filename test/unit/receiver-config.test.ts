import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReceiverConfig, ReceiverConfigError } from '../../client/receiver/config';

const load = (env: Record<string, string>) => loadReceiverConfig(env);
const error = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ReceiverConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a configuration error');
};

describe('receiver configuration', () => {
  it('has defaults for everything but the secrets', () => {
    expect(load({ AGORA_NCS_SECRETS: 's1' })).toEqual({
      RECEIVER_HOST: '127.0.0.1',
      RECEIVER_PORT: 8088,
      RECEIVER_ADMIN_HOST: '127.0.0.1',
      AGORA_NCS_SECRETS: ['s1'],
      RECEIVER_MAX_BODY_BYTES: 65536,
      RECEIVER_SIGNAL_TIMEOUT_MS: 5000,
      RECEIVER_REPLAY_WINDOW_SECONDS: 3600,
      RECEIVER_FUTURE_SKEW_SECONDS: 300,
      RECEIVER_MAX_REMEMBERED_NOTICES: 200000,
      temporal: { address: '127.0.0.1:7233', namespace: 'default' },
    });
  });

  it('splits and trims several secrets (rotation)', () => {
    expect(load({ AGORA_NCS_SECRETS: ' new , old ' }).AGORA_NCS_SECRETS).toEqual(['new', 'old']);
  });

  it('names a missing AGORA_NCS_SECRETS', () => {
    expect(error({})).toMatch(/AGORA_NCS_SECRETS: is required/);
    expect(error({ AGORA_NCS_SECRETS: '' })).toMatch(/AGORA_NCS_SECRETS: is required/);
  });

  it('refuses empty items without echoing the secrets', () => {
    const msg = error({ AGORA_NCS_SECRETS: 'topsecret,,other' });
    expect(msg).toMatch(/AGORA_NCS_SECRETS: item 2 of 3 is empty/);
    expect(msg).not.toContain('topsecret');
  });

  it('treats an empty RECEIVER_PORT as unset, not as port 0', () => {
    expect(load({ AGORA_NCS_SECRETS: 's', RECEIVER_PORT: '' }).RECEIVER_PORT).toBe(8088);
  });

  it('names bad numbers', () => {
    expect(error({ AGORA_NCS_SECRETS: 's', RECEIVER_PORT: 'http' })).toMatch(
      /RECEIVER_PORT: must be a number/,
    );
    expect(error({ AGORA_NCS_SECRETS: 's', RECEIVER_SIGNAL_TIMEOUT_MS: '12000' })).toMatch(
      /RECEIVER_SIGNAL_TIMEOUT_MS: must be at most 9000/,
    );
    expect(error({ AGORA_NCS_SECRETS: 's', RECEIVER_MAX_BODY_BYTES: '10' })).toMatch(
      /RECEIVER_MAX_BODY_BYTES: must be at least 1024/,
    );
  });

  it("refuses a replay window short enough to refuse Agora's own resends", () => {
    expect(error({ AGORA_NCS_SECRETS: 's', RECEIVER_REPLAY_WINDOW_SECONDS: '60' })).toMatch(
      /RECEIVER_REPLAY_WINDOW_SECONDS: must be at least 600/,
    );
  });

  it('reads the secrets from AGORA_NCS_SECRETS_FILE', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ncs-')), 'secrets');
    writeFileSync(file, 'new,old\n');
    expect(load({ AGORA_NCS_SECRETS_FILE: file }).AGORA_NCS_SECRETS).toEqual(['new', 'old']);
  });

  it('names an unreadable AGORA_NCS_SECRETS_FILE', () => {
    expect(error({ AGORA_NCS_SECRETS_FILE: '/nonexistent/ncs' })).toMatch(
      /AGORA_NCS_SECRETS_FILE: cannot read \/nonexistent\/ncs \(ENOENT\)/,
    );
  });

  it('serves the probes on the callback port unless RECEIVER_ADMIN_PORT is set', () => {
    expect(load({ AGORA_NCS_SECRETS: 's' }).RECEIVER_ADMIN_PORT).toBeUndefined();
    expect(load({ AGORA_NCS_SECRETS: 's', RECEIVER_ADMIN_PORT: '8089' }).RECEIVER_ADMIN_PORT).toBe(8089);
    expect(error({ AGORA_NCS_SECRETS: 's', RECEIVER_ADMIN_PORT: '70000' })).toMatch(
      /RECEIVER_ADMIN_PORT: must be at most 65535/,
    );
  });
});
