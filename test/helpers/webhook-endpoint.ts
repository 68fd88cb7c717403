/**
 * A customer's webhook endpoint for tests: a real HTTP server on 127.0.0.1 that records every
 * request (headers and raw body) and follows a script: answer with given statuses, or go
 * away (port closed) for a while and come back on the same port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The webhook secret the tests give their workers (32 bytes). Workflow histories must never
 * hold it: test/integration/zz-no-secrets-in-history.test.ts scans for its key part.
 */
export const WEBHOOK_TEST_SECRET = `whsec_${Buffer.from('agora-capture webhook test key!!').toString('base64')}`;

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** What the endpoint answered. */
  status: number;
  atMs: number;
}

export interface WebhookEndpoint {
  url: string;
  received: ReceivedWebhook[];
  /** When the port was closed and reopened, if the script did that. */
  outage: { closedAtMs?: number; reopenedAtMs?: number };
  close(): Promise<void>;
}

/**
 * `failFirst` requests answer 503; then, when `downForMs` is set, the port closes for that
 * long (connections refused) and reopens; every later request answers 204.
 */
export async function startWebhookEndpoint(
  opts: { failFirst?: number; downForMs?: number; path?: string } = {},
): Promise<WebhookEndpoint> {
  const received: ReceivedWebhook[] = [];
  const outage: WebhookEndpoint['outage'] = {};
  let closing = false;
  let reopenTimer: NodeJS.Timeout | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const failing = received.length < (opts.failFirst ?? 0);
      const status = failing ? 503 : 204;
      received.push({
        id: String(req.headers['webhook-id'] ?? ''),
        timestamp: String(req.headers['webhook-timestamp'] ?? ''),
        signature: String(req.headers['webhook-signature'] ?? ''),
        body: Buffer.concat(chunks).toString('utf8'),
        status,
        atMs: Date.now(),
      });
      res.writeHead(status, { connection: 'close' }).end();
      if (failing && received.length === opts.failFirst && opts.downForMs) goDown(opts.downForMs);
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;

  function goDown(ms: number): void {
    outage.closedAtMs = Date.now();
    server.close();
    server.closeAllConnections();
    reopenTimer = setTimeout(reopen, ms);
  }
  // The port can be briefly taken (an outgoing connection's local port): try again, so the
  // endpoint comes back as scripted instead of leaving an unhandled rejection.
  function reopen(): void {
    if (closing) return;
    listen(port).then(
      () => void (outage.reopenedAtMs = Date.now()),
      () => void (reopenTimer = setTimeout(reopen, 50)),
    );
  }

  return {
    url: `http://127.0.0.1:${port}${opts.path ?? '/hooks/agora'}`,
    received,
    outage,
    close: async () => {
      closing = true;
      clearTimeout(reopenTimer);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
