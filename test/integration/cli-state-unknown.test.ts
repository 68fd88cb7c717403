/**
 * The CLI when Temporal refuses the one call that would tell what a capture is: it says what is
 * not known instead of an end or an absence it did not see. The errors are injected by a gRPC
 * interceptor, on a client of the suite's real dev server, into one method; every other call
 * goes through.
 * - `watch` (watchCapture): the wait for the end (GetWorkflowExecutionHistory's long poll).
 * - `stop` on an ended capture: Temporal answers the signal "not found", and the describe that
 *   tells "ended" from "never existed" (DescribeWorkflowExecution) fails.
 */
import { InterceptingCall, type Interceptor, Metadata, status } from '@grpc/grpc-js';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getCapture, stopCapture, waitForCapture } from '../../client/api';
import { closeSafeRetryInterceptor } from '../../client/grpc-retry';
import { stop } from '../../client/cli/commands/stop';
import { cliSettings } from '../../client/cli/env';
import { CliFailure } from '../../client/cli/errors';
import { WatchInterruptedError, watchCapture } from '../../client/cli/watch';
import type { CliIo } from '../../client/cli/io';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { waitFor } from '../helpers/wait-for';

/** Answers the next `calls.left` calls of `method` with `code` at once, without sending them. */
function failCalls(method: string, code: status, calls: { left: number }): Interceptor {
  return (options, nextCall) => {
    if (!options.method_definition.path.endsWith(`/${method}`) || calls.left <= 0)
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

const HISTORY = 'GetWorkflowExecutionHistory';

const quietIo = (): CliIo & { text(): string } => {
  let out = '';
  return {
    isTTY: false,
    out: (s: string) => void (out += s),
    err: (s: string) => void (out += s),
    text: () => out,
  };
};

describe('the CLI when Temporal refuses to tell what a capture is', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  async function clientFailing(code: status, calls: { left: number }, method = HISTORY) {
    // connectCloseSafe's retries, with the injected errors outside them: the SDK's retries would
    // otherwise hide a RESOURCE_EXHAUSTED from the watch that this file tests.
    // eslint-disable-next-line no-restricted-syntax -- its interceptors, closeSafeRetryInterceptor included
    const connection = await Connection.connect({
      address: inject('temporalAddress'),
      interceptors: [failCalls(method, code, calls), closeSafeRetryInterceptor()],
    });
    return { client: new Client({ connection, namespace: 'default' }), close: () => connection.close() };
  }

  it('watch stops and says the state is unknown on PERMISSION_DENIED, while the capture runs on', async () => {
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

  it('watch waits out RESOURCE_EXHAUSTED and reports the end it then sees', async () => {
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

  it('stop of an ended capture whose describe fails says what is not known, not "no capture"', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 3 }));
    await waitForCapture(h.env.client, workflowId);
    const { client, close } = await clientFailing(
      status.UNAVAILABLE,
      { left: Infinity },
      'DescribeWorkflowExecution',
    );
    const io = quietIo();
    const ctx = {
      io,
      settings: cliSettings({ TEMPORAL_ADDRESS: inject('temporalAddress') }),
      client: () => Promise.resolve(client),
    };
    try {
      const stopping = stop([workflowId], ctx);
      await expect(stopping).rejects.toBeInstanceOf(CliFailure);
      await expect(stopping).rejects.toThrow(/whether the capture ended or never existed could not be read/);
      await expect(stopping).rejects.not.toThrow(/no capture/);
    } finally {
      await close();
    }
    expect(io.text()).toBe('');
  });
});
