/**
 * Starts the official Temporal CLI dev server as a child process, with the same dynamic config
 * the project's dev stack ships, then prepares it with `setupNamespace` (search attributes,
 * sweep schedule) as `agora-capture setup` does: the tests run on a server set up the product's way.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { setupNamespace } from '../../client/setup';
import { freePort } from './free-port';
import { connectCloseSafe } from '../../client/grpc-retry';

export const DEV_SERVER_DYNAMIC_CONFIG = ['history.transferProcessorMaxPollRPS=1000'];

export function temporalCliPath(): string {
  const script = path.join(__dirname, '..', '..', 'scripts', 'ensure-temporal.sh');
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

export interface DevServer {
  address: string;
  port: number;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startDevServer(
  opts: {
    port?: number;
    dbFilename?: string;
    extraArgs?: string[];
    /** false: a bare server, nothing registered (default: prepared with setupNamespace). */
    setup?: boolean;
  } = {},
): Promise<DevServer> {
  const cli = temporalCliPath();
  const port = opts.port ?? (await freePort());
  const args = [
    'server',
    'start-dev',
    '--headless',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    'default',
  ];
  for (const kv of DEV_SERVER_DYNAMIC_CONFIG) args.push('--dynamic-config-value', kv);
  if (opts.dbFilename) args.push('--db-filename', opts.dbFilename);
  args.push('--log-level', 'error', ...(opts.extraArgs ?? []));
  const child = spawn(cli, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const address = `127.0.0.1:${port}`;
  await waitServing(address, child);
  if (opts.setup !== false) await prepare(address);
  return {
    address,
    port,
    process: child,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** `agora-capture setup` on the default namespace and task queue. */
async function prepare(address: string): Promise<void> {
  const connection = await connectCloseSafe({ address });
  try {
    await setupNamespace(new Client({ connection, namespace: 'default' }), {
      namespace: 'default',
      taskQueue: 'agora-capture',
    });
  } finally {
    await connection.close();
  }
}

async function waitServing(address: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal dev server exited with code ${child.exitCode}`);
    try {
      const conn = await connectCloseSafe({
        address,
        connectTimeout: 1000,
      });
      await conn.workflowService.getSystemInfo({});
      await conn.close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`temporal dev server at ${address} did not start within 30 s`);
}
