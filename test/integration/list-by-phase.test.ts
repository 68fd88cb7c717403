/**
 * Listing captures by phase through Temporal visibility (the CapturePhase search attribute),
 * as `agora-capture list --phase` does: on the dev server's SQLite and on PostgreSQL
 * visibility alike. Visibility is eventually consistent, so each expectation is awaited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaptureSummary, getCapture, listCaptures, stopCapture, waitForCapture } from '../../client/api';
import { captureRequest, uniqueChannel } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { waitFor } from '../helpers/wait-for';

describe('listing captures by phase', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  const listed = (filter: { phase: string; channel: string }, expected: number) =>
    waitFor(
      async () => {
        const list = await listCaptures(h.env.client, filter);
        return list.length === expected ? list : undefined;
      },
      {
        what: `${expected} capture(s) in ${filter.phase} on ${filter.channel}`,
        timeoutMs: 30_000,
        intervalMs: 250,
      },
    );

  it('finds a running capture under CAPTURING, and under STOPPED (not CAPTURING) once it ended', async () => {
    const channel = uniqueChannel('phase');
    const { workflowId } = await h.start(captureRequest({ channel, durationSeconds: 600 }));
    await waitFor(async () => (await getCapture(h.env.client, workflowId)).phase === 'CAPTURING', {
      what: 'phase CAPTURING',
    });

    const capturing: CaptureSummary[] = await listed({ phase: 'CAPTURING', channel }, 1);
    expect(capturing[0]).toMatchObject({ workflowId, phase: 'CAPTURING', status: 'RUNNING', channel });

    await stopCapture(h.env.client, workflowId, { reason: 'listing test' });
    await waitForCapture(h.env.client, workflowId);
    const stopped = await listed({ phase: 'STOPPED', channel }, 1);
    expect(stopped[0]).toMatchObject({ workflowId, phase: 'STOPPED', status: 'COMPLETED' });
    expect(await listed({ phase: 'CAPTURING', channel }, 0)).toEqual([]);
  });

  it('takes any text as a channel filter: a backslash or a quote in it is a value, not query syntax', async () => {
    // No capture can have such a channel (Agora's charset has neither): the answer is "none".
    for (const channel of ['x\\', "x' OR CaptureChannel != 'y", "x\\' OR 1=1"])
      expect(await listCaptures(h.env.client, { channel })).toEqual([]);
  });
});
