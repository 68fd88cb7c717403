/**
 * The reconciled manifest through the workflow, end to end on the dev server: the emulator
 * uploads every screenshot to the run's real S3 server (moto), the capture runs to its
 * duration, and the workflow's own reconcileManifest writes manifest.json after the Agora stop.
 * Checked against an independent ListObjectsV2 of the prefix (the SDK directly, none of the
 * product's storage code), with and without lost event-45 callbacks; a capture whose storage
 * cannot be reached still stops on time and says its manifest is unavailable; a vendor that
 * cannot be listed keeps the callback-only record and says so; a capture that never started
 * claims none of an earlier capture's files under its prefix. The CLI prints the same.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { agoraError } from '../../emulator';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getCapture, pauseCapture, resumeCapture, stopCapture, waitForCapture } from '../../client/api';
import type { LatestShot } from '../../client/cli/commands/latest';
import type { Manifest } from '../../storage/manifest';
import type { CaptureResult } from '../../workflows/status';
import { captureRequest, storageProfile } from '../helpers/fixtures';
import { closedPort } from '../helpers/free-port';
import { type Harness, startHarness } from '../helpers/harness';
import { keepHistory } from '../helpers/keep-history';
import { listKeys, s3StorageProfile, testS3Client } from '../helpers/s3';
import { waitFor } from '../helpers/wait-for';
import { startWebhookEndpoint, WEBHOOK_TEST_SECRET, type WebhookEndpoint } from '../helpers/webhook-endpoint';
import { runCli } from '../helpers/run-cli';

const UIDS = ['1001', '1002'];
const INTERVAL = 5;
/** The silent bucket server's profile gives up on a request after this long (default 10). */
const SILENT_TIMEOUT_S = 2;
/** A secret key the bucket server does not accept for the run's access key. */
const WRONG_SECRET = 'wRoNgSeCrEtKeYwRoNgSeCrEtKeYwRoNgSeCrEt0';

describe('the workflow writes the reconciled manifest to real S3', () => {
  let h: Harness;
  let profilesFile: string;
  let unreachableEndpoint: string;
  let endpoint: WebhookEndpoint;
  let silent: net.Server;
  beforeAll(async () => {
    const s3 = inject('s3');
    // Nothing listens there: a bucket whose server is down (for the whole file, hence not an
    // ephemeral port, which a server started later could be given).
    unreachableEndpoint = `http://127.0.0.1:${await closedPort()}`;
    // Accepts connections and never answers: a bucket server that hangs.
    silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as net.AddressInfo).port;
    profilesFile = path.join(mkdtempSync(path.join(tmpdir(), 'manifest-profiles-')), 'profiles.json');
    writeFileSync(
      profilesFile,
      JSON.stringify({
        default: s3StorageProfile(s3),
        unreachable: s3StorageProfile(s3, { s3: { endpoint: unreachableEndpoint } }),
        alibaba: storageProfile({ vendor: 2, region: 1 }),
        wrongSecret: s3StorageProfile(s3, { secretKey: WRONG_SECRET }),
        silent: s3StorageProfile(s3, {
          s3: { endpoint: `http://127.0.0.1:${silentPort}`, requestTimeoutSeconds: SILENT_TIMEOUT_S },
        }),
      }),
    );
    const secrets = path.join(path.dirname(profilesFile), 'webhook-secrets.json');
    writeFileSync(secrets, JSON.stringify({ backend: WEBHOOK_TEST_SECRET }));
    h = await startHarness({
      callbacks: true,
      s3: true,
      workerEnv: { AGORA_STORAGE_PROFILES: profilesFile, AGORA_CAPTURE_WEBHOOK_SECRETS: secrets },
    });
    endpoint = await startWebhookEndpoint();
  });
  afterAll(async () => {
    await h?.close();
    await endpoint?.close();
    silent?.close();
  });

  const cli = (args: string[]) => runCli(args, h.taskQueue, { AGORA_STORAGE_PROFILES: profilesFile });

  /** A capture of two publishing uids that runs to its duration; its result. */
  async function captureToDuration(
    over: Record<string, unknown>,
  ): Promise<{ workflowId: string; result: CaptureResult }> {
    const req = captureRequest(
      { durationSeconds: 30, snapshotConfig: { captureInterval: INTERVAL, fileType: ['jpg'] }, ...over },
      { subscribeVideoUids: UIDS },
    );
    for (const uid of UIDS) h.emulator.channel(req.channel).join(uid, { video: true });
    const { workflowId } = await h.start(req);
    return { workflowId, result: await waitForCapture(h.env.client, workflowId) };
  }

  /** manifest.json as the bucket holds it (read with the SDK directly). */
  async function readFromBucket(key: string): Promise<Manifest> {
    const client = testS3Client(h.s3!);
    try {
      const res = await client.send(new GetObjectCommand({ Bucket: h.s3!.bucket, Key: key }));
      return JSON.parse(await res.Body!.transformToString()) as Manifest;
    } finally {
      client.destroy();
    }
  }

  const keysOf = (m: Manifest) =>
    Object.values(m.uids)
      .flatMap((u) => u.keys.map((k) => k.key))
      .sort();

  /** The screenshots under `prefix`, by an independent listing (the manifest itself left out). */
  async function screenshotsUnder(prefix: string[], manifestKey: string): Promise<string[]> {
    return (await listKeys(h.s3!, `${prefix.join('/')}/`)).filter((k) => k !== manifestKey);
  }

  /**
   * The files the endpoint received in `screenshots.uploaded` events of one capture (each with
   * its event's seq), and capture.ended's seq (0 before it came). Every delivery counted once.
   */
  function webhookFiles(workflowId: string) {
    type File = { uid: string; fileName: string; at: string; source?: string };
    type Body = { type: string; data: { workflowId: string; files?: File[] } };
    const seen = new Map<string, { seq: number; body: Body }>();
    for (const r of endpoint.received) {
      const body = JSON.parse(r.body) as Body;
      if (r.status < 300 && body.data.workflowId === workflowId) seen.set(r.id, { seq: seen.size + 1, body });
    }
    const events = [...seen.values()];
    const announced = events.flatMap(({ seq, body }) =>
      body.type === 'screenshots.uploaded' ? (body.data.files ?? []).map((f) => ({ ...f, seq })) : [],
    );
    const endedSeq = events.find((e) => e.body.type === 'capture.ended')?.seq ?? 0;
    return { announced, endedSeq };
  }

  const ofUid = (keys: string[], uid: string) => keys.filter((k) => k.includes(`__uid_s_${uid}__`));

  it('a capture that runs to its duration leaves manifest.json whose keys are exactly the bucket listing', async () => {
    h.emulator.callbackFaults({});
    const prefix = ['e2e', `m${randomBytes(4).toString('hex')}`];
    const { workflowId, result } = await captureToDuration({
      fileNamePrefix: prefix,
      webhook: { url: endpoint.url, secret: 'backend' },
    });
    await keepHistory('manifest-written', h.env.client, workflowId);

    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped' });
    const summary = result.manifest!;
    expect(summary).toMatchObject({ status: 'written', source: 'listed+callbacks', after: 'capture' });
    const { runId } = await h.env.client.workflow.getHandle(workflowId).describe();
    expect(summary.manifestKey).toBe(
      `${prefix.join('/')}/manifest_${encodeURIComponent(workflowId)}_${runId}.json`,
    );

    const manifest = await readFromBucket(summary.manifestKey!);
    const objects = await screenshotsUnder(prefix, summary.manifestKey!);
    expect(objects.length).toBeGreaterThanOrEqual(2 * 4); // ~6 per uid in 30 s at 5 s
    expect(keysOf(manifest)).toEqual(objects);
    expect(manifest.source).toBe('listed+callbacks');
    expect(summary.found).toBe(objects.length);
    for (const uid of UIDS) {
      const found = ofUid(objects, uid).length;
      expect(summary.uids[uid]).toMatchObject({ found, expected: manifest.expectedPerUid });
      expect(summary.uids[uid]!.coverage).toBeCloseTo(Math.min(1, found / manifest.expectedPerUid), 2);
    }
    // The segment boundaries and the capture interval came from the workflow.
    expect(manifest.captureIntervalSeconds).toBe(INTERVAL);
    expect(manifest.segments.map((g) => g.sid)).toEqual([result.sid]);
    expect(manifest.expectedPerUid).toBe(Math.floor(manifest.unpausedSeconds / INTERVAL));
    expect(manifest.unpausedSeconds).toBeGreaterThanOrEqual(30);

    // The customer's backend hears the same summary in capture.ended.
    const ended = await waitFor(
      () =>
        endpoint.received
          .map(
            (r) => JSON.parse(r.body) as { type: string; data: { workflowId: string; manifest?: unknown } },
          )
          .find((b) => b.type === 'capture.ended' && b.data.workflowId === workflowId),
      { what: 'capture.ended delivered' },
    );
    expect(ended.data.manifest).toEqual(summary);

    // Every screenshot in the bucket was announced exactly once before capture.ended: by its
    // callback, or (the last ones, whose callbacks come after the stop) by the final listing.
    const { announced, endedSeq } = webhookFiles(workflowId);
    expect(announced.map((f) => f.fileName).sort()).toEqual(objects);
    expect(Math.max(...announced.map((f) => f.seq))).toBeLessThan(endedSeq);
  }, 120_000);

  it('screenshots whose callbacks never come are announced to the webhook from the final listing, each once, before capture.ended', async () => {
    h.emulator.callbackFaults({ lossRate: 1, lossEventTypes: [45], seed: 1 });
    const prefix = ['e2e', `w${randomBytes(4).toString('hex')}`];
    const { workflowId, result } = await captureToDuration({
      durationSeconds: 15,
      fileNamePrefix: prefix,
      webhook: { url: endpoint.url, secret: 'backend' },
    });
    h.emulator.callbackFaults({});
    await keepHistory('webhook-announces-listed-files', h.env.client, workflowId);

    expect(result.screenshots).toEqual({}); // no callback reached the capture
    const objects = await screenshotsUnder(prefix, result.manifest!.manifestKey!);
    expect(objects.length).toBeGreaterThanOrEqual(UIDS.length * 2);
    await waitFor(() => webhookFiles(workflowId).endedSeq > 0 || undefined, {
      what: 'capture.ended delivered',
    });
    const { announced, endedSeq } = webhookFiles(workflowId);
    expect(announced.map((f) => f.fileName).sort()).toEqual(objects);
    expect(Math.max(...announced.map((f) => f.seq))).toBeLessThan(endedSeq);
    for (const f of announced) {
      expect(f.source).toBe('listing');
      expect(f.fileName).toContain(`__uid_s_${f.uid}__`);
      expect(UIDS).toContain(f.uid);
    }
  }, 120_000);

  it('with 30 % of event-45 callbacks lost the manifest still equals the listing, and coverage per uid counts the files', async () => {
    h.emulator.callbackFaults({ lossRate: 0.3, lossEventTypes: [45], seed: 3 });
    const prefix = ['e2e', `l${randomBytes(4).toString('hex')}`];
    const { workflowId, result } = await captureToDuration({ fileNamePrefix: prefix });
    h.emulator.callbackFaults({});
    const summary = result.manifest!;
    expect(summary.status).toBe('written');
    const manifest = await readFromBucket(summary.manifestKey!);
    const objects = await screenshotsUnder(prefix, summary.manifestKey!);
    expect(keysOf(manifest)).toEqual(objects);

    const callbacks = Object.values(result.screenshots).reduce((n, t) => n + t.count, 0);
    expect(callbacks).toBeLessThan(objects.length); // the faults really lost some 45s
    expect(summary).toMatchObject({
      found: objects.length,
      callbacks,
      foundWithoutCallback: objects.length - callbacks,
    });
    for (const uid of UIDS) {
      const found = ofUid(objects, uid).length;
      const u = summary.uids[uid]!;
      expect(u.found).toBe(found);
      expect(u.callbacks).toBe(result.screenshots[uid]?.count ?? 0);
      // Coverage is what the bucket holds, not what the callbacks said.
      expect(u.coverage).toBeCloseTo(Math.min(1, found / u.expected!), 2);
    }

    // The CLI: status and manifest print the same; latest finds the newest file per uid.
    const status = await cli(['status', workflowId]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(
      `manifest      written ${summary.manifestKey} (listed+callbacks, after capture)`,
    );
    for (const uid of UIDS)
      expect(status.stdout).toMatch(new RegExp(`${uid}: ${ofUid(objects, uid).length} found/\\d+ expected`));
    const json = await cli(['manifest', workflowId, '--json']);
    expect(json.code).toBe(0);
    expect(keysOf(JSON.parse(json.stdout) as Manifest)).toEqual(objects);
    const text = await cli(['manifest', workflowId]);
    for (const uid of UIDS)
      expect(text.stdout).toMatch(
        new RegExp(
          `uid ${uid}: ${ofUid(objects, uid).length} found, \\d+ callbacks, \\d+ expected, coverage [\\d.]+%`,
        ),
      );
    const latest = await cli(['latest', workflowId, '--json']);
    expect(latest.code).toBe(0);
    const shots = JSON.parse(latest.stdout) as LatestShot[];
    expect(shots.map((s) => [s.uid, s.key])).toEqual(UIDS.map((uid) => [uid, ofUid(objects, uid).at(-1)]));
  }, 150_000);

  /** A 10 s capture of one publishing uid under a fresh prefix, run to its end: what a later capture finds there. */
  async function earlierCapture(tag: string) {
    const prefix = ['e2e', `${tag}${randomBytes(4).toString('hex')}`];
    const req = captureRequest(
      {
        durationSeconds: 10,
        snapshotConfig: { captureInterval: INTERVAL, fileType: ['jpg'] },
        fileNamePrefix: prefix,
      },
      { subscribeVideoUids: ['1001'] },
    );
    h.emulator.channel(req.channel).join('1001', { video: true });
    const first = await h.start(req);
    const earlier = await waitForCapture(h.env.client, first.workflowId);
    return { prefix, req, first, earlier };
  }

  it("latest names only the capture's own screenshots when an earlier capture under the same id left files under its prefix", async () => {
    const { req, first, earlier } = await earlierCapture('r');
    expect(earlier.screenshots['1001']?.count).toBeGreaterThan(0);

    // The same channel and recorder uid again (same capture id), with nobody publishing yet.
    h.emulator.channel(req.channel).leave('1001');
    const again = await h.start(req);
    expect(again.workflowId).toBe(first.workflowId);
    const running = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, again.workflowId);
        return s.sid !== undefined && s.sid !== earlier.sid ? s : undefined;
      },
      { what: "the second capture's own session" },
    );
    const json = await cli(['latest', again.workflowId, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([]);
    const text = await cli(['latest', again.workflowId]);
    expect(text.stdout).toContain(`from this capture's Agora sessions (sid ${running.sid})`);

    h.emulator.channel(req.channel).join('1001', { video: true });
    const own = await waitFor(
      async () => {
        const shots = JSON.parse((await cli(['latest', again.workflowId, '--json'])).stdout) as LatestShot[];
        return shots.length > 0 ? shots : undefined;
      },
      { what: "a screenshot of the second capture's session", timeoutMs: 30_000 },
    );
    expect(own.map((s) => s.key.split('/').at(-1)!.startsWith(`${running.sid}_`))).toEqual([true]);
    await stopCapture(h.env.client, again.workflowId, { reason: 'done', wait: true });
  }, 120_000);

  it("a capture started again under the same id writes its own manifest: the earlier one is kept, and the CLI shows the current capture's", async () => {
    const { req, first, earlier } = await earlierCapture('k');
    const firstKey = earlier.manifest!.manifestKey!;
    expect(firstKey).toContain(first.runId);
    const firstManifest = await readFromBucket(firstKey);
    // While the second capture runs and has no manifest, the CLI says so: not the first's.
    const again = await h.start(req);
    await waitFor(
      async () => (await getCapture(h.env.client, again.workflowId)).phase === 'CAPTURING' || undefined,
    );
    const none = await cli(['manifest', again.workflowId]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no manifest yet');
    const second = await stopCapture(h.env.client, again.workflowId, { reason: 'done', wait: true });

    expect(second.manifest!.manifestKey).not.toBe(firstKey);
    expect(await readFromBucket(firstKey)).toEqual(firstManifest);
    const shown = JSON.parse((await cli(['manifest', again.workflowId, '--json'])).stdout) as Manifest;
    expect(shown.segments.map((g) => g.sid)).toEqual([second.sid]);

    // A manifest under the name earlier workers wrote (per workflow id) is read only if it is
    // this capture's: here the first capture's, with the current one's gone, is not shown.
    const legacy = `${req.fileNamePrefix!.join('/')}/manifest_${encodeURIComponent(again.workflowId)}.json`;
    const s3 = testS3Client(h.s3!);
    try {
      await s3.send(
        new PutObjectCommand({ Bucket: h.s3!.bucket, Key: legacy, Body: JSON.stringify(firstManifest) }),
      );
      await s3.send(new DeleteObjectCommand({ Bucket: h.s3!.bucket, Key: second.manifest!.manifestKey! }));
      expect((await cli(['manifest', again.workflowId])).stderr).toContain('no manifest');
      await s3.send(new PutObjectCommand({ Bucket: h.s3!.bucket, Key: legacy, Body: JSON.stringify(shown) }));
      const fallback = JSON.parse((await cli(['manifest', again.workflowId, '--json'])).stdout) as Manifest;
      expect(fallback.segments.map((g) => g.sid)).toEqual([second.sid]);
    } finally {
      s3.destroy();
    }
  }, 120_000);

  it("a capture refused at acquire counts none of an earlier capture's screenshots under the same prefix as its own", async () => {
    const { prefix, req } = await earlierCapture('n');
    const earlier = await listKeys(h.s3!, `${prefix.join('/')}/`);
    const shotsOfEarlier = earlier.filter((k) => k.includes('__uid_s_'));
    expect(shotsOfEarlier.length).toBeGreaterThan(0);

    // The same channel and prefix again; Agora refuses the acquire: no session ever runs.
    h.emulator.inject('acquire', agoraError(400, 2, 'Acquire: invalid resourceExpiredHour value!'));
    const again = await h.start(req);
    await waitForCapture(h.env.client, again.workflowId).catch(() => undefined);
    const status = await getCapture(h.env.client, again.workflowId);
    expect(status).toMatchObject({ phase: 'FAILED', stopOutcome: 'not-started' });
    expect(status.manifest).toMatchObject({ status: 'written', found: 0 });
    const json = await cli(['manifest', again.workflowId, '--json']);
    const m = JSON.parse(json.stdout) as Manifest;
    expect(m.totals.found).toBe(0);
    expect(m.uids).toEqual({});
    expect(m.otherKeys).toBe(shotsOfEarlier.length);
    // Ended: no "yet" (nothing will come).
    expect((await cli(['latest', again.workflowId])).stdout).toBe(
      `${again.workflowId} ended (FAILED) with no Agora session whose sid is known, so no screenshot of any uid can be named as its own\n`,
    );
  }, 120_000);

  it('manifest of a terminated capture says none will come from that run, not "not yet"', async () => {
    const prefix = ['e2e', `t${randomBytes(4).toString('hex')}`];
    const req = captureRequest(
      { durationSeconds: 600, fileNamePrefix: prefix },
      { subscribeVideoUids: ['1001'] },
    );
    const { workflowId } = await h.start(req);
    const { sid } = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.phase === 'CAPTURING' ? s : undefined;
      },
      { what: 'CAPTURING' },
    );
    const running = await cli(['manifest', workflowId]);
    expect(running.code).toBe(1);
    expect(running.stderr).toContain('no manifest yet');
    await h.env.client.workflow.getHandle(workflowId).terminate('test');
    const after = await cli(['manifest', workflowId]);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('the run was TERMINATED, and such a run writes none');
    expect(after.stderr).not.toContain('no manifest yet');
    h.emulator.endSession(sid!, 'agora');
  });

  it('an operator pause ends a segment: its manifest is written then, and the final one shows the pause as a gap and expects nothing during it', async () => {
    const prefix = ['e2e', `p${randomBytes(4).toString('hex')}`];
    const req = captureRequest(
      { durationSeconds: 600, fileNamePrefix: prefix },
      { subscribeVideoUids: ['1001'] },
    );
    h.emulator.channel(req.channel).join('1001', { video: true });
    const { workflowId } = await h.start(req);
    await waitFor(async () => (await listKeys(h.s3!, `${prefix.join('/')}/`)).length >= 2, {
      what: 'two screenshots',
      timeoutMs: 30_000,
    });
    await pauseCapture(h.env.client, workflowId, 'break');
    const afterSegment = await waitFor(async () => (await getCapture(h.env.client, workflowId)).manifest, {
      what: "the first segment's manifest",
    });
    expect(afterSegment).toMatchObject({ status: 'written', after: 'segment' });
    const first = await readFromBucket(afterSegment.manifestKey!);
    expect(first.segments).toHaveLength(1);
    expect(keysOf(first)).toEqual(await screenshotsUnder(prefix, afterSegment.manifestKey!));
    // Written after the pause's stop: the segment has ended, and the pause has begun then.
    const paused = await getCapture(h.env.client, workflowId);
    expect(first.segments[0]!.endedAt).toBe(paused.segments[0]!.endedAt);
    expect(first.gaps.find((g) => g.kind === 'operator-pause')).toMatchObject({
      start: first.segments[0]!.endedAt,
    });

    await resumeCapture(h.env.client, workflowId);
    const before = (await listKeys(h.s3!, `${prefix.join('/')}/`)).length;
    await waitFor(async () => (await listKeys(h.s3!, `${prefix.join('/')}/`)).length >= before + 2, {
      what: 'two screenshots after the resume',
      timeoutMs: 30_000,
    });
    const result = await stopCapture(h.env.client, workflowId, { reason: 'done', wait: true });
    await keepHistory('manifest-operator-pause', h.env.client, workflowId);
    const manifest = await readFromBucket(result.manifest!.manifestKey!);
    expect(result.manifest).toMatchObject({ status: 'written', after: 'capture' });
    expect(keysOf(manifest)).toEqual(await screenshotsUnder(prefix, result.manifest!.manifestKey!));
    expect(manifest.segments).toHaveLength(2);
    const pause = manifest.gaps.find((g) => g.kind === 'operator-pause')!;
    expect(pause.start).toBe(manifest.segments[0]!.endedAt);
    expect(pause.end).toBe(manifest.segments[1]!.startedAt);
    const segmentSeconds = manifest.segments.reduce(
      (t, g) => t + (Date.parse(g.endedAt!) - Date.parse(g.startedAt)) / 1000,
      0,
    );
    expect(manifest.unpausedSeconds).toBeCloseTo(segmentSeconds, 1);
    expect(manifest.expectedPerUid).toBe(Math.floor(segmentSeconds / INTERVAL));
  });

  it("a profile whose secret key the bucket refuses: the status names Agora's uploader error, and the result says backuped, nothing found, manifest unavailable", async () => {
    const req = captureRequest(
      { durationSeconds: 12, storageProfile: 'wrongSecret', fileNamePrefix: ['e2e', 'wrongsecret'] },
      { subscribeVideoUids: ['1001'] },
    );
    h.emulator.channel(req.channel).join('1001', { video: true });
    const { workflowId } = await h.start(req);
    const during = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.lastError?.type === 'AgoraCallbackError' ? s : undefined;
      },
      { what: "Agora's uploader error in the status" },
    );
    expect(during.lastError!.message).toBe(
      'Agora uploader error 32 (level 3): Agora could not write to your storage, bad storage config: check the storage profile (keys, bucket, region) ("bad storage config")',
    );
    const result = await waitForCapture(h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped', uploadingStatus: 'backuped' });
    expect(result.screenshots['1001']?.count ?? 0).toBe(0);
    expect(result.manifest).toMatchObject({ status: 'unavailable' });
    expect(result.manifest!.note).toMatch(/SignatureDoesNotMatch/);
    expect(JSON.stringify(await getCapture(h.env.client, workflowId))).not.toContain(WRONG_SECRET);
    const status = await cli(['status', workflowId]);
    expect(status.stdout).toMatch(/uploading\s+backuped \(Agora could not write some files to your storage/);
  });

  it('a capture whose storage is unreachable stops its Agora session on time and reports the manifest unavailable', async () => {
    const req = captureRequest(
      { durationSeconds: 8, storageProfile: 'unreachable', fileNamePrefix: ['e2e', 'down'] },
      { subscribeVideoUids: UIDS },
    );
    for (const uid of UIDS) h.emulator.channel(req.channel).join(uid, { video: true });
    const { workflowId } = await h.start(req);
    const result = await waitForCapture(h.env.client, workflowId);
    await keepHistory('manifest-unavailable', h.env.client, workflowId);

    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped' });
    const session = h.emulator.ledger().find((e) => e.sid === result.sid)!;
    expect(session).toMatchObject({ active: false, endedBy: 'stop', stopCalls: 1 });
    // Stopped when the duration elapsed: storage did not hold the stop up.
    expect(session.endedAt! - Date.parse(result.startedAt!)).toBeLessThan(8_000 + 5_000);
    expect(result.manifest).toMatchObject({
      status: 'unavailable',
      source: 'callbacks-only',
      after: 'capture',
    });
    expect(result.manifest!.manifestKey).toBeUndefined();
    expect(result.manifest!.note).toMatch(/^StorageError: storage: /);
    expect(result.manifest!.note).not.toContain(h.s3!.secretAccessKey);
    expect(result.manifest!.callbacks).toBe(
      Object.values(result.screenshots).reduce((n, t) => n + t.count, 0),
    );

    const status = await cli(['status', workflowId]);
    expect(status.stdout).toMatch(/manifest +unavailable after capture: StorageError/);
  });

  it('a bucket server that accepts connections and never answers cannot hold the result: the manifest is unavailable once the S3 client gives up', async () => {
    const req = captureRequest(
      { durationSeconds: 5, storageProfile: 'silent', fileNamePrefix: ['e2e', 'silent'] },
      { subscribeVideoUids: ['1001'] },
    );
    h.emulator.channel(req.channel).join('1001', { video: true });
    const t0 = Date.now();
    const { workflowId } = await h.start(req);
    const result = await waitForCapture(h.env.client, workflowId);
    // Two attempts of three requests the S3 client gives up on after the profile's
    // requestTimeoutSeconds each, then the result.
    expect(Date.now() - t0).toBeLessThan(5_000 + 2 * 3 * SILENT_TIMEOUT_S * 1000 + 30_000);
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped' });
    const session = h.emulator.ledger().find((e) => e.sid === result.sid)!;
    expect(session.endedAt! - Date.parse(result.startedAt!)).toBeLessThan(5_000 + 5_000);
    expect(result.manifest).toMatchObject({ status: 'unavailable', source: 'callbacks-only' });
    expect(result.manifest!.note).toMatch(/^StorageError: storage: TimeoutError: /);
  }, 150_000);

  it('a vendor that cannot be listed keeps the callback-only record and the result says so', async () => {
    const req = captureRequest({ durationSeconds: 6, storageProfile: 'alibaba' });
    h.emulator.channel(req.channel).join('1001', { video: true });
    const { workflowId } = await h.start(req);
    const result = await waitForCapture(h.env.client, workflowId);
    expect(result.stopOutcome).toBe('stopped');
    expect(result.manifest).toMatchObject({ status: 'callbacks-only', source: 'callbacks-only' });
    expect(result.manifest!.manifestKey).toBeUndefined();
    expect(result.manifest!.note).toContain('vendor 2 (Alibaba Cloud) is not listable');
    const cb = result.screenshots['1001']?.count ?? 0;
    expect(result.manifest!.uids['1001'] ?? { callbacks: 0 }).toMatchObject({ callbacks: cb });
  });
});
