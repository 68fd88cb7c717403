/**
 * Agora's quotas met by design, not by retry storms: the emulator enforces 10 REST requests/s
 * per App ID (429) and 50 concurrent tasks (acquire 400/406), and a burst of 120 captures
 * started at once all complete. Every Agora call runs on the rate-limited Agora task queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForCapture } from '../../client/api';
import type { LedgerEntry } from '../../emulator';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';

const CAPTURES = 120;
const QPS = 10;
const MAX_TASKS = 50;

/** The most sessions live at one instant, from the ledger's start and end times. */
function peakConcurrency(ledger: readonly LedgerEntry[]): number {
  const edges = ledger.flatMap((e) => [
    { at: e.startedAt, d: 1 },
    { at: e.endedAt ?? Number.POSITIVE_INFINITY, d: -1 },
  ]);
  // Ends before starts at the same instant: a slot freed and reused in one millisecond.
  edges.sort((a, b) => a.at - b.at || a.d - b.d);
  let live = 0;
  let peak = 0;
  for (const e of edges) peak = Math.max(peak, (live += e.d));
  return peak;
}

describe("Agora's quotas on a burst of captures", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      emulator: { qpsLimit: QPS, maxConcurrentTasks: MAX_TASKS },
      workerEnv: { AGORA_QPS: String(QPS) },
    });
  });
  afterAll(() => h?.close());

  it(`runs ${CAPTURES} captures of 10 s started at once: none fails, at most ${MAX_TASKS} live, few 429s`, async () => {
    const started = await Promise.all(
      Array.from({ length: CAPTURES }, () => h.start(captureRequest({ durationSeconds: 10 }))),
    );
    const results = await Promise.allSettled(started.map((s) => waitForCapture(h.env.client, s.workflowId)));
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed.map((f) => String(f.reason))).toEqual([]);
    for (const r of results) {
      if (r.status === 'fulfilled')
        expect(r.value).toMatchObject({ reason: 'duration', stopOutcome: 'stopped' });
    }

    const ledger = h.emulator.ledger();
    expect(ledger).toHaveLength(CAPTURES); // one billed session per capture
    for (const e of ledger) expect(e).toMatchObject({ active: false, endedBy: 'stop', stopCalls: 1 });
    const peak = peakConcurrency(ledger);
    expect(peak).toBeLessThanOrEqual(MAX_TASKS);

    const requests = h.emulator.requests();
    const tooFast = requests.filter((r) => r.status === 429).length;
    const overQuota = requests.filter((r) => r.code === 406).length;
    console.info(
      `quotas: ${requests.length} Agora requests, ${tooFast} answered 429, ${overQuota} acquires answered 406, peak ${peak} live sessions`,
    );
    // The server's token buckets admit a burst after each quiet spell (worker/create-worker.ts):
    // some 429s, each retried through the same limiter, never a storm.
    expect(tooFast).toBeLessThanOrEqual(Math.ceil(requests.length * 0.1));
  }, 900_000);
});
