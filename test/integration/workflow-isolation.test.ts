/**
 * The worker evaluates the workflow modules once per worker thread and every capture it runs
 * shares them (worker/workflow-bundle.ts `PRELOAD_MODULES`); what must be a capture's own lives
 * in workflows/workflow-local.ts: the webhook outbox, the manifest chain and the search
 * attributes gathered in a workflow task. Here captures run side by side on one worker (one
 * workflow thread: the SDK's default with a reusable context), every other one with a webhook,
 * all receiving callbacks and writing manifests, and each must end with only its own events,
 * files and search attributes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForCapture } from '../../client/api';
import { getWebhookDelivery } from '../../client/webhooks';
import type { CaptureResult } from '../../workflows/status';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { listKeys } from '../helpers/s3';
import { waitFor } from '../helpers/wait-for';
import { startWebhookEndpoint, WEBHOOK_TEST_SECRET, type WebhookEndpoint } from '../helpers/webhook-endpoint';

const UIDS = ['1001', '1002'];
const CAPTURES = 6;

interface Body {
  type: string;
  data: { workflowId: string; sid?: string; channel?: string; manifest?: unknown; fileName?: string };
}

describe('captures running side by side on one worker', () => {
  let h: Harness;
  let endpoint: WebhookEndpoint;
  beforeAll(async () => {
    const secrets = path.join(mkdtempSync(path.join(tmpdir(), 'isolation-')), 'webhook-secrets.json');
    writeFileSync(secrets, JSON.stringify({ backend: WEBHOOK_TEST_SECRET }));
    h = await startHarness({
      callbacks: true,
      s3: true,
      workerEnv: { AGORA_CAPTURE_WEBHOOK_SECRETS: secrets },
    });
    endpoint = await startWebhookEndpoint();
  });
  afterAll(async () => {
    await h?.close();
    await endpoint?.close();
  });

  it('each keep their own webhook events, manifest and search attributes', async () => {
    const runs = Array.from({ length: CAPTURES }, (_, i) => {
      const prefix = ['iso', `c${i}${randomBytes(4).toString('hex')}`];
      const withWebhook = i % 2 === 0;
      const req = captureRequest(
        {
          durationSeconds: 12,
          snapshotConfig: { captureInterval: 5, fileType: ['jpg'] },
          fileNamePrefix: prefix,
          ...(withWebhook ? { webhook: { url: endpoint.url, secret: 'backend' } } : {}),
        },
        { subscribeVideoUids: UIDS },
      );
      for (const uid of UIDS) h.emulator.channel(req.channel).join(uid, { video: true });
      return { req, prefix, withWebhook };
    });
    // Started together, so their workflow tasks interleave in the one workflow thread.
    const started = await Promise.all(runs.map((r) => h.start(r.req)));
    const results: CaptureResult[] = await Promise.all(
      started.map((s) => waitForCapture(h.env.client, s.workflowId)),
    );

    const sids = results.map((r) => r.sid);
    expect(new Set(sids).size).toBe(CAPTURES);
    for (const [i, run] of runs.entries()) {
      const { workflowId } = started[i]!;
      const result = results[i]!;
      expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped' });

      // The manifest lists exactly this capture's files: its prefix, its sid.
      const summary = result.manifest!;
      expect(summary.status).toBe('written');
      const objects = (await listKeys(h.s3!, `${run.prefix.join('/')}/`)).filter(
        (k) => k !== summary.manifestKey,
      );
      expect(objects.length).toBeGreaterThan(0);
      expect(objects.every((k) => k.includes(result.sid!))).toBe(true);
      expect(summary.found).toBe(objects.length);

      // Its search attributes name its own channel and sid only.
      const desc = await h.env.client.workflow.getHandle(workflowId).describe();
      expect(desc.searchAttributes.CaptureSids).toEqual([result.sid]);
      expect(desc.searchAttributes.CaptureChannel).toEqual([run.req.channel]);

      // A capture without a webhook has no outbox and no delivery workflow.
      if (!run.withWebhook) expect(await getWebhookDelivery(h.env.client, workflowId)).toBeUndefined();
    }

    // Every webhook capture delivered its own events; the others none.
    const webhookIds = started.filter((_, i) => runs[i]!.withWebhook).map((s) => s.workflowId);
    for (const workflowId of webhookIds) {
      await waitFor(
        async () => ((await getWebhookDelivery(h.env.client, workflowId))?.finished ? true : undefined),
        { timeoutMs: 60_000, intervalMs: 250, what: `${workflowId}: every webhook event delivered` },
      );
    }
    const bodies = endpoint.received.map((r) => JSON.parse(r.body) as Body);
    expect(new Set(bodies.map((b) => b.data.workflowId))).toEqual(new Set(webhookIds));
    for (const [i, run] of runs.entries()) {
      if (!run.withWebhook) continue;
      const { workflowId } = started[i]!;
      const own = bodies.filter((b) => b.data.workflowId === workflowId);
      expect(own.filter((b) => b.type === 'capture.started')).toEqual([
        expect.objectContaining({
          data: expect.objectContaining({ sid: sids[i], channel: run.req.channel }),
        }),
      ]);
      const ended = own.filter((b) => b.type === 'capture.ended');
      expect(ended).toHaveLength(1);
      expect(ended[0]!.data.manifest).toEqual(results[i]!.manifest);
      // Screenshot batches carry files of this capture's session only.
      const files = JSON.stringify(own.filter((b) => b.type === 'screenshots.uploaded'));
      for (const other of sids.filter((s) => s !== sids[i])) expect(files).not.toContain(other!);
    }
  }, 120_000);
});
