import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getCapture, waitForCapture } from '../../client/api';
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
