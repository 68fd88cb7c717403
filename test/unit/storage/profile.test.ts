import { describe, expect, it } from 'vitest';
import { buildStartBody } from '../../../activities/start-body';
import { agoraStorageConfig, StorageProfiles } from '../../../storage/profile';
import { hasS3Target, s3Target } from '../../../storage/s3-target';
import { validateCaptureRequest } from '../../../workflows/request';
import { captureRequest, storageProfile } from '../../helpers/fixtures';

const parse = (p: Record<string, unknown>) => StorageProfiles.safeParse({ p });
const issuePaths = (p: Record<string, unknown>) => {
  const r = parse(p);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('storage profiles', () => {
  it('accept the product-only s3 block', () => {
    expect(
      parse(storageProfile({ s3: { endpoint: 'http://127.0.0.1:9000', presignSeconds: 60 } })).success,
    ).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an endpoint that is not http(s)', { s3: { endpoint: 'ftp://127.0.0.1' } }, 'p.s3.endpoint'],
    ['an unknown s3 field', { s3: { endpont: 'http://x' } }, 'p.s3'],
    ['presignSeconds above 7 days', { s3: { presignSeconds: 7 * 24 * 3600 + 1 } }, 'p.s3.presignSeconds'],
    ['requestTimeoutSeconds of 0', { s3: { requestTimeoutSeconds: 0 } }, 'p.s3.requestTimeoutSeconds'],
    ['vendor 11 without extensionParams.endpoint', { vendor: 11 }, 'p.extensionParams.endpoint'],
  ])('reject %s, naming the field', (_name, over, path) => {
    expect(issuePaths(storageProfile(over))).toContain(path);
  });

  it('never send the s3 block to Agora', () => {
    const profile = StorageProfiles.parse({
      p: storageProfile({ s3: { endpoint: 'http://127.0.0.1:9000' } }),
    }).p!;
    const v = validateCaptureRequest(captureRequest());
    if (!v.ok) throw new Error('fixture request is invalid');
    const body = buildStartBody(v.request, agoraStorageConfig(profile));
    expect(body.clientRequest.storageConfig).not.toHaveProperty('s3');
    expect(JSON.stringify(body)).not.toContain('127.0.0.1:9000');
  });
});

describe('the S3 target of a profile', () => {
  const target = (over: Record<string, unknown>) =>
    s3Target(StorageProfiles.parse({ p: storageProfile(over) }).p!);

  it('vendor 1 signs for the AWS region of its region code and uses AWS without an endpoint', () => {
    const t = target({ region: 4 });
    expect(hasS3Target(t) && { region: t.region, endpoint: t.endpoint, path: t.forcePathStyle }).toEqual({
      region: 'eu-west-1',
      endpoint: undefined,
      path: false,
    });
  });

  it('gives each S3 request 10 s unless the profile says otherwise', () => {
    const byDefault = target({});
    const slow = target({ s3: { requestTimeoutSeconds: 60 } });
    expect(hasS3Target(byDefault) && byDefault.requestTimeoutMs).toBe(10_000);
    expect(hasS3Target(slow) && slow.requestTimeoutMs).toBe(60_000);
  });

  it('vendor 11 reaches https://<extensionParams.endpoint>, or http for a loopback host', () => {
    const remote = target({ vendor: 11, extensionParams: { endpoint: 's3.example.com' } });
    const local = target({ vendor: 11, extensionParams: { endpoint: '127.0.0.1:9000' } });
    expect(hasS3Target(remote) && remote.endpoint).toBe('https://s3.example.com');
    expect(hasS3Target(local) && local.endpoint).toBe('http://127.0.0.1:9000');
  });

  it('other vendors have no S3 target, with the reason named', () => {
    const t = target({ vendor: 5, region: 0 });
    expect(hasS3Target(t)).toBe(false);
    expect(!hasS3Target(t) && t.reason).toContain('vendor 5 (Microsoft Azure)');
  });
});
