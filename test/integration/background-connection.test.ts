/**
 * The receiver's Temporal connection (client/receiver/background-connection.ts): the Rust
 * client, connected in the background. Before Temporal answers, calls fail at once with
 * UNAVAILABLE (the receiver's 503); once a server listens there, the same connection serves;
 * after close(), nothing is served. A real dev server started on the port after the fact.
 */
import { Client, ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { BackgroundConnection } from '../../client/receiver/background-connection';
import { type DevServer, startDevServer } from '../helpers/dev-server';
import { freePort } from '../helpers/free-port';
import { waitFor } from '../helpers/wait-for';
import { installTestRuntime } from '../helpers/harness';

describe('BackgroundConnection', () => {
  const servers: DevServer[] = [];
  const serve = async (port: number) => {
    const s = await startDevServer({ port, setup: false });
    servers.push(s);
    return s;
  };
  let connection: BackgroundConnection | undefined;
  afterAll(async () => {
    await connection?.close();
    for (const s of servers) await s.stop();
  });

  it('fails calls with UNAVAILABLE while Temporal is down, serves once it is up, and nothing after close', async () => {
    installTestRuntime();
    const port = await freePort();
    connection = new BackgroundConnection({ address: `127.0.0.1:${port}` });
    const client = new Client({ connection });
    const signal = () => client.workflow.getHandle('background-connection/none').signal('nothing');

    // Down: a gRPC-shaped UNAVAILABLE (the receiver answers 503), not "no such workflow".
    const down = await signal().catch((e: unknown) => e);
    expect(down).toBeInstanceOf(ServiceError);
    expect((down as ServiceError).cause).toMatchObject({
      code: 14,
      details: expect.stringMatching(/not connected/),
    });
    await expect(connection.workflowService.getSystemInfo({})).rejects.toMatchObject({ code: 14 });

    // Up on the same address: the connection made in the background serves the same client.
    await serve(port);
    await connection.ensureConnected();
    await expect(signal()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect((await connection.workflowService.getSystemInfo({})).serverVersion).toBeTruthy();

    await connection.close();
    await expect(connection.workflowService.getSystemInfo({})).rejects.toMatchObject({ code: 14 });
  }, 60_000);

  it('after Temporal went away and came back on the same address, the connection serves again', async () => {
    installTestRuntime();
    const port = await freePort();
    const first = await serve(port);
    const conn = new BackgroundConnection({ address: `127.0.0.1:${port}` });
    try {
      await conn.ensureConnected();
      const info = () => conn.withDeadline(Date.now() + 2000, () => conn.workflowService.getSystemInfo({}));
      expect((await info()).serverVersion).toBeTruthy();

      await first.stop();
      // Down: the call fails within its deadline (the receiver answers 503).
      await expect(info()).rejects.toBeDefined();

      await serve(port);
      await waitFor(
        async () =>
          (await info().then(
            () => true,
            () => false,
          )) || undefined,
        {
          timeoutMs: 30_000,
          what: 'the same connection serving again',
        },
      );
    } finally {
      await conn.close();
    }
  }, 90_000);
});
