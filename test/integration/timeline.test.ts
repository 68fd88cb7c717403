/**
 * The visual timeline in a real headless browser: a capture on the dev server whose emulator
 * uploads to the run's real S3 server, its timeline written by the CLI and served by the
 * receiver's admin port, both opened in Debian's Chromium (scripts/ensure-chromium.sh) through
 * puppeteer-core. Each page must show one loaded image per manifest entry; screenshots of the
 * pages are kept in test-results/timeline/ as artifacts.
 *
 * Chromium missing: the file fails under CI=true (CI installs it) and is skipped elsewhere.
 *
 * The workflow writes manifest.json when a segment or the capture ends: the first page is of an
 * ended capture (its stored manifest), the second of a running one (built from the bucket).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core' with { 'resolution-mode': 'import' };
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getCapture, pauseCapture, resumeCapture, stopCapture } from '../../client/api';
import { cliSettings } from '../../client/cli/env';
import { type Receiver, startReceiver } from '../../client/receiver';
import { timelineRenderer } from '../../client/timeline/renderer';
import type { Manifest } from '../../storage/manifest';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { listKeys } from '../helpers/s3';
import { waitFor } from '../helpers/wait-for';
import { runCli } from '../helpers/run-cli';

const ROOT = path.join(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-results', 'timeline');
const TIME_SCALE = 0.1;
const UIDS = ['1001', '1002'];
/** Budget of a test that runs a capture and CLI processes (one CLI call took 23 s on a loaded 2-core machine). */
const CAPTURE_TEST_MS = 180_000;

/** Chromium's path from scripts/ensure-chromium.sh (installs it when missing), or why not. */
function chromium(): { path?: string; error?: string } {
  try {
    const out = execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-chromium.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 600_000,
    });
    return { path: out.trim().split('\n').at(-1)! };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

const browserPath = chromium();
const ci = process.env.CI === 'true';

// Under CI a missing browser is a failed test (counted in "N failed"), never a skip.
describe.runIf(ci && !browserPath.path)('timeline browser test prerequisites', () => {
  it('finds Chromium through scripts/ensure-chromium.sh', () => {
    throw new Error(`CI=true and no Chromium for the timeline test: ${browserPath.error ?? 'unknown'}`);
  });
});

interface ImgState {
  key: string;
  src: string;
  complete: boolean;
  naturalWidth: number;
}

/**
 * Every img of the page once it has loaded (the page waits for its images). Evaluated as a
 * string: the project compiles without the DOM library.
 */
async function images(page: Page): Promise<ImgState[]> {
  return (await page.evaluate(`[...document.images].map((i) => ({
    key: i.dataset.key ?? '',
    src: i.getAttribute('src') ?? '',
    complete: i.complete,
    naturalWidth: i.naturalWidth,
  }))`)) as ImgState[];
}

/** A DOM expression's value in the page. */
const inPage = async (page: Page, expr: string): Promise<unknown> => page.evaluate(expr);

const keysOf = (m: Manifest) => Object.values(m.uids).flatMap((u) => u.keys.map((k) => k.key));

describe.skipIf(!browserPath.path)('timeline in headless Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let profilesFile: string;
  let receiver: Receiver;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    h = await startHarness({ s3: true, emulator: { timeScale: TIME_SCALE } });
    profilesFile = path.join(mkdtempSync(path.join(tmpdir(), 'timeline-profiles-')), 'profiles.json');
    writeFileSync(profilesFile, JSON.stringify({ default: h.storageProfile }));
    const settings = {
      ...cliSettings({ TEMPORAL_ADDRESS: inject('temporalAddress') }),
      taskQueue: h.taskQueue,
    };
    receiver = await startReceiver({
      client: h.env.client,
      secrets: ['timeline-test-ncs-secret'],
      adminPort: 0,
      timeline: timelineRenderer(h.env.client, settings, profilesFile),
    });
    // puppeteer-core is an ES module; this file is CommonJS.
    const { default: puppeteer } = await import('puppeteer-core');
    browser = await puppeteer.launch({
      executablePath: browserPath.path!,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await h?.close();
  });

  const cli = (args: string[]) => runCli(args, h.taskQueue, { AGORA_STORAGE_PROFILES: profilesFile });

  /** Starts a two-uid capture and waits until `objects` screenshots are in the bucket. */
  async function capture(objects: number): Promise<{ workflowId: string; prefix: string }> {
    const prefix = ['timeline', `t${randomBytes(4).toString('hex')}`];
    const req = captureRequest(
      { durationSeconds: 600, fileNamePrefix: prefix },
      { subscribeVideoUids: UIDS },
    );
    for (const uid of UIDS) h.emulator.channel(req.channel).join(uid, { video: true });
    const { workflowId } = await h.start(req);
    const p = `${prefix.join('/')}/`;
    await waitFor(async () => (await listKeys(h.s3!, p)).length >= objects, {
      what: `${objects} objects`,
      timeoutMs: 30_000,
    });
    return { workflowId, prefix: p };
  }

  it(
    'the CLI page of an ended capture shows every manifest entry as a loaded image',
    async () => {
      const { workflowId } = await capture(10);
      await stopCapture(h.env.client, workflowId, { wait: true });
      // The workflow reconciled the bucket into manifest.json when the capture ended.
      const summary = (await getCapture(h.env.client, workflowId)).manifest;
      expect(summary).toMatchObject({ status: 'written', after: 'capture' });
      const manifest = JSON.parse((await cli(['manifest', workflowId, '--json'])).stdout) as Manifest;
      const entries = keysOf(manifest);
      expect(entries.length).toBe(summary!.found);
      expect(entries.length).toBeGreaterThanOrEqual(10);

      const out = path.join(ARTIFACTS, 'cli-embedded.html');
      const r = await cli(['timeline', workflowId, '--out', out, '--embed']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`${entries.length} of ${entries.length} images (embedded)`);
      expect(r.stdout).toContain(`manifest: s3://${h.s3!.bucket}/${summary!.manifestKey}`);

      const page = await browser.newPage();
      await page.setViewport({ width: 1400, height: 500 });
      await page.goto(`file://${out}`, { waitUntil: 'load' });
      const imgs = await images(page);
      expect(imgs.map((i) => i.key).sort()).toEqual([...entries].sort());
      expect(imgs.filter((i) => !i.complete || i.naturalWidth === 0)).toEqual([]);
      expect(
        await inPage(page, `[...document.querySelectorAll('section.row')].map((r) => r.dataset.uid)`),
      ).toEqual(UIDS);
      expect(await page.$('script')).toBeNull();
      await page.screenshot({ path: path.join(ARTIFACTS, 'cli-embedded.png'), fullPage: true });
      await page.close();

      // Without --embed the page holds presigned GET URLs of the same objects. moto 5.2.5 with
      // credentials enforced cannot check query-string signatures (it answers 500), so these are
      // checked for what they point at and sign, not loaded.
      const presignedOut = path.join(ARTIFACTS, 'cli-presigned.html');
      const p = await cli(['timeline', workflowId, '--out', presignedOut]);
      expect(p.code).toBe(0);
      expect(p.stdout).toContain('(presigned URLs)');
      const html = readFileSync(presignedOut, 'utf8');
      const srcs = [...html.matchAll(/<img [^>]*src="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
      expect(srcs).toHaveLength(entries.length);
      for (const src of srcs) {
        const url = new URL(src);
        expect(entries).toContain(decodeURIComponent(url.pathname).slice(`/${h.s3!.bucket}/`.length));
        expect(url.origin).toBe(h.s3!.endpoint);
        expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
        expect(src).not.toContain(h.s3!.secretAccessKey);
      }
    },
    CAPTURE_TEST_MS,
  );

  it(
    'the receiver admin port serves the page of a running capture without manifest.json, built from the bucket',
    async () => {
      const { workflowId, prefix } = await capture(6);
      // Running, first segment: the workflow has not written a manifest yet.
      expect((await getCapture(h.env.client, workflowId)).manifest).toBeUndefined();
      const before = await listKeys(h.s3!, prefix);
      const url = `${receiver.adminUrl}/captures/${encodeURIComponent(workflowId)}/timeline?embed=1`;

      const page = await browser.newPage();
      await page.setViewport({ width: 1400, height: 500 });
      const res = await page.goto(url, { waitUntil: 'load' });
      expect(res?.status()).toBe(200);
      expect(res?.headers()['content-type']).toBe('text/html; charset=utf-8');
      const imgs = await images(page);
      const after = await listKeys(h.s3!, prefix);
      // One image per entry of the manifest built for the page...
      expect(await inPage(page, 'Number(document.body.dataset.images)')).toBe(imgs.length);
      // ...which is the bucket as listed while the capture kept uploading.
      const shown = imgs.map((i) => i.key);
      expect(shown).toEqual(expect.arrayContaining(before));
      expect(after).toEqual(expect.arrayContaining(shown));
      expect(imgs.filter((i) => !i.complete || i.naturalWidth === 0)).toEqual([]);
      expect(imgs.every((i) => i.src.startsWith('data:image/jpeg;base64,'))).toBe(true);
      expect(await inPage(page, `document.querySelector('.provisional')?.textContent`)).toContain(
        'no manifest.json yet',
      );
      await page.screenshot({ path: path.join(ARTIFACTS, 'receiver-admin.png'), fullPage: true });
      await page.close();

      // The callback port, the one published to Agora, does not serve it.
      const pub = await fetch(`${receiver.url}/captures/${encodeURIComponent(workflowId)}/timeline`);
      expect(pub.status).toBe(404);
      await stopCapture(h.env.client, workflowId, { wait: true });
    },
    CAPTURE_TEST_MS,
  );

  it(
    "the page of a capture resumed after a pause shows what the resumed segment uploaded, not only the pause's manifest.json",
    async () => {
      const { workflowId, prefix } = await capture(4);
      await pauseCapture(h.env.client, workflowId, 'break');
      await waitFor(async () => (await getCapture(h.env.client, workflowId)).manifest?.status === 'written', {
        what: "the paused segment's manifest",
      });
      const atPause = (await listKeys(h.s3!, prefix)).filter((k) => k.endsWith('.jpg')).length;
      await resumeCapture(h.env.client, workflowId);
      await waitFor(
        async () => (await listKeys(h.s3!, prefix)).filter((k) => k.endsWith('.jpg')).length >= atPause + 4,
        { what: 'screenshots of the resumed segment', timeoutMs: 30_000 },
      );
      const out = path.join(ARTIFACTS, 'resumed.html');
      const r = await cli(['timeline', workflowId, '--out', out, '--embed']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /manifest: the capture still runs and its manifest\.json dates from an earlier segment's end/,
      );
      const html = readFileSync(out, 'utf8');
      expect(html).toContain('class="provisional"');
      expect([...html.matchAll(/<img /g)].length).toBeGreaterThanOrEqual(atPause + 4);
      await stopCapture(h.env.client, workflowId, { wait: true });
    },
    CAPTURE_TEST_MS,
  );

  it('the receiver admin port answers 404 naming a capture that does not exist', async () => {
    const res = await fetch(`${receiver.adminUrl}/captures/capture%2Fnope%2F1/timeline`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('no capture capture/nope/1');
  });
});
