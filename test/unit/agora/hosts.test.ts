import { describe, expect, it } from 'vitest';
import { AGORA_REGIONAL_PREFIXES, resolveAgoraBaseUrl } from '../../../agora/hosts';

describe('resolveAgoraBaseUrl', () => {
  it.each([
    [undefined, 'https://api.sd-rtn.com'],
    ['', 'https://api.sd-rtn.com'],
    ['sd-rtn.com', 'https://api.sd-rtn.com'],
    ['agora.io', 'https://api.agora.io'],
    ['AGORA.IO', 'https://api.agora.io'],
    ['eu-central-1', 'https://api-eu-central-1.sd-rtn.com'],
    ['api-us-west-1', 'https://api-us-west-1.sd-rtn.com'],
    ['agora.io/eu-central-1', 'https://api-eu-central-1.agora.io'],
    ['sd-rtn.com/cn-north-1', 'https://api-cn-north-1.sd-rtn.com'],
    ['https://api.agora.io/', 'https://api.agora.io'],
    ['https://proxy.example.com/agora/', 'https://proxy.example.com/agora'],
    ['http://127.0.0.1:8089', 'http://127.0.0.1:8089'],
    ['http://localhost:8089/', 'http://localhost:8089'],
    ['http://[::1]:8089', 'http://[::1]:8089'],
  ])('%s → %s', (input, expected) => {
    expect(resolveAgoraBaseUrl(input)).toBe(expected);
  });

  it('lists the eight regional prefixes', () => {
    expect(AGORA_REGIONAL_PREFIXES).toHaveLength(8);
    expect(AGORA_REGIONAL_PREFIXES).toContain('ap-southeast-1');
  });

  it.each([
    'agora.com',
    'us-west-2',
    'agora.io/mars-1',
    'eu-central-1/agora.io',
    'ftp://api.agora.io',
    'http://api.agora.io',
    'https://user:pass@api.agora.io',
    'https://api.agora.io/?x=1',
  ])('rejects %s', (input) => {
    expect(() => resolveAgoraBaseUrl(input)).toThrow(/Agora/);
  });

  it('allows non-loopback http only when asked (compose networks)', () => {
    expect(() => resolveAgoraBaseUrl('http://emulator:8089')).toThrow(/loopback/);
    expect(resolveAgoraBaseUrl('http://emulator:8089', { allowInsecureHttp: true })).toBe(
      'http://emulator:8089',
    );
  });

  it('does not echo credentials from a rejected URL', () => {
    try {
      resolveAgoraBaseUrl('https://user:s3cr3t@api.agora.io');
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cr3t');
    }
  });
});
