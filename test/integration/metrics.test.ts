/**
 * Observability end to end: a real worker process with WORKER_METRICS_ADDRESS runs a capture;
 * its /metrics serves the SDK's temporal_* metrics and the product's agora_capture_* ones,
 * its stdout carries JSON log lines with the workflowId and Agora's x-request-id; the
 * receiver's /metrics counts the verdict of one signed callback.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cancelCapture, getCapture, waitForCapture } from '../../client/api';
import { type Receiver, startReceiver } from '../../client/receiver';
import { agoraError } from '../../emulator';
import { captureRequest } from '../helpers/fixtures';
import { freePort } from '../helpers/free-port';
import { type Harness, startHarness, workerEnv } from '../helpers/harness';
import { NCS_SECRET, ncsEvent, ncsRequest, postNcs } from '../helpers/ncs';
import { waitFor } from '../helpers/wait-for';
import { agoraTaskQueue } from '../../workflows/agora-task-queue';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text format (enough for the tests: no escaped quotes in our labels). */
function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m || line.startsWith('#')) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** Sum of the samples of `name` whose labels include `where`. */
function total(samples: Sample[], name: string, where: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);
}

describe('metrics and logs', () => {
  let h: Harness;
  let receiver: Receiver;
  let worker: WorkerProcess | undefined;
  let metricsUrl: string;

  beforeAll(async () => {
    h = await startHarness({ inProcessWorker: false });
    receiver = await startReceiver({ client: h.env.client, secrets: [NCS_SECRET] });
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    // INFO: this test reads the per-call log lines.
    worker = await spawnWorker(
      {
        ...workerEnv(h.emulator.url, inject('temporalAddress'), h.taskQueue),
        WORKER_METRICS_ADDRESS: `127.0.0.1:${port}`,
        LOG_FORMAT: 'json',
      },
      { logLevel: 'INFO' },
    );
  }, 90_000);

  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await receiver?.close();
    await h?.close();
  });

  it('the worker serves SDK and capture metrics, logs JSON with ids, and the receiver counts verdicts', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 4 }));
    const running = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.phase === 'CAPTURING' && s.sid ? s : undefined;
      },
      { what: 'CAPTURING', timeoutMs: 30_000 },
    );
    const target = { cname: running.channel, uid: running.recorderUid, sid: running.sid! };
    const answer = await postNcs(receiver.url, ncsRequest(ncsEvent.snapshotFile(target)));
    expect(answer.status).toBe(200);
    const result = await waitForCapture(h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped' });

    // Worker /metrics: the SDK's runtime telemetry and ours, from one endpoint.
    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    const text = await res.text();
    const m = parseMetrics(text);
    expect(m.some((s) => s.name.startsWith('temporal_'))).toBe(true);
    expect(total(m, 'temporal_activity_execution_latency_count', { activity_type: 'start' })).toBeGreaterThan(
      0,
    );
    // acquire is an ordinary activity on the rate-limited Agora queue (workflows/patches.ts AGORA_QUEUE_V3).
    expect(
      total(m, 'temporal_activity_execution_latency_count', { activity_type: 'acquire' }),
    ).toBeGreaterThan(0);
    for (const endpoint of ['acquire', 'start', 'stop']) {
      expect(
        total(m, 'agora_capture_agora_calls_total', {
          endpoint,
          outcome: 'success',
          taskQueue: agoraTaskQueue(h.taskQueue),
        }),
        `${endpoint} success`,
      ).toBeGreaterThanOrEqual(1);
      expect(
        total(m, 'agora_capture_agora_call_duration_ms_count', { endpoint, outcome: 'success' }),
      ).toBeGreaterThanOrEqual(1);
    }
    // Captures by phase: this capture went through every phase of a clean run once.
    for (const phase of ['ACQUIRING', 'STARTING', 'CAPTURING', 'STOPPING', 'STOPPED']) {
      expect(total(m, 'agora_capture_phase_entered_total', { phase }), phase).toBe(1);
      expect(total(m, 'agora_capture_phase_exited_total', { phase }), phase).toBe(1);
    }
    expect(total(m, 'agora_capture_captures_ended_total', { reason: 'duration', phase: 'STOPPED' })).toBe(1);

    // Receiver /metrics: the signed callback was accepted and delivered.
    const rm = parseMetrics(await (await fetch(`${receiver.url}/metrics`)).text());
    expect(total(rm, 'agora_capture_receiver_requests_total', { verdict: 'accepted' })).toBe(1);
    expect(total(rm, 'agora_capture_receiver_requests_total', { verdict: 'bad-signature' })).toBe(0);
    expect(total(rm, 'agora_capture_receiver_signals_total', { signal: 'agoraEvent' })).toBe(1);

    // Worker stdout: JSON lines; each Agora call carries the workflowId and Agora's x-request-id.
    // The stop line may still be in the pipe when the result arrives: wait for it.
    await waitFor(() => worker!.stdout().includes('"endpoint":"stop"'), { what: 'the stop log line' });
    const lines = worker!
      .stdout()
      .split('\n')
      .filter((l) => l.trim() !== '');
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const r of records)
      expect(r).toMatchObject({ level: expect.any(String), message: expect.any(String) });
    const calls = records.filter((r) => r.workflowId === workflowId && typeof r.endpoint === 'string');
    expect(calls.map((r) => r.endpoint)).toEqual(expect.arrayContaining(['acquire', 'start', 'stop']));
    for (const r of calls) {
      expect(r.agoraRequestId, JSON.stringify(r)).toEqual(expect.any(String));
      expect(r).toMatchObject({ outcome: 'success', httpStatus: 200, activityType: r.endpoint });
    }
    expect(calls.find((r) => r.endpoint === 'stop')).toMatchObject({ sid: running.sid });
    // Nothing secret in the logs.
    expect(worker!.stdout()).not.toContain('customer');
  }, 120_000);

  it('raises agora_capture_stop_failing to 1 (and logs an error) while a capture cannot stop its session, 0 once stopped', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 600 }));
    await waitFor(async () => (await getCapture(h.env.client, workflowId)).phase === 'CAPTURING', {
      what: 'CAPTURING',
      timeoutMs: 30_000,
    });
    h.emulator.inject('stop', ...Array.from({ length: 3 }, () => agoraError(500, 1, 'internal')));
    await cancelCapture(h.env.client, workflowId);
    const gauge = async () =>
      total(parseMetrics(await (await fetch(metricsUrl)).text()), 'agora_capture_stop_failing', {
        capture: workflowId,
      });
    await waitFor(async () => (await gauge()) === 1, { what: 'the gauge at 1', timeoutMs: 60_000 });
    expect(await getCapture(h.env.client, workflowId)).toMatchObject({ phase: 'STOPPING' });
    // The alert's log line (the worker's stdout pipe may lag the scrape: wait for it).
    const alert = await waitFor(
      () =>
        worker!
          .stdout()
          .split('\n')
          .find((l) => l.includes('could not be stopped') && l.includes(workflowId)),
      { what: 'the error log line' },
    );
    expect(JSON.parse(alert)).toMatchObject({ level: 'ERROR', workflowId });
    // Agora recovers: the next round stops the session and the alert clears.
    await waitForCapture(h.env.client, workflowId).catch(() => undefined);
    await waitFor(async () => (await gauge()) === 0, { what: 'the gauge back at 0' });
    expect(h.emulator.ledger().filter((e) => e.active)).toEqual([]);
  }, 120_000);
});
