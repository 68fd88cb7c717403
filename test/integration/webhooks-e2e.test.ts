import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, type ApplicationFailure } from '@temporalio/common';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitForCapture } from '../../client/api';
import { getWebhookDelivery } from '../../client/webhooks';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { waitFor } from '../helpers/wait-for';
import { startWebhookEndpoint, WEBHOOK_TEST_SECRET, type WebhookEndpoint } from '../helpers/webhook-endpoint';

const SECRET = WEBHOOK_TEST_SECRET;
const DURATION_SECONDS = 6;

describe('signed capture events to a flaky endpoint (Standard Webhooks)', () => {
  let h: Harness;
  let endpoint: WebhookEndpoint;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'agora-capture-webhooks-'));
    const secrets = path.join(dir, 'webhook-secrets.json');
    writeFileSync(secrets, JSON.stringify({ backend: SECRET }));
    h = await startHarness({
      workerEnv: {
        AGORA_CAPTURE_WEBHOOK_SECRETS: secrets,
        // Short intervals so the 40 s outage is crossed by many retries, not by sleeping.
        AGORA_CAPTURE_WEBHOOK_RETRY_INITIAL_MS: '300',
        AGORA_CAPTURE_WEBHOOK_RETRY_MAX_MS: '2000',
      },
    });
    endpoint = await startWebhookEndpoint({ failFirst: 3, downForMs: 40_000 });
  });
  afterAll(async () => {
    await endpoint?.close();
    await h?.close();
  });

  it('stops Agora on time while the endpoint is down, then delivers every event in order, signed, with stable ids', async () => {
    const { workflowId, runId } = await h.start(
      captureRequest({
        durationSeconds: DURATION_SECONDS,
        webhook: { url: endpoint.url, secret: 'backend' },
      }),
    );
    const result = await waitForCapture(h.env.client, workflowId);
    const resultAtMs = Date.now();

    // The Agora session was stopped on time, and the capture completed, while the endpoint was down.
    const session = h.emulator.ledger().find((e) => e.sid === result.sid)!;
    expect(session).toMatchObject({ active: false, endedBy: 'stop', stopCalls: 1 });
    expect(session.endedAt! - session.startedAt).toBeLessThan((DURATION_SECONDS + 5) * 1000);
    expect(endpoint.outage.closedAtMs).toBeDefined();
    expect(endpoint.outage.reopenedAtMs).toBeUndefined();
    expect(session.endedAt!).toBeGreaterThan(endpoint.outage.closedAtMs!);

    // Meanwhile the backlog is visible: both events pending, the refused connection as last error.
    const backlog = await waitFor(
      async () => {
        const d = await getWebhookDelivery(h.env.client, workflowId);
        return d && d.pending === 2 && d.lastError?.message.includes('ECONNREFUSED') ? d : undefined;
      },
      { what: 'a backlog of 2 with a refused connection' },
    );
    expect(endpoint.outage.reopenedAtMs ?? Infinity).toBeGreaterThan(resultAtMs);
    expect(backlog).toMatchObject({
      delivered: 0,
      received: 2,
      current: { seq: 1, type: 'capture.started' },
    });
    // The operator sees the same backlog in `agora-capture status`.
    const cliOut = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [path.join(__dirname, '..', '..', 'bin', 'agora-capture'), 'status', workflowId],
        {
          timeout: 30_000,
          env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: 'default' },
        },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    expect(cliOut).toMatch(
      /webhooks +2 pending, 0 delivered, 0 given up; last error \(event 1, attempt \d+, .*ECONNREFUSED/,
    );
    expect(endpoint.outage.reopenedAtMs).toBeUndefined();

    const done = await waitFor(
      async () => {
        const d = await getWebhookDelivery(h.env.client, workflowId, runId);
        return d?.finished ? d : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'every event delivered' },
    );
    expect(done).toMatchObject({ pending: 0, delivered: 2, givenUp: 0, received: 2 });

    // Every request the endpoint saw (failed ones too) verifies with an independent verifier.
    const verifier = new Webhook(SECRET);
    const bodies = endpoint.received.map((r) =>
      verifier.verify(r.body, {
        'webhook-id': r.id,
        'webhook-timestamp': r.timestamp,
        'webhook-signature': r.signature,
      }),
    ) as { type: string; timestamp: string; data: Record<string, unknown> }[];

    // In order: every attempt of capture.started (3 failures, then success) before capture.ended.
    const types = bodies.map((b) => b.type);
    const firstEnded = types.indexOf('capture.ended');
    expect(types.slice(0, firstEnded).every((t) => t === 'capture.started')).toBe(true);
    expect(types.slice(firstEnded).every((t) => t === 'capture.ended')).toBe(true);
    expect(endpoint.received.slice(0, 3).map((r) => r.status)).toEqual([503, 503, 503]);
    expect(endpoint.received[firstEnded - 1]!.status).toBe(204);
    expect(endpoint.received[firstEnded - 1]!.atMs).toBeGreaterThanOrEqual(endpoint.outage.reopenedAtMs!);

    // Retries keep their webhook-id; the two events have different ids.
    const idsOf = (type: string) =>
      new Set(endpoint.received.filter((_, i) => types[i] === type).map((r) => r.id));
    expect(idsOf('capture.started').size).toBe(1);
    expect(idsOf('capture.ended').size).toBe(1);
    expect([...idsOf('capture.started')][0]).not.toBe([...idsOf('capture.ended')][0]);

    // Each event delivered (2xx) exactly once; the bodies name the capture and carry the facts.
    const delivered = endpoint.received.filter((r) => r.status === 204);
    expect(delivered).toHaveLength(2);
    const started = bodies[firstEnded - 1]!;
    const ended = bodies[bodies.length - 1]!;
    expect(started.data).toMatchObject({ workflowId, sid: result.sid, channel: result.channel });
    expect(ended.data).toMatchObject({
      workflowId,
      reason: 'duration',
      sid: result.sid,
      stopOutcome: 'stopped',
    });
    expect(Date.parse(started.timestamp)).toBeLessThan(Date.parse(ended.timestamp));
  }, 150_000);

  it('fails a capture naming a webhook secret the worker does not hold, before any Agora call', async () => {
    const req = captureRequest({ webhook: { url: endpoint.url, secret: 'not-on-this-worker' } });
    const before = h.emulator.requests().length;
    const { workflowId } = await h.start(req);
    const err = await waitForCapture(h.env.client, workflowId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    // The capture fails because its acquire activity refused: Workflow → Activity → Application.
    const cause = (err as WorkflowFailedError).cause;
    const failure = (cause instanceof ActivityFailure ? cause.cause : cause) as ApplicationFailure;
    expect(failure.type).toBe('WebhookSecretNotFound');
    expect(failure.message).toContain('webhook secret "not-on-this-worker" is not configured');
    expect(h.emulator.requests().slice(before)).toHaveLength(0);
  });
});
