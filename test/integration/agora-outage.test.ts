import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getCapture, stopCapture, waitForCapture } from '../../client/api';
import { agoraError } from '../../emulator';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { keepHistory } from '../helpers/keep-history';
import { waitFor } from '../helpers/wait-for';

/**
 * An Agora outage at acquire longer than the activity's own retries: the capture waits it out
 * in ACQUIRING (patch acquire-outlasts-outage). Workflow logic, the same on every server, so
 * not part of the real-server tier (scripts/test-server.sh): each test waits out ~30 s of
 * retries.
 */
describe('an Agora outage at acquire', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(() => h.emulator.clearFaults());
  afterAll(() => h?.close());

  it("waits out an Agora outage longer than acquire's own retries in ACQUIRING, then captures", async () => {
    // Six 500s spend the activity's six attempts (~31 s): the capture used to end FAILED here.
    const outage = Array.from({ length: 6 }, () => agoraError(500, 501, 'no_worker_manager_available'));
    h.emulator.inject('acquire', ...outage);
    const req = captureRequest({ durationSeconds: 1 });
    const before = h.emulator.requests().length;
    const { workflowId } = await h.start(req);
    const waiting = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.lastError ? s : undefined;
      },
      { what: 'the failed acquire round', timeoutMs: 60_000 },
    );
    expect(waiting).toMatchObject({ phase: 'ACQUIRING', lastError: { type: 'AgoraServerError' } });
    const result = await waitForCapture(h.env.client, workflowId);
    await keepHistory('acquire-outage', h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'duration', stopOutcome: 'stopped', segments: 1 });
    const acquires = h.emulator
      .requests()
      .slice(before)
      .filter((r) => r.endpoint === 'acquire');
    expect(acquires.map((r) => r.status)).toEqual([500, 500, 500, 500, 500, 500, 200]);
    expect(h.emulator.ledger().filter((e) => e.cname === req.channel)).toEqual([
      expect.objectContaining({ active: false, stopCalls: 1 }),
    ]);
  }, 90_000);

  it('a stop during an Agora outage ends the capture once the acquire round in flight fails: no session', async () => {
    h.emulator.inject('acquire', ...Array.from({ length: 30 }, () => agoraError(503, 503, 'unavailable')));
    const req = captureRequest({ durationSeconds: 30 });
    const before = h.emulator.requests().length;
    const { workflowId } = await h.start(req);
    await waitFor(async () => ((await getCapture(h.env.client, workflowId)).lastError ? true : undefined), {
      what: 'the failed acquire round',
      timeoutMs: 60_000,
    });
    const result = await stopCapture(h.env.client, workflowId, { reason: 'outage', wait: true });
    expect(result).toMatchObject({ reason: 'stopped', stopOutcome: 'not-started', segments: 0 });
    expect(
      h.emulator
        .requests()
        .slice(before)
        .filter((r) => r.endpoint !== 'acquire'),
    ).toEqual([]);
    expect(h.emulator.ledger().filter((e) => e.cname === req.channel)).toEqual([]);
  }, 90_000);
});
