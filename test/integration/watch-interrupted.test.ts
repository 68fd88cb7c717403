/**
 * `agora-capture watch` (watchCapture) when Temporal answers the wait for a capture's end with
 * an error that is not the capture's end: it waits out what is transient and never reports an
 * end it did not see. The errors are injected by a gRPC interceptor on a client of the suite's
 * real dev server, into the one call that waits for the end (GetWorkflowExecutionHistory);
 * describe and the status query go through.
 */
import { InterceptingCall, type Interceptor, Metadata, status } from '@grpc/grpc-js';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getCapture, stopCapture, waitForCapture } from '../../client/api';
import { closeSafeRetryInterceptor } from '../../client/grpc-retry';
import { WatchInterruptedError, watchCapture } from '../../client/cli/watch';
import type { CliIo } from '../../client/cli/io';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { waitFor } from '../helpers/wait-for';

/** Answers the next `calls.left` history reads with `code` at once, without sending them. */
function failHistoryReads(code: status, calls: { left: number }): Interceptor {
  return (options, nextCall) => {
    if (!options.method_definition.path.endsWith('/GetWorkflowExecutionHistory') || calls.left <= 0)
      return new InterceptingCall(nextCall(options));
    calls.left--;
    return new InterceptingCall(nextCall(options), {
      start(_metadata, listener) {
        listener.onReceiveStatus({ code, details: `injected ${status[code]}`, metadata: new Metadata() });
      },
      sendMessage() {},
      halfClose() {},
    });
  };
}

const quietIo = (): CliIo & { text(): string } => {
  let out = '';
  return {
    isTTY: false,
    out: (s: string) => void (out += s),
    err: (s: string) => void (out += s),
    text: () => out,
  };
};

describe('watch when Temporal refuses the wait for the end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  async function clientFailing(code: status, calls: { left: number }) {
    // connectCloseSafe's retries, with the injected errors outside them: the SDK's retries would
    // otherwise hide a RESOURCE_EXHAUSTED from the watch that this file tests.
    // eslint-disable-next-line no-restricted-syntax -- its interceptors, closeSafeRetryInterceptor included
    const connection = await Connection.connect({
      address: inject('temporalAddress'),
      interceptors: [failHistoryReads(code, calls), closeSafeRetryInterceptor()],
    });
    return { client: new Client({ connection, namespace: 'default' }), close: () => connection.close() };
  }

  it('stops watching and says the state is unknown on PERMISSION_DENIED, while the capture runs on', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 300 }));
    await waitFor(async () => (await getCapture(h.env.client, workflowId)).phase === 'CAPTURING');
    const { client, close } = await clientFailing(status.PERMISSION_DENIED, { left: Infinity });
    try {
      const watching = watchCapture(client, workflowId, quietIo(), { intervalMs: 50 });
      await expect(watching).rejects.toBeInstanceOf(WatchInterruptedError);
      await expect(watching).rejects.toThrow(/whether the capture is still running is not known/);
      await expect(watching).rejects.not.toThrow(/failed/);
    } finally {
      await close();
    }
    expect((await h.env.client.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');
    await stopCapture(h.env.client, workflowId);
    expect((await waitForCapture(h.env.client, workflowId)).stopOutcome).toBe('stopped');
  });

  it('waits out RESOURCE_EXHAUSTED and reports the end it then sees', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 3 }));
    const calls = { left: 2 };
    const { client, close } = await clientFailing(status.RESOURCE_EXHAUSTED, calls);
    try {
      const outcome = await watchCapture(client, workflowId, quietIo(), { intervalMs: 50 });
      expect(calls.left).toBe(0);
      expect(outcome.kind).toBe('completed');
      if (outcome.kind === 'completed') expect(outcome.result.stopOutcome).toBe('stopped');
    } finally {
      await close();
    }
  });
});
