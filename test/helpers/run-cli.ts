/**
 * Runs the operator CLI as a user does: `node bin/agora-capture …` as a child process, against
 * the suite's Temporal dev server on the given task queue. Never rejects: a failing command
 * comes back as its exit code and output.
 */
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';

const ROOT = path.join(__dirname, '..', '..');

/** What a CLI run printed and how it exited. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI's environment: the suite's Temporal address, `taskQueue`, and `env` on top. */
function cliEnv(taskQueue: string, env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    ...env,
  };
}

/** `agora-capture ...args` with the suite's Temporal address, `taskQueue`, and `env` on top. */
export function runCli(args: string[], taskQueue: string, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin', 'agora-capture'), ...args],
      {
        cwd: ROOT,
        timeout: 60_000,
        env: cliEnv(taskQueue, env),
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A CLI command left running: its output so far, and its end. */
export interface RunningCli {
  stdout(): string;
  exited(): boolean;
  done: Promise<CliRun>;
}

/** Like {@link runCli}, for a command that runs on (`watch`): its output can be read meanwhile. */
export function spawnCli(args: string[], taskQueue: string, env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'agora-capture'), ...args], {
    cwd: ROOT,
    env: cliEnv(taskQueue, env),
  });
  let out = '';
  let err = '';
  let exited = false;
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const done = new Promise<CliRun>((resolve) =>
    child.on('close', (code) => {
      exited = true;
      resolve({ code: code ?? 1, stdout: out, stderr: err });
    }),
  );
  return { stdout: () => out, exited: () => exited, done };
}
