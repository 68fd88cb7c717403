import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getCapture, stopCapture, waitForCapture } from '../../client/api';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness, workerEnv } from '../helpers/harness';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';
import { keepHistory } from '../helpers/keep-history';
import { waitFor } from '../helpers/wait-for';

describe('a worker killed mid-capture', () => {
  let h: Harness;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    h = await startHarness({ inProcessWorker: false });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
    await h?.close();
  });

  it('still ends on time and the Agora session is stopped, by the worker that replaced it', async () => {
    const env = workerEnv(h.emulator.url, inject('temporalAddress'), h.taskQueue);
    const first = await spawnWorker(env);
    workers.push(first);
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 25 }));
    const running = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.phase === 'CAPTURING' ? s : undefined;
      },
      { what: 'CAPTURING', timeoutMs: 30_000 },
    );

    // A second worker polls the same task queue (production runs several); then the first dies.
    workers.push(await spawnWorker(env));
    await first.kill('SIGKILL');
    expect(h.emulator.ledger().find((e) => e.sid === running.sid)).toMatchObject({ active: true });

    const result = await waitForCapture(h.env.client, workflowId);
    await keepHistory('worker-killed', h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped', sid: running.sid });
    // On time: the timer lives in the server. The only delay is the dead worker's sticky queue
    // (the SDK's stickyQueueScheduleToStartTimeout, 10 s) before the task goes to the shared queue.
    expect(Date.parse(result.endedAt)).toBeGreaterThanOrEqual(Date.parse(running.deadline!));
    expect(Date.parse(result.endedAt) - Date.parse(running.deadline!)).toBeLessThan(20_000);
    const sessions = h.emulator.ledger().filter((e) => e.cname === result.channel);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ active: false, endedBy: 'stop', stopCalls: 1 });
  }, 120_000);
});

describe('a worker killed while its stop is in flight', () => {
  let h: Harness;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    h = await startHarness({ inProcessWorker: false, callbacks: true });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
    await h?.close();
  });

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
    await waitFor(
      () =>
        h.emulator
          .requests()
          .some((r) => r.endpoint === 'stop' && r.fault === 'latency' && r.status === undefined) || undefined,
      { what: 'the stop held by Agora' },
    );
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
});
