/**
 * End to end on the dev server: a real capture whose emulator uploads to the run's real S3
 * server while 30 % of the event-45 callbacks are lost; the capture's record then goes through
 * the reconcileManifest activity (as the workflow hands it over at the end of the capture), and
 * the CLI prints the manifest and the newest screenshot per uid with a working presigned URL.
 *
 * NOTE: the workflow does not call reconcileManifest yet (the coordinator wires it); this test
 * builds the record from the capture's final status, which holds what the workflow keeps.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createManifestActivities } from '../../activities/manifest';
import { getCapture, stopCapture } from '../../client/api';
import type { LatestShot } from '../../client/cli/commands/latest';
import type { CaptureRecord, Manifest, ManifestSummary } from '../../storage/manifest';
import { StorageProfile } from '../../storage/profile';
import type { CaptureStatus } from '../../workflows/status';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { listKeys } from '../helpers/s3';
import { waitFor } from '../helpers/wait-for';

const ROOT = path.join(__dirname, '..', '..');
const TIME_SCALE = 0.1;

/** What the workflow keeps, as the record reconcileManifest takes. */
function recordOf(s: CaptureStatus, prefix: string[], intervalSeconds: number): CaptureRecord {
  const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
  return {
    workflowId: s.workflowId,
    channel: s.channel,
    storageProfile: 'default',
    fileNamePrefix: prefix,
    captureIntervalSeconds: intervalSeconds,
    segments: s.segments.map((g) => ({
      index: g.index,
      ...(g.sid ? { sid: g.sid } : {}),
      startedAtMs: ms(g.startedAt)!,
      ...(g.endedAt ? { endedAtMs: ms(g.endedAt)! } : {}),
    })),
    pauses: [],
    failovers: [],
    callbackRecord: Object.fromEntries(
      Object.entries(s.screenshots).map(([uid, t]) => [
        uid,
        { count: t.count, firstMs: ms(t.first)!, lastMs: ms(t.last)! },
      ]),
    ),
    ...(s.endedAt ? { asOfMs: ms(s.endedAt)! } : {}),
  };
}

describe('manifest and latest, end to end with real S3 and lost callbacks', () => {
  let h: Harness;
  let profilesFile: string;
  beforeAll(async () => {
    h = await startHarness({ callbacks: true, s3: true, emulator: { timeScale: TIME_SCALE } });
    profilesFile = path.join(mkdtempSync(path.join(tmpdir(), 'cli-profiles-')), 'profiles.json');
    writeFileSync(profilesFile, JSON.stringify({ default: h.storageProfile }));
  });
  afterAll(() => h?.close());

  function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [path.join(ROOT, 'bin', 'agora-capture'), ...args],
        {
          cwd: ROOT,
          timeout: 60_000,
          env: {
            ...process.env,
            TEMPORAL_ADDRESS: inject('temporalAddress'),
            TEMPORAL_NAMESPACE: 'default',
            TEMPORAL_TASK_QUEUE: h.taskQueue,
            AGORA_STORAGE_PROFILES: profilesFile,
          },
        },
        (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it('the manifest holds exactly the bucket listing, counts the lost callbacks, and the CLI shows it', async () => {
    h.emulator.callbackFaults({ lossRate: 0.3, lossEventTypes: [45], seed: 3 });
    const prefix = ['e2e', `m${randomBytes(4).toString('hex')}`];
    const req = captureRequest(
      { durationSeconds: 600, fileNamePrefix: prefix },
      { subscribeVideoUids: ['1001', '1002'] },
    );
    for (const uid of ['1001', '1002']) h.emulator.channel(req.channel).join(uid, { video: true });
    const { workflowId } = await h.start(req);
    const listed = () => listKeys(h.s3!, `${prefix.join('/')}/`);
    await waitFor(async () => (await listed()).length >= 12, { what: '12 objects', timeoutMs: 30_000 });
    await stopCapture(h.env.client, workflowId, { wait: true });
    const status = await getCapture(h.env.client, workflowId);

    const record = recordOf(status, prefix, 5 * TIME_SCALE);
    const [profile] = [StorageProfile.parse(h.storageProfile)];
    const act = createManifestActivities({ storageProfiles: { default: profile } });
    const summary = await new MockActivityEnvironment().run<
      [CaptureRecord],
      ManifestSummary,
      (r: CaptureRecord) => Promise<ManifestSummary>
    >((r) => act.reconcileManifest(r), record);

    const objects = (await listed()).filter((k) => k !== summary.manifestKey);
    const callbacks = Object.values(status.screenshots).reduce((n, t) => n + t.count, 0);
    expect(callbacks).toBeLessThan(objects.length); // the faults really lost some 45s
    expect(summary).toMatchObject({
      found: objects.length,
      callbacks,
      foundWithoutCallback: objects.length - callbacks,
    });

    // The CLI prints the same manifest, and its keys are the independent listing.
    const json = await cli(['manifest', workflowId, '--json']);
    expect(json.code).toBe(0);
    const m = JSON.parse(json.stdout) as Manifest;
    expect(
      Object.values(m.uids)
        .flatMap((u) => u.keys.map((k) => k.key))
        .sort(),
    ).toEqual(objects);
    const text = await cli(['manifest', workflowId]);
    expect(text.code).toBe(0);
    for (const uid of ['1001', '1002']) {
      expect(summary.uids[uid]!.coverage).toBeGreaterThan(0);
      expect(text.stdout).toMatch(
        new RegExp(`uid ${uid}: \\d+ found, \\d+ callbacks, \\d+ expected, coverage [\\d.]+%`),
      );
    }

    // latest: the newest object per uid, with a presigned GET URL for it. moto 5.2.5 with
    // credentials enforced cannot check query-string signatures (its IAM check reads only the
    // Authorization header and answers 500), so the URL is checked for what it signs, not fetched.
    const latest = await cli(['latest', workflowId, '--json']);
    expect(latest.code).toBe(0);
    const shots = JSON.parse(latest.stdout) as LatestShot[];
    expect(shots.map((s) => s.uid)).toEqual(['1001', '1002']);
    for (const s of shots) {
      const newest = objects
        .filter((k) => k.includes(`__uid_s_${s.uid}__`))
        .sort()
        .at(-1);
      expect(s.key).toBe(newest);
      const url = new URL(s.url!);
      expect(`${url.origin}${decodeURIComponent(url.pathname)}`).toBe(
        `${h.s3!.endpoint}/${h.s3!.bucket}/${s.key}`,
      );
      expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(
        new RegExp(`^${h.s3!.accessKeyId}/\\d{8}/us-east-1/s3/aws4_request$`),
      );
      expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
      expect(s.url).not.toContain(h.s3!.secretAccessKey);
    }
    const one = await cli(['latest', workflowId, '--uid', '1002']);
    expect(one.stdout).toContain('uid 1002');
    expect(one.stdout).not.toContain('uid 1001');
  });

  it('manifest of a capture whose manifest was never written says so and fails', async () => {
    const req = captureRequest({ durationSeconds: 2, fileNamePrefix: ['e2e', 'none'] });
    const { workflowId } = await h.start(req);
    const r = await cli(['manifest', workflowId]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no manifest yet');
  });
});
