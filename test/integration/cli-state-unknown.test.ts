/**
 * The CLI when Temporal refuses the one call that would tell what a capture is: it says what is
 * not known instead of an end or an absence it did not see. The errors are injected by a gRPC
 * interceptor, on a client of the suite's real dev server, into one method; every other call
 * goes through.
 * - `watch` (watchCapture): the wait for the end (GetWorkflowExecutionHistory's long poll).
 * - `stop` on an ended capture: Temporal answers the signal "not found", and the describe that
 *   tells "ended" from "never existed" (DescribeWorkflowExecution) fails.
 * - `manifest` with no manifest in the bucket (the run's S3 server): the describe that tells
 *   "not yet" from "never" fails; and the describe that tells whether a manifest under the
 *   older per-id name is this capture's fails: that is Temporal's error, not the bucket's.
 * And with no error injected: `manifest` and `stop` in a namespace the server does not have.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { InterceptingCall, type Interceptor, Metadata, status } from '@grpc/grpc-js';
import { Client, Connection } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { getCapture, stopCapture, waitForCapture } from '../../client/api';
import { closeSafeRetryInterceptor, connectCloseSafe } from '../../client/grpc-retry';
import { manifest } from '../../client/cli/commands/manifest';
import { stop } from '../../client/cli/commands/stop';
import { cliSettings } from '../../client/cli/env';
import { CliFailure } from '../../client/cli/errors';
import { WatchInterruptedError, watchCapture } from '../../client/cli/watch';
import type { CliIo } from '../../client/cli/io';
import { manifestKeyFor } from '../../storage/manifest';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { s3StorageProfile, testS3Client } from '../helpers/s3';
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

  /** A client whose every DescribeWorkflowExecution fails with `code`. */
  const describeFailing = (code: status) =>
    clientFailing(code, { left: Infinity }, 'DescribeWorkflowExecution');

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
    const { client, close } = await describeFailing(status.UNAVAILABLE);
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

  it('stop in a namespace the server does not have says so, not "no capture" nor "could not be read"', async () => {
    const namespace = `nosuch-${randomBytes(3).toString('hex')}`;
    const connection = await connectCloseSafe({ address: inject('temporalAddress') });
    const io = quietIo();
    const address = inject('temporalAddress');
    const ctx = {
      io,
      settings: cliSettings({ TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace }),
      client: () => Promise.resolve(new Client({ connection, namespace })),
    };
    try {
      await expect(stop(['capture/room/1'], ctx)).rejects.toThrow(
        new CliFailure(`namespace ${namespace} does not exist on ${address}`),
      );
    } finally {
      await connection.close();
    }
    expect(io.text()).toBe('');
  });

  describe('manifest', () => {
    const s3 = inject('s3');
    const profiles = path.join(mkdtempSync(path.join(tmpdir(), 'cli-unknown-')), 'profiles.json');
    writeFileSync(profiles, JSON.stringify({ default: s3StorageProfile(s3) }));
    afterEach(() => void vi.unstubAllEnvs());

    /** Runs `manifest` with `client`; its CliFailure's message (it prints nothing: `io`). */
    async function manifestFailure(client: Client, workflowId: string, namespace = 'default') {
      vi.stubEnv('AGORA_STORAGE_PROFILES', profiles);
      const io = quietIo();
      const ctx = {
        io,
        settings: cliSettings({ TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: namespace }),
        client: () => Promise.resolve(client),
      };
      const e = await manifest([workflowId], ctx).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(CliFailure);
      expect(io.text()).toBe('');
      return (e as CliFailure).message;
    }

    /** A running capture whose screenshots go under a prefix of its own (none in the bucket). */
    async function runningCapture() {
      const prefix = ['cliunknown', randomBytes(4).toString('hex')];
      const { workflowId } = await h.start(captureRequest({ durationSeconds: 300, fileNamePrefix: prefix }));
      return { workflowId, prefix };
    }

    it('with no manifest and the describe failing, says the state could not be read, not "no manifest yet"', async () => {
      const { workflowId } = await runningCapture();
      const { client, close } = await describeFailing(status.UNAVAILABLE);
      try {
        const message = await manifestFailure(client, workflowId);
        expect(message).toMatch(
          /^no manifest found at s3:\/\/\S+, and the capture's state could not be read \(cannot reach Temporal at \S+: injected UNAVAILABLE\): whether it still runs and will write one is not known$/,
        );
        expect(message).not.toContain('no manifest yet');
      } finally {
        await close();
        await stopCapture(h.env.client, workflowId);
      }
    });

    it("names Temporal, not the bucket, when the describe telling whether an older manifest is this capture's fails", async () => {
      const { workflowId, prefix } = await runningCapture();
      const legacy = manifestKeyFor(prefix, workflowId);
      const bucket = testS3Client(s3);
      try {
        await bucket.send(
          new PutObjectCommand({
            Bucket: s3.bucket,
            Key: legacy,
            Body: JSON.stringify({ segments: [{ index: 0, sid: 'a'.repeat(32) }] }),
          }),
        );
      } finally {
        bucket.destroy();
      }
      const { client, close } = await describeFailing(status.PERMISSION_DENIED);
      try {
        const message = await manifestFailure(client, workflowId);
        expect(message).toContain(
          `s3://${s3.bucket}/${legacy} may be ${workflowId}'s, but which Agora sessions are its own could not be read from Temporal: Temporal: injected PERMISSION_DENIED`,
        );
        expect(message).not.toMatch(/^reading s3:/);
      } finally {
        await close();
        await stopCapture(h.env.client, workflowId);
      }
    });

    it('in a namespace the server does not have, says so, not "no capture"', async () => {
      const namespace = `nosuch-${randomBytes(3).toString('hex')}`;
      const connection = await connectCloseSafe({ address: inject('temporalAddress') });
      try {
        const message = await manifestFailure(
          new Client({ connection, namespace }),
          'capture/room/1',
          namespace,
        );
        expect(message).toBe(`namespace ${namespace} does not exist on ${inject('temporalAddress')}`);
      } finally {
        await connection.close();
      }
    });
  });
});
