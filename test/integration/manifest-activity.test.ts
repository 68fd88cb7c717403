/**
 * The reconcileManifest activity against the run's real S3 server (moto, credentials enforced):
 * the emulator uploads screenshots with SigV4, 30 % of its callbacks are lost on the way, and the
 * manifest still lists exactly what an independent ListObjectsV2 of the prefix finds, with the
 * lost callbacks counted and coverage per uid.
 */
import { randomBytes } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createManifestActivities } from '../../activities/manifest';
import type { CaptureRecord, Manifest, ManifestSummary } from '../../storage/manifest';
import { StorageProfile } from '../../storage/profile';
import { type AgoraEmulator } from '../../emulator';
import { Api, CNAME } from '../emulator/helpers';
import { Receiver, simForTest, until } from '../emulator/sim-helpers';
import { listKeys, s3CompatibleProfile, s3StorageProfile, testS3Client } from '../helpers/s3';

const s3 = inject('s3');
/** timeScale 0.1: Agora's 5 s interval is 0.5 s of real time, and the record says so. */
const REAL_INTERVAL_S = 0.5;

let emu: AgoraEmulator;
let api: Api;
let receiver: Receiver;
afterAll(async () => {
  await emu?.close();
  await receiver?.close();
});

/** The per-uid tallies the workflow keeps, from the event-45 callbacks that arrived. */
function callbackRecord(): CaptureRecord['callbackRecord'] {
  const out: CaptureRecord['callbackRecord'] = {};
  for (const b of receiver.events(45)) {
    const uid = /__uid_s_(\d+)__/.exec(b.payload.details.fileName as string)?.[1] ?? '?';
    const t = b.payload.sendts;
    const r = (out[uid] ??= { count: 0, firstMs: t, lastMs: t });
    r.count += 1;
    r.firstMs = Math.min(r.firstMs!, t);
    r.lastMs = Math.max(r.lastMs!, t);
  }
  return out;
}

async function readJson(key: string): Promise<Manifest> {
  const client = testS3Client(s3);
  const res = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  const text = await res.Body!.transformToString();
  client.destroy();
  return JSON.parse(text) as Manifest;
}

describe('reconcileManifest against a real S3 server', () => {
  const prefix = ['snaps', `m${randomBytes(4).toString('hex')}`];
  let record: CaptureRecord;

  beforeAll(async () => {
    ({ emu, api, receiver } = await simForTest({ s3Endpoint: s3.endpoint }));
    emu.callbackFaults({ lossRate: 0.3, seed: 12 });
    emu.channel(CNAME).join('1001');
    emu.channel(CNAME).join('1002');
    const startedAtMs = Date.now();
    const { resourceId, sid } = await api.startSession((b) => {
      b.clientRequest.recordingConfig.subscribeVideoUids = ['1001', '1002'];
      b.clientRequest.storageConfig = {
        vendor: 1,
        region: 0,
        bucket: s3.bucket,
        accessKey: s3.accessKeyId,
        secretKey: s3.secretAccessKey,
        fileNamePrefix: prefix,
      };
    });
    const listed = () => listKeys(s3, `${prefix.join('/')}/`);
    await until('shots of both uids', async () => (await listed()).length >= 6, 20_000);
    // A failover: 2 s × 0.1 of HA window, then bak0_ files.
    const failoverAt = Date.now();
    emu.failover(sid, { windowMs: 2000 });
    await until(
      'bak0_ files',
      async () => (await listed()).filter((k) => k.includes('/bak0_')).length >= 4,
      20_000,
    );
    const rejoinedBy = Date.parse(
      (await listed())
        .filter((k) => k.includes('/bak0_'))
        .map((k) => /(\d{17})\.jpg$/.exec(k)![1]!)
        .sort()[0]!
        .replace(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d{3})$/, '$1-$2-$3T$4:$5:$6.$7Z'),
    );
    expect((await api.stop(resourceId, sid)).status).toBe(200);
    const endedAtMs = Date.now();
    // Lossy callbacks: wait for whatever will arrive (the end events are sent last).
    await until('the stop to be reported or lost', () => emu.callbacks().some((c) => c.eventType === 11));
    record = {
      workflowId: `capture/${CNAME}/527841-${randomBytes(3).toString('hex')}`,
      channel: CNAME,
      storageProfile: 'moto',
      fileNamePrefix: prefix,
      captureIntervalSeconds: REAL_INTERVAL_S,
      segments: [{ index: 0, sid, startedAtMs, endedAtMs }],
      pauses: [],
      failovers: [{ startMs: failoverAt, endMs: rejoinedBy, sid, index: 0 }],
      callbackRecord: callbackRecord(),
      asOfMs: endedAtMs,
    };
  });

  /** Runs the activity in a real activity context (heartbeats, cancellation). */
  const reconcile = (act: ReturnType<typeof activities>, rec: CaptureRecord) =>
    new MockActivityEnvironment().run<
      [CaptureRecord],
      ManifestSummary,
      (r: CaptureRecord) => Promise<ManifestSummary>
    >((r) => act.reconcileManifest(r), rec);

  const activities = (profiles: Record<string, unknown>) =>
    createManifestActivities({
      storageProfiles: Object.fromEntries(
        Object.entries(profiles).map(([k, v]) => [k, StorageProfile.parse(v)]),
      ),
    });

  it('lists exactly the keys of an independent ListObjectsV2, although 30 % of the callbacks were lost', async () => {
    const act = activities({ moto: s3StorageProfile(s3) });
    const summary = await reconcile(act, record);

    const manifest = await readJson(summary.manifestKey!);
    const inManifest = Object.values(manifest.uids)
      .flatMap((u) => u.keys.map((k) => k.key))
      .sort();
    const listed = (await listKeys(s3, `${prefix.join('/')}/`)).filter((k) => k !== summary.manifestKey);
    expect(inManifest).toEqual(listed);
    expect(summary.manifestKey).toBe(
      `${prefix.join('/')}/manifest_${encodeURIComponent(record.workflowId)}.json`,
    );

    // The callbacks really were lossy, and the manifest says how many files they missed.
    const callbacks = Object.values(record.callbackRecord).reduce((n, r) => n + r.count, 0);
    expect(callbacks).toBeLessThan(listed.length);
    expect(summary).toMatchObject({
      source: 'listed+callbacks',
      found: listed.length,
      callbacks,
      foundWithoutCallback: listed.length - callbacks,
    });
    // Coverage per uid, from found files over the unpaused time.
    for (const uid of ['1001', '1002']) {
      const u = summary.uids[uid]!;
      expect(u.found).toBe(listed.filter((k) => k.includes(`__uid_s_${uid}__`)).length);
      expect(u.expected).toBe(manifest.expectedPerUid);
      expect(u.coverage).toBeGreaterThan(0.5);
      expect(u.coverage).toBeLessThanOrEqual(1);
      expect(manifest.uids[uid]!.bakFiles).toBeGreaterThan(0);
    }
    expect(manifest.gaps.map((g) => g.kind)).toEqual(['failover']);
    // The summary for history holds no key list.
    expect(JSON.stringify(summary)).not.toContain('.jpg');
  });

  it('finds the same files through a vendor-11 (S3-compatible) profile', async () => {
    const act = activities({ moto: s3CompatibleProfile(s3) });
    const summary = await reconcile(act, record);
    const listed = (await listKeys(s3, `${prefix.join('/')}/`)).filter((k) => !k.endsWith('.json'));
    expect(summary.found).toBe(listed.length);
  });

  it('a vendor that cannot be listed keeps the callback-only record and says so, writing nothing', async () => {
    const act = activities({ moto: s3StorageProfile(s3, { vendor: 2, region: 0, s3: undefined }) });
    const summary = await reconcile(act, record);
    expect(summary.manifestKey).toBeUndefined();
    expect(summary.source).toBe('callbacks-only');
    expect(summary.note).toContain('vendor 2');
    expect(summary.found).toBeUndefined();
    expect(summary.uids['1001']!.callbacks).toBe(record.callbackRecord['1001']!.count);
  });

  it('a wrong secret key fails with a non-retryable storage error that names no secret', async () => {
    const act = activities({ moto: s3StorageProfile(s3, { secretKey: 'wrong-secret-value' }) });
    const err = await reconcile(act, record).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'StorageAccessError', nonRetryable: true });
    expect(String((err as Error).message)).toContain('SignatureDoesNotMatch');
    expect(String((err as Error).message)).not.toContain('wrong-secret-value');
  });
});
