/**
 * A capture that continues as new waits, before it hands off, for the manifest of a segment it
 * just stopped. What arrives during that wait must be acted on, not lost: a stop update gets its
 * answer, a late screenshot callback (acknowledged to Agora) is counted. Its own dev server,
 * which suggests continue-as-new after a few events, and a worker whose segment reconciliation
 * waits until the test lets it go, so the wait is there to arrive in.
 */
import type { Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCapture, pauseCapture, stopCapture } from '../../client/api';
import { EventScript } from '../helpers/capture-events';
import { type DevServer, startDevServer } from '../helpers/dev-server';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { keepHistory } from '../helpers/keep-history';
import { waitFor } from '../helpers/wait-for';

/** Holds the first segment reconciliation (an ordinary activity; the final one is local) until `release()`. */
class ManifestGate {
  held = false;
  private open!: () => void;
  private readonly opened = new Promise<void>((resolve) => (this.open = resolve));

  interceptor(ctx: Context): ActivityInboundCallsInterceptor {
    return {
      execute: async (
        input: ActivityExecuteInput,
        next: Next<ActivityInboundCallsInterceptor, 'execute'>,
      ) => {
        if (!this.held && ctx.info.activityType === 'reconcileManifest' && !ctx.info.isLocal) {
          this.held = true;
          await this.opened;
        }
        return next(input);
      },
    };
  }

  release(): void {
    this.open();
  }
}

describe('a capture handing off to its next run while a segment manifest is written', () => {
  let server: DevServer;
  let h: Harness;
  const gate = new ManifestGate();
  beforeAll(async () => {
    server = await startDevServer({
      extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=12'],
    });
    h = await startHarness({
      address: server.address,
      workerOverrides: { interceptors: { activity: [(ctx) => ({ inbound: gate.interceptor(ctx) })] } },
    });
  });
  afterAll(async () => {
    gate.release();
    await h?.close();
    await server?.stop();
  });

  it('answers a stop and counts a late screenshot that came while it waited, instead of dropping them', async () => {
    const req = captureRequest({ durationSeconds: 600, timings: { healthCheckSeconds: 600 } });
    const { workflowId } = await h.start(req);
    const { sid } = await waitFor(async () => {
      const s = await getCapture(h.env.client, workflowId);
      return s.phase === 'CAPTURING' ? s : undefined;
    });
    // The pause stops the segment's session; its manifest is held, and the run, past the
    // server's suggestion, waits for it before handing off.
    const paused = pauseCapture(h.env.client, workflowId, 'handoff test');
    await waitFor(() => gate.held || undefined, { what: 'the segment manifest held' });
    await paused;
    const handle = h.env.client.workflow.getHandle(workflowId);
    const late = new EventScript(req.channel, req.recorderUid, sid).shot('1001', 5).events;
    await handle.signal('agoraEvent', { events: late });
    const stopped = stopCapture(h.env.client, workflowId, { wait: true });
    gate.release();
    const result = await stopped;
    await keepHistory('handoff-rechecks', h.env.client, workflowId);
    expect(result).toMatchObject({ reason: 'stopped' });
    const status = await getCapture(h.env.client, workflowId);
    expect(status.screenshots['1001']?.count).toBe(1);
    expect(h.emulator.ledger().filter((e) => e.cname === req.channel)).toEqual([
      expect.objectContaining({ sid, active: false, stopCalls: 1 }),
    ]);
  }, 120_000);
});
