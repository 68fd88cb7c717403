/**
 * What the CLI says of a session a closed capture run left open, read from the sweep's reaper
 * for it: "ended without an outcome; it may still bill" only when the reaper's run did end
 * without one, never when Temporal could not be asked for its result. The client is a fake that
 * describes the reaper with a given status and answers its result with a given error; the
 * errors are thrown the way the SDK does (gRPC errors wrapped in a ServiceError).
 */
import { Metadata, status } from '@grpc/grpc-js';
import { type Client, ServiceError, WorkflowFailedError } from '@temporalio/client';
import { RetryState, TerminatedFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { fateText, sessionFates } from '../../client/session-fates';
import type { ReapResult } from '../../workflows/reap-target';

const SID = 'dcdc3433'.padEnd(32, '0');
const SESSION = `resource-1:${SID}`;

const grpcError = (code: status) =>
  new ServiceError('Failed to get Workflow execution history', {
    cause: Object.assign(new Error(`${code} ${status[code]}: injected ${status[code]}`), {
      code,
      details: `injected ${status[code]}`,
      metadata: new Metadata(),
    }),
  });

/** A reaper Temporal describes as `closed` and whose result() settles with `result`. */
function reaperClient(closed: string, result: () => Promise<ReapResult>): Client {
  return {
    workflow: {
      getHandle: () => ({
        describe: () => Promise.resolve({ runId: 'reaper-run', status: { name: closed } }),
        result,
      }),
    },
  } as unknown as Client;
}

async function fateOf(client: Client) {
  const [fate] = await sessionFates(client, [SESSION]);
  return { fate: fate!, text: fateText(fate!) };
}

describe("a closed capture's open session, read from the sweep's reaper", () => {
  it.each(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'PERMISSION_DENIED'] as const)(
    'is unreadable, not "may still bill", when the result of a completed reaper cannot be read (%s)',
    async (name) => {
      const code = status[name];
      const { fate, text } = await fateOf(reaperClient('COMPLETED', () => Promise.reject(grpcError(code))));
      expect(fate.state).toBe('unreadable');
      expect(fate.error).toContain(`${code} ${status[code]}`);
      expect(text).toContain("the sweep's progress could not be read");
      expect(text).not.toContain('may still bill');
      expect(text).not.toContain('ended without an outcome');
    },
  );

  it('is reaper-failed, "may still bill", when the reaper run was terminated', async () => {
    const terminated = new WorkflowFailedError(
      'Workflow execution terminated',
      new TerminatedFailure('operator'),
      RetryState.NON_RETRYABLE_FAILURE,
    );
    const { fate, text } = await fateOf(reaperClient('TERMINATED', () => Promise.reject(terminated)));
    expect(fate.state).toBe('reaper-failed');
    expect(text).toMatch(/ended without an outcome \(TERMINATED: .*\); it may still bill$/);
  });

  it('is reaper-failed when Temporal describes the reaper as failed, even if its result cannot be read', async () => {
    const { fate } = await fateOf(
      reaperClient('FAILED', () => Promise.reject(grpcError(status.UNAVAILABLE))),
    );
    expect(fate.state).toBe('reaper-failed');
  });

  it("is done with the reaper's outcome when its result is read", async () => {
    const stopped: ReapResult = {
      outcome: 'stopped',
      resourceId: 'resource-1',
      sid: SID,
      captureWorkflowId: 'capture/room/1',
      captureRunId: 'capture-run',
    };
    const { fate, text } = await fateOf(reaperClient('COMPLETED', () => Promise.resolve(stopped)));
    expect(fate).toMatchObject({ state: 'done', outcome: 'stopped' });
    expect(text).toContain('stopped by the sweep');
  });
});
