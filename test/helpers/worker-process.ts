/** Runs `worker/main.ts` as a real child process, as production does, so tests can SIGKILL it. */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export interface WorkerProcess {
  child: ChildProcess;
  /** Output so far (stdout and stderr), for failure messages. */
  output(): string;
  /** stdout alone: the worker's log lines (JSON with LOG_FORMAT=json). */
  stdout(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

const ROOT = path.join(__dirname, '..', '..');

/**
 * Starts a worker and resolves once it prints "worker polling". `logLevel` defaults to WARN to
 * keep test output short; `script` (from the project root) defaults to the product's worker.
 */
export function spawnWorker(
  env: Record<string, string>,
  opts: {
    logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
    script?: string;
    /** How long bundling and connecting may take (default 60 s; a loaded machine needs more). */
    startTimeoutMs?: number;
  } = {},
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', opts.script ?? 'worker/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: opts.logLevel ?? 'WARN' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  const proc: WorkerProcess = {
    child,
    output: () => out,
    stdout: () => stdout,
    kill: (signal) =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
  return new Promise((resolve, reject) => {
    const limitMs = opts.startTimeoutMs ?? 60_000;
    const timer = setTimeout(
      () => reject(new Error(`worker did not start polling within ${limitMs / 1000} s:\n${out}`)),
      limitMs,
    );
    const onData = (d: Buffer) => {
      out += d.toString();
      stdout += d.toString();
      if (stdout.includes('worker polling')) {
        clearTimeout(timer);
        resolve(proc);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code ?? sig}) before polling:\n${out}`));
    });
  });
}
