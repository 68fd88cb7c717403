import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getCapture, stopCapture } from '../../client/api';
import { type Receiver, startReceiver } from '../../client/receiver';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness, workerEnv } from '../helpers/harness';
import { NCS_SECRET, ncsEvent, ncsRequest, postNcs } from '../helpers/ncs';
import { waitFor } from '../helpers/wait-for';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';

const TOTAL = Number(process.env.LONG_CAPTURE_EVENTS ?? 100_000);
const SENDERS = Number(process.env.LONG_SENDERS ?? 24);
const UIDS = ['1001', '1002', '1003', '1004', '1005'];
const INTERVAL_MS = 5000;
/** Agora resends a callback up to 3 times when it is not answered 200 (intervals unpublished). */
const RESEND_DELAYS_MS = [1000, 2000, 4000];

// 100,000 callbacks = 5 uids photographed every 5 s for about 28 hours, sent as fast as the
// receiver takes them: far denser than a real capture, to prove history stays bounded.
describe(`a capture receiving ${TOTAL} callbacks through the receiver`, () => {
  let h: Harness;
  let worker: WorkerProcess | undefined;
  let receiver: Receiver;
  beforeAll(async () => {
    // The worker runs in its own process, as in production: this process plays Agora.
    h = await startHarness({ inProcessWorker: false });
    worker = await spawnWorker(workerEnv(h.emulator.url, inject('temporalAddress'), h.taskQueue));
    receiver = await startReceiver({ client: h.env.client, secrets: [NCS_SECRET] });
  });
  afterAll(async () => {
    await receiver?.close();
    await worker?.kill('SIGTERM');
    await h?.close();
  });

  it('counts every screenshot and keeps each run of its history bounded by continuing as new', async () => {
    const req = captureRequest(
      { durationSeconds: 40 * 3600 },
      { subscribeVideoUids: UIDS, subscribeUidGroup: 1 },
    );
    const { workflowId } = await h.start(req);
    const { sid } = await waitFor(async () => {
      const s = await getCapture(h.env.client, workflowId);
      return s.phase === 'CAPTURING' ? s : undefined;
    });
    const target = { cname: req.channel, uid: req.recorderUid, sid: sid! };
    const t0 = Date.UTC(2026, 0, 1);
    const stamp = (ms: number) => new Date(ms).toISOString().replace(/\D/g, '').slice(0, 17);
    const callback = (i: number) => {
      const uid = UIDS[i % UIDS.length]!;
      const at = t0 + Math.floor(i / UIDS.length) * INTERVAL_MS;
      const key = `snaps/${sid}_${req.channel}__uid_s_${uid}__uid_e_video_${stamp(at)}.jpg`;
      return ncsRequest(
        ncsEvent.snapshotFile(target, key, { noticeId: `long-${i}`, payload: { sequence: i, sendts: at } }),
      );
    };
    let next = 0;
    let resends = 0;
    let givenUp = 0;
    const delivered = new Map<string, number>(UIDS.map((u) => [u, 0]));
    const agora = async () => {
      while (next < TOTAL) {
        const i = next++;
        const request = callback(i);
        for (let attempt = 0; ; attempt++) {
          const { status } = await postNcs(receiver.url, request);
          if (status === 200) {
            const uid = UIDS[i % UIDS.length]!;
            delivered.set(uid, delivered.get(uid)! + 1);
            break;
          }
          // Like Agora, give up after 3 resends: that notification is lost.
          if (attempt === RESEND_DELAYS_MS.length) {
            givenUp += 1;
            break;
          }
          resends += 1;
          await new Promise((r) => setTimeout(r, RESEND_DELAYS_MS[attempt]));
        }
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: SENDERS }, agora));
    const sentMs = Date.now() - started;

    const acknowledged = TOTAL - givenUp;
    const status = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.events.applied >= acknowledged ? s : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 1000, what: 'every acknowledged callback applied' },
    );
    // Every callback the receiver acknowledged is counted exactly once; Agora gives up on few, if any.
    expect(givenUp).toBeLessThan(TOTAL / 1000);
    for (const uid of UIDS) expect(status.screenshots[uid]?.count).toBe(delivered.get(uid));
    expect(status.events.applied).toBe(acknowledged);
    expect(status.events.lost).toBeLessThanOrEqual(givenUp);

    const result = await stopCapture(h.env.client, workflowId, { wait: true });
    expect(result.reason).toBe('stopped');
    expect(h.emulator.ledger().filter((e) => e.cname === req.channel)).toEqual([
      expect.objectContaining({ stopCalls: 1, active: false }),
    ]);

    const lengths: number[] = [];
    for await (const run of h.env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
      lengths.push(run.historyLength);
    // Server limits per run: 10,000 signals, 51,200 events; continue-as-new is suggested at 4,096 events.
    expect(lengths.length).toBeGreaterThan(1);
    expect(Math.max(...lengths)).toBeLessThan(10_000);
    const signalled = receiver.stats();
    console.log(
      `${TOTAL} callbacks in ${sentMs} ms (${Math.round((TOTAL / sentMs) * 1000)}/s, ${resends} resends, ${givenUp} given up); ` +
        `${lengths.length} runs, history lengths ${lengths.join(',')}; receiver ${JSON.stringify(signalled.signalled)}`,
    );
  }, 900_000);
});
