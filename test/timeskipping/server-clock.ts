/**
 * The time-skipping server's clock for the emulator. The emulator's `now()` is synchronous, so
 * the clock is re-read from the server before every Agora REST call (a local proxy in front of
 * the emulator does that), and runs on with real time in between. Token expiry, billing and
 * the ledger's start and end times are then in the same (skipped) time as the workflow's.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

export class ServerClock {
  private base = Date.now();
  private real = Date.now();

  constructor(private readonly env: TestWorkflowEnvironment) {}

  /** The server's time, as of the last sync plus the real time since. */
  now = (): number => this.base + (Date.now() - this.real);

  async sync(): Promise<void> {
    const t = await this.env.currentTimeMs();
    this.base = t;
    this.real = Date.now();
  }
}

/** An HTTP proxy to `target` that syncs `clock` before forwarding each request. */
export async function clockSyncingProxy(
  target: string,
  clock: ServerClock,
): Promise<{ url: string; close: () => Promise<void> }> {
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      clock.sync().then(
        () => {
          const out = request(
            {
              host: to.hostname,
              port: to.port,
              method: req.method,
              path: req.url,
              headers: req.headers,
            },
            (answer) => {
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(res);
            },
          );
          out.on('error', () => res.destroy());
          out.end(Buffer.concat(chunks));
        },
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
