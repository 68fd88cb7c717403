import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitForCapture } from '../../client/api';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness, workerEnv } from '../helpers/harness';
import { waitFor } from '../helpers/wait-for';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';

const CAPTURES = Number(process.env.SEVERAL_WORKERS_CAPTURES ?? 200);

// Temporal is the scheduler: more workers on one task queue share the captures, and a worker
// that dies takes nothing with it.
describe(`${CAPTURES} captures on two worker processes, one of them SIGKILLed mid-run`, () => {
  let h: Harness;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    h = await startHarness({ inProcessWorker: false, emulator: { maxConcurrentTasks: CAPTURES * 2 } });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
    await h?.close();
  });

  it('ends every capture and stops every Agora session exactly once', async () => {
    const env = workerEnv(h.emulator.url, inject('temporalAddress'), h.taskQueue);
    const [a, b] = await Promise.all([spawnWorker(env), spawnWorker(env)]);
    workers.push(a, b);

    const started = await Promise.all(
      Array.from({ length: CAPTURES }, () => h.start(captureRequest({ durationSeconds: 15 }))),
    );
    // Mid-run: some captures are capturing, others still starting.
    await waitFor(() => h.emulator.ledger().length >= CAPTURES / 2, {
      timeoutMs: 60_000,
      what: 'half the sessions started',
    });
    await a.kill('SIGKILL');

    const results = await Promise.all(
      started.map(({ workflowId }) => waitForCapture(h.env.client, workflowId)),
    );
    // A stop that reached Agora on the killed worker is retried on the other, which finds the
    // session ended (49, or 404 past the failover window) and says `already-stopped`: true, and
    // the ledger below must show that our stop ended it. Named, so a failure says which capture
    // ended how.
    const ended = results.map((r, i) => ({
      workflowId: started[i]!.workflowId,
      channel: started[i]!.workflowId.split('/')[1],
      reason: r.reason,
      stopOutcome: r.stopOutcome,
    }));
    const unlike = ended.filter(
      (r) => r.reason !== 'duration' || (r.stopOutcome !== 'stopped' && r.stopOutcome !== 'already-stopped'),
    );
    expect(unlike).toEqual([]);

    const ledger = h.emulator.ledger();
    const channels = new Set(started.map((s) => s.workflowId.split('/')[1]));
    const ours = ledger.filter((e) => channels.has(e.cname));
    const lostAnswers = ended.filter((r) => r.stopOutcome === 'already-stopped').map((r) => r.channel);
    expect(ours.filter((e) => lostAnswers.includes(e.cname) && e.endedBy !== 'stop')).toEqual([]);
    const leaked = ours.filter((e) => e.active);
    const doubled = [...channels].filter((c) => ours.filter((e) => e.cname === c).length !== 1);
    const stoppedTwice = ours.filter((e) => e.stopCalls !== 1);
    expect({ leaked: leaked.length, doubled: doubled.length, stoppedTwice: stoppedTwice.length }).toEqual({
      leaked: 0,
      doubled: 0,
      stoppedTwice: 0,
    });
    expect(ours).toHaveLength(CAPTURES);
  }, 300_000);
});
