import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { getCapture, stopCapture, waitForCapture } from '../../client/api';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness, workerEnv, workflowBundle } from '../helpers/harness';
import { loadWorkerConfig } from '../../worker/config';
import { createCaptureWorker } from '../../worker/create-worker';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';
import { keepHistory } from '../helpers/keep-history';
import { waitFor } from '../helpers/wait-for';

/*
 * Where a capture's timeline starts and ends when a worker dies while Agora holds its start or
 * its stop: from what Agora did, not from when the next worker found out (patch
 * start-at-agora-time and the stop's own time). Workflow logic, the same on every server, so
 * not part of the real-server tier (scripts/test-server.sh runs worker-crash.test.ts).
 */

/** Waits until the emulator holds a request of `endpoint` (an injected latency) unanswered. */
function heldByAgora(h: Harness, endpoint: 'start' | 'stop') {
  return waitFor(
    () =>
      h.emulator
        .requests()
        .some((r) => r.endpoint === endpoint && r.fault === 'latency' && r.status === undefined) || undefined,
    { what: `the ${endpoint} held by Agora` },
  );
}

describe('a worker killed while Agora holds its call', () => {
  let h: Harness;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    h = await startHarness({ inProcessWorker: false, callbacks: true });
  });
  // Each test's workers go with it: a replacement left running would take the next test's tasks.
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.kill('SIGTERM')));
  });
  afterAll(() => h?.close());

  it('ends its segment when Agora stopped it, not when the next worker learned it', async () => {
    const env = workerEnv(h.emulator.url, inject('temporalAddress'), h.taskQueue);
    const first = await spawnWorker(env);
    workers.push(first);
    const req = captureRequest({ durationSeconds: 600 }, { subscribeVideoUids: ['1001'] });
    h.emulator.channel(req.channel).join('1001', { video: true });
    const { workflowId } = await h.start(req);
    const running = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.phase === 'CAPTURING' && s.screenshots['1001'] ? s : undefined;
      },
      { what: 'CAPTURING with a screenshot', timeoutMs: 30_000 },
    );
    // Agora performs the stop 3 s after receiving it; the worker that sent it is dead by then.
    h.emulator.inject('stop', { kind: 'latency', ms: 3000 });
    await stopCapture(h.env.client, workflowId, { reason: 'crash test' });
    await heldByAgora(h, 'stop');
    await first.kill('SIGKILL');
    const session = await waitFor(() => h.emulator.ledger().find((e) => e.sid === running.sid && !e.active), {
      what: 'Agora performing the stop',
    });
    // No worker for a while (a crashed node being replaced): the capture learns of the end late.
    await new Promise((r) => setTimeout(r, 8_000));
    workers.push(await spawnWorker(env));

    const result = await waitForCapture(h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'stopped', sid: running.sid });
    expect(h.emulator.ledger().filter((e) => e.cname === result.channel)).toEqual([
      expect.objectContaining({ active: false, endedBy: 'stop', stopCalls: 1 }),
    ]);
    // The capture learned of the end well after it (a new worker, the stop's retry), yet its
    // segment ends at Agora's session_exit, within a second of the emulator's own record.
    const segment = (await getCapture(h.env.client, workflowId)).segments[0]!;
    expect(Date.parse(result.endedAt) - session.endedAt!).toBeGreaterThan(5_000);
    expect(Math.abs(Date.parse(segment.endedAt!) - session.endedAt!)).toBeLessThan(1_000);
  }, 180_000);

  it('counts its duration from when Agora started the session, not from when the next worker learned it', async () => {
    const env = workerEnv(h.emulator.url, inject('temporalAddress'), h.taskQueue);
    const first = await spawnWorker(env);
    workers.push(first);
    const durationSeconds = 45;
    const req = captureRequest({ durationSeconds }, { subscribeVideoUids: ['1001'] });
    h.emulator.channel(req.channel).join('1001', { video: true });
    // Agora performs the start 3 s after receiving it; the worker that sent it is dead by then.
    h.emulator.inject('start', { kind: 'latency', ms: 3000 });
    const { workflowId } = await h.start(req);
    await heldByAgora(h, 'start');
    await first.kill('SIGKILL');
    const started = await waitFor(() => h.emulator.ledger().find((e) => e.cname === req.channel), {
      what: 'Agora performing the start',
    });
    // No worker for a while: the start's answer is lost, and its retry (after the attempt's
    // timeout) meets 201/7 "already started" tens of seconds after Agora started the session.
    await new Promise((r) => setTimeout(r, 8_000));
    workers.push(await spawnWorker(env));

    const result = await waitForCapture(h.env.client, workflowId);
    await keepHistory('start-learned-late', h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped', sid: started.sid });
    const session = h.emulator.ledger().find((e) => e.sid === started.sid)!;
    expect(h.emulator.ledger().filter((e) => e.cname === req.channel)).toEqual([
      expect.objectContaining({ active: false, endedBy: 'stop', stopCalls: 1 }),
    ]);
    const status = await getCapture(h.env.client, workflowId);
    // The segment, the capture's start and its deadline count from Agora's start (event 40)...
    expect(Math.abs(Date.parse(status.segments[0]!.startedAt) - session.startedAt)).toBeLessThan(1_000);
    expect(Math.abs(Date.parse(result.startedAt!) - session.startedAt)).toBeLessThan(1_000);
    expect(
      Math.abs(Date.parse(status.deadline!) - (session.startedAt + durationSeconds * 1000)),
    ).toBeLessThan(1_000);
    // ...so the session bills the duration asked, not that plus the outage (~30 s more).
    expect(session.endedAt! - session.startedAt).toBeLessThan((durationSeconds + 10) * 1000);
  }, 180_000);
});

describe('a workflow worker gone while Agora answers its start', () => {
  let h: Harness;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    h = await startHarness({ inProcessWorker: false });
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await h?.close();
  });

  /** The product's worker parts, in this process, so each SDK worker can be stopped on its own. */
  async function captureWorker() {
    const config = loadWorkerConfig(workerEnv(h.emulator.url, inject('temporalAddress'), h.taskQueue));
    const { worker, agora } = await createCaptureWorker({
      connection: h.env.nativeConnection,
      config: { ...config, WORKER_SHUTDOWN_GRACE_SECONDS: 1 },
      workflowBundle: await workflowBundle(),
    });
    const runs = [worker.workflows.run(), worker.agora.run()];
    closers.push(async () => {
      worker.shutdown();
      await Promise.allSettled(runs);
      await agora.close();
    });
    return { worker, workflowsDone: runs[0]! };
  }

  it('starts its segment when Agora answered, not when a workflow worker next ran the capture', async () => {
    const a = await captureWorker();
    const durationSeconds = 30;
    const req = captureRequest({ durationSeconds });
    // Agora answers 2 s after receiving the start (within the worker's 3 s request timeout).
    h.emulator.inject('start', { kind: 'latency', ms: 2000 });
    const { workflowId } = await h.start(req);
    await heldByAgora(h, 'start');
    // The workflow side goes away; the Agora worker stays and receives Agora's answer.
    a.worker.workflows.shutdown();
    await a.workflowsDone;
    const started = await waitFor(
      () => h.emulator.requests().find((r) => r.endpoint === 'start' && r.status === 200),
      { what: "Agora's answer to the start" },
    );
    const session = h.emulator.ledger().find((e) => e.sid === started.sid)!;
    await new Promise((r) => setTimeout(r, 8_000)); // no workflow worker meanwhile
    const b = await spawnWorker(workerEnv(h.emulator.url, inject('temporalAddress'), h.taskQueue));
    closers.push(() => b.kill('SIGTERM'));

    const result = await waitForCapture(h.env.client, workflowId);
    await keepHistory('start-answer-held', h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped', sid: started.sid });
    const status = await getCapture(h.env.client, workflowId);
    // No callback here: the start activity's own time of Agora's answer dates the session.
    expect(Math.abs(Date.parse(status.segments[0]!.startedAt) - session.startedAt)).toBeLessThan(1_000);
    expect(
      Math.abs(Date.parse(status.deadline!) - (session.startedAt + durationSeconds * 1000)),
    ).toBeLessThan(1_000);
  }, 120_000);
});
