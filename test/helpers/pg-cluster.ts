/**
 * A throwaway PostgreSQL 15 cluster (Debian's server binaries) in a temp folder, for the real
 * Temporal server tier. PostgreSQL refuses to run as root, so as root every command runs as the
 * `postgres` user; its Unix socket goes into the data folder (`-k`), not /var/run. Durability is
 * off (fsync, synchronous_commit): the cluster lives for one test run.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian's postgresql-15 package puts initdb, pg_ctl and postgres. */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  port: number;
  /** Superuser name (trust authentication on 127.0.0.1: no password). */
  user: string;
  stop(): Promise<void>;
}

/** Runs a PostgreSQL tool as the `postgres` user when we are root, else as ourselves. */
async function pgTool(tool: string, args: string[]): Promise<void> {
  const bin = path.join(PG_BIN, tool);
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  // cwd: runuser keeps ours, and postgres may not be allowed to read the caller's folder.
  await run(cmd, argv, { cwd: os.tmpdir(), timeout: 120_000 });
}

/** Creates and starts a cluster in `dataDir` (created; its parent must exist) on `port`. */
export async function startPgCluster(dataDir: string, port: number, user = 'temporal'): Promise<PgCluster> {
  if (!existsSync(path.join(PG_BIN, 'initdb')))
    throw new Error(
      `PostgreSQL server binaries not found in ${PG_BIN} (apt-get install postgresql-15, or set PG_BIN)`,
    );
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.getuid?.() === 0) {
    const pw = postgresIds();
    chmodSync(path.dirname(dataDir), 0o755);
    chownSync(dataDir, pw.uid, pw.gid);
  }
  await pgTool('initdb', ['-A', 'trust', '-U', user, '-D', dataDir, '--no-sync', '-E', 'UTF8']);
  const serverOpts = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-k ${dataDir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
  try {
    await pgTool('pg_ctl', [
      '-D',
      dataDir,
      '-w',
      '-t',
      '60',
      '-l',
      path.join(dataDir, 'server.log'),
      '-o',
      serverOpts,
      'start',
    ]);
  } catch (e) {
    throw new Error(`PostgreSQL did not start on port ${port}: ${(e as Error).message}\n${logTail(dataDir)}`);
  }
  let stopped = false;
  return {
    port,
    user,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pgTool('pg_ctl', ['-D', dataDir, '-w', '-t', '30', '-m', 'fast', 'stop']).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function postgresIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error('no `postgres` user (install postgresql-15)');
  return { uid: Number(uid), gid: Number(gid) };
}

function logTail(dataDir: string): string {
  try {
    return readFileSync(path.join(dataDir, 'server.log'), 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no server.log)';
  }
}
