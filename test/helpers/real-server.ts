/**
 * The real Temporal server (go.temporal.io/server v1.29.1, built once by
 * scripts/ensure-temporal-server.sh) on a throwaway PostgreSQL 15 cluster with SQL
 * visibility: what production runs, unlike the CLI's dev server (SQLite). Schemas come from
 * the module source with the server's own `sql` tool; the config is the module's
 * development-postgres12.yaml with every port moved to a free one. Only the `default`
 * namespace is created here; the capture's search attributes are the product's job (see
 * prepareCaptureServer).
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import YAML from 'yaml';
import { DEV_SERVER_DYNAMIC_CONFIG, type DevServer } from './dev-server';
import { freePort, freePortAtMost } from './free-port';
import { startPgCluster } from './pg-cluster';
import { connectCloseSafe } from '../../client/grpc-retry';

const run = promisify(execFile);

export const TEMPORAL_SERVER_VERSION = '1.29.1';
const ENV_NAME = 'development-postgres12';
/** PostgreSQL keeps membership ports in a smallint. */
const MAX_MEMBERSHIP_PORT = 32767;

/** Folder with the `server` and `sql` binaries (built on first use). */
export function temporalServerDir(): string {
  const script = path.join(__dirname, '..', '..', 'scripts', 'ensure-temporal-server.sh');
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** The server module's source (config and schemas), downloaded by the build. */
export function temporalServerModuleDir(): string {
  const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  return path.join(modCache, `go.temporal.io/server@v${TEMPORAL_SERVER_VERSION}`);
}

interface Ports {
  pg: number;
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  pprof: number;
  metrics: number;
  membership: Record<'frontend' | 'history' | 'matching' | 'worker', number>;
}

async function pickPorts(): Promise<Ports> {
  const membership = {
    frontend: await freePortAtMost(MAX_MEMBERSHIP_PORT),
    history: await freePortAtMost(MAX_MEMBERSHIP_PORT),
    matching: await freePortAtMost(MAX_MEMBERSHIP_PORT),
    worker: await freePortAtMost(MAX_MEMBERSHIP_PORT),
  };
  if (new Set(Object.values(membership)).size !== 4) return pickPorts();
  return {
    pg: await freePort(),
    frontend: await freePort(),
    frontendHttp: await freePort(),
    history: await freePort(),
    matching: await freePort(),
    worker: await freePort(),
    pprof: await freePort(),
    metrics: await freePort(),
    membership,
  };
}

/** Loads the temporal and visibility schemas with the server's own tool. */
async function loadSchemas(sqlTool: string, moduleDir: string, pgPort: number): Promise<void> {
  const schemas: [string, string][] = [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ];
  for (const [db, folder] of schemas) {
    const base = [
      '--plugin',
      'postgres12',
      '--ep',
      '127.0.0.1',
      '-p',
      String(pgPort),
      '-u',
      'temporal',
      '--db',
      db,
    ];
    const versioned = path.join(moduleDir, 'schema', 'postgresql', 'v12', folder, 'versioned');
    await run(sqlTool, [...base, 'create-database'], { timeout: 60_000 });
    await run(sqlTool, [...base, 'setup-schema', '-v', '0.0'], { timeout: 60_000 });
    await run(sqlTool, [...base, 'update-schema', '-d', versioned], { timeout: 120_000 });
  }
}

/** The module's development-postgres12.yaml with our ports, addresses and a quieter log. */
function writeConfig(moduleDir: string, root: string, ports: Ports): void {
  const configDir = path.join(root, 'config');
  mkdirSync(path.join(configDir, 'dynamicconfig'), { recursive: true });
  const doc = YAML.parse(
    readFileSync(path.join(moduleDir, 'config', `${ENV_NAME}.yaml`), 'utf8'),
  ) as ServerConfig;
  doc.log = { stdout: true, level: 'warn' };
  for (const store of Object.values(doc.persistence.datastores))
    store.sql.connectAddr = `127.0.0.1:${ports.pg}`;
  doc.global.pprof.port = ports.pprof;
  doc.global.metrics.prometheus.listenAddress = `127.0.0.1:${ports.metrics}`;
  const rpc = (name: 'frontend' | 'history' | 'matching' | 'worker', grpcPort: number) => {
    const svc = doc.services[name];
    if (!svc) throw new Error(`${ENV_NAME}.yaml has no services.${name}`);
    svc.rpc.grpcPort = grpcPort;
    svc.rpc.membershipPort = ports.membership[name];
  };
  rpc('frontend', ports.frontend);
  rpc('history', ports.history);
  rpc('matching', ports.matching);
  rpc('worker', ports.worker);
  const frontend = doc.services.frontend;
  if (frontend) frontend.rpc.httpPort = ports.frontendHttp;
  for (const cluster of Object.values(doc.clusterMetadata.clusterInformation))
    cluster.rpcAddress = `127.0.0.1:${ports.frontend}`;
  doc.dynamicConfigClient.filepath = path.join(configDir, 'dynamicconfig', 'development-sql.yaml');
  writeFileSync(path.join(configDir, `${ENV_NAME}.yaml`), YAML.stringify(doc));

  // The module's dynamic config, plus what the suite's dev server also gets.
  const dynPath = doc.dynamicConfigClient.filepath;
  copyFileSync(path.join(moduleDir, 'config', 'dynamicconfig', 'development-sql.yaml'), dynPath);
  const dyn = (YAML.parse(readFileSync(dynPath, 'utf8')) ?? {}) as Record<string, unknown>;
  for (const kv of DEV_SERVER_DYNAMIC_CONFIG) {
    const [key, value] = kv.split('=') as [string, string];
    dyn[key] = [{ value: Number(value) }];
  }
  // Listing captures polls visibility; the default per-instance RPS (10) throttles a busy suite.
  dyn['frontend.namespaceRPS.visibility'] = [{ value: 100 }];
  dyn['component.nexusoperations.callback.endpoint.template'] = [
    { value: `http://127.0.0.1:${ports.frontendHttp}/namespaces/{{.NamespaceName}}/nexus/callback` },
  ];
  writeFileSync(dynPath, YAML.stringify(dyn));
}

interface ServerConfig {
  log: unknown;
  persistence: { datastores: Record<string, { sql: { connectAddr: string } }> };
  global: { pprof: { port: number }; metrics: { prometheus: { listenAddress: string } } };
  services: Partial<
    Record<
      'frontend' | 'history' | 'matching' | 'worker',
      { rpc: { grpcPort: number; membershipPort: number; httpPort?: number } }
    >
  >;
  clusterMetadata: { clusterInformation: Record<string, { rpcAddress: string }> };
  dynamicConfigClient: { filepath: string };
}

/** Waits until the frontend answers, then creates the `default` namespace and waits for it. */
async function createDefaultNamespace(address: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  let conn: Connection | undefined;
  while (!conn) {
    if (child.exitCode !== null)
      throw new Error(`temporal server exited with code ${child.exitCode}:\n${tail(logFile)}`);
    if (Date.now() > deadline)
      throw new Error(`temporal server at ${address} did not serve within 90 s:\n${tail(logFile)}`);
    try {
      const c = await connectCloseSafe({
        address,
        connectTimeout: 1000,
      });
      await c.workflowService.getSystemInfo({});
      conn = c;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    await conn.workflowService.registerNamespace({
      namespace: 'default',
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    // The frontend's namespace cache refreshes on its own schedule: wait until it knows.
    for (;;) {
      try {
        await conn.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    await conn.close();
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts PostgreSQL and the Temporal server; `stop()` stops both and deletes their folders.
 * The server's log is kept in the temp folder until then (printed on a failed start).
 */
export async function startRealServer(): Promise<DevServer> {
  const binDir = temporalServerDir();
  const moduleDir = temporalServerModuleDir();
  const root = mkdtempSync(path.join(os.tmpdir(), 'agora-capture-temporal-'));
  const ports = await pickPorts();
  const pg = await startPgCluster(path.join(root, 'pg'), ports.pg);
  let child: ChildProcess | undefined;
  const cleanUp = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const c = child;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await pg.stop();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await loadSchemas(path.join(binDir, 'sql'), moduleDir, ports.pg);
    writeConfig(moduleDir, root, ports);
    const logFile = path.join(root, 'server.log');
    const log = openSync(logFile, 'a');
    child = spawn(
      path.join(binDir, 'server'),
      ['--root', root, '--config', 'config', '--env', ENV_NAME, '--allow-no-auth', 'start'],
      { cwd: root, stdio: ['ignore', log, log] },
    );
    closeSync(log);
    const address = `127.0.0.1:${ports.frontend}`;
    await createDefaultNamespace(address, child, logFile);
    const proc = child;
    return {
      address,
      port: ports.frontend,
      process: proc,
      stop: async (signal = 'SIGTERM') => {
        if (signal === 'SIGKILL') proc.kill('SIGKILL');
        await cleanUp();
      },
    };
  } catch (e) {
    await cleanUp();
    throw e;
  }
}
