/**
 * `agora-capture start` on a Temporal server without update-with-start: the server answers the
 * start-and-wait UNIMPLEMENTED, the capture is started without waiting, and the CLI says that
 * nothing is known of Agora's session yet (never that Agora has not answered within the wait).
 * The client is a fake: the failing call throws the way the SDK does (a ServiceError whose cause
 * is the gRPC error), and the plain start succeeds.
 */
import { Metadata, status } from '@grpc/grpc-js';
import { type Client, ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { start } from '../../client/cli/commands/start';
import { cliSettings } from '../../client/cli/env';
import { EXIT } from '../../client/cli/errors';
import type { CliIo } from '../../client/cli/io';

const grpcError = (code: status, details: string) =>
  Object.assign(new Error(`${code} ${status[code]}: ${details}`), {
    code,
    details,
    metadata: new Metadata(),
  });

/** A server that refuses update-with-start and starts workflows; records what it was asked. */
function serverWithoutUpdateWithStart() {
  const calls = { updateWithStart: 0, start: 0 };
  const client = {
    options: { namespace: 'default' },
    workflow: {
      startUpdateWithStart: () => {
        calls.updateWithStart++;
        return Promise.reject(
          new ServiceError('Update-With-Start failed', {
            cause: grpcError(
              status.UNIMPLEMENTED,
              'unknown method ExecuteMultiOperation for service temporal.api.workflowservice.v1.WorkflowService',
            ),
          }),
        );
      },
      start: (_type: string, opts: { workflowId: string }) => {
        calls.start++;
        return Promise.resolve({ workflowId: opts.workflowId, firstExecutionRunId: 'run-1' });
      },
      // Before the start without waiting: the refused call started nothing.
      getHandle: (workflowId: string) => ({
        describe: () => Promise.reject(new WorkflowNotFoundError('not found', workflowId, undefined)),
      }),
    },
  } as unknown as Client;
  return { client, calls };
}

async function runStart(client: Client, ...extra: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false };
  const ctx = { io, settings: cliSettings({}), client: () => Promise.resolve(client) };
  const argv = ['--channel', 'room1', '--uid', '131', '--interval', '5', '--duration', '20s', ...extra];
  const code = await start(argv, ctx);
  return { code, out, err };
}

describe('start on a server without update-with-start', () => {
  it('says the server could not wait and nothing is known of the Agora session, not that Agora has not answered', async () => {
    const { client, calls } = serverWithoutUpdateWithStart();
    const r = await runStart(client);
    expect(calls).toEqual({ updateWithStart: 1, start: 1 });
    expect(r).toMatchObject({ code: EXIT.ok, err: '' });
    expect(r.out).toContain('started capture/room1/131 (run run-1)');
    expect(r.out).toContain(
      "the Temporal server could not wait for Agora's start (it has no update-with-start: it answered UNIMPLEMENTED), " +
        'so nothing is known of the Agora session yet; follow it with "agora-capture status capture/room1/131"',
    );
    expect(r.out).not.toContain('has not answered');
    expect(r.out).not.toContain('still retrying');
  });

  it('says so in --json too: waitUnsupported, and no sid or phase', async () => {
    const { client } = serverWithoutUpdateWithStart();
    const r = await runStart(client, '--json');
    expect(r.code).toBe(EXIT.ok);
    const out = JSON.parse(r.out) as Record<string, unknown>;
    expect(out).toMatchObject({
      workflowId: 'capture/room1/131',
      runId: 'run-1',
      started: true,
      waitUnsupported: true,
    });
    expect(out).not.toHaveProperty('sid');
    expect(out).not.toHaveProperty('phase');
  });
});
