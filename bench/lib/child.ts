/**
 * One bench part (a worker, the receiver, the emulator) as a process of its own, so its CPU is
 * read from its own /proc entry, apart from the others' and the load generator's. It runs the
 * compiled JavaScript of `script` once {@link runCompiled} was called (what the bench does:
 * bench/lib/compiled.ts), else the TypeScript source through tsx.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { track } from './children';

const ROOT = path.join(__dirname, '..', '..');

let compiled: ((tsPath: string) => string) | undefined;

/** From now on, children run `map(script)` with plain node instead of `script` through tsx. */
export function runCompiled(map: (tsPath: string) => string): void {
  compiled = map;
}

/** How a child runs `script`: compiled, or through tsx. */
const scriptArgs = (script: string): string[] =>
  compiled ? [compiled(script)] : ['--import', 'tsx', script];

export interface Child {
  child: ChildProcess;
  pid: number;
  /** The first match of `ready` in its stdout. */
  ready: RegExpExecArray;
  output(): string;
  stop(): Promise<void>;
}

/**
 * BENCH_PROFILE=productWorker,receiver,...: the child whose env names itself BENCH_PART=<name>
 * runs with --cpu-prof (not allowed in NODE_OPTIONS) and writes its profile to
 * bench/results/profiles/<name>/ when it exits.
 */
function profileArgs(env: Record<string, string>): string[] {
  const name = env.BENCH_PART;
  if (!name || !(process.env.BENCH_PROFILE ?? '').split(',').includes(name)) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, 'bench', 'results', 'profiles', name)}`];
}

/** Starts `script` (from the project root) and resolves once its stdout matches `ready`. */
export function spawnChild(
  script: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 180_000,
): Promise<Child> {
  const child = track(
    spawn(process.execPath, [...profileArgs(env), ...scriptArgs(script), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let out = '';
  let matched = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} not ready in ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    child.stdout.on('data', (d: Buffer) => {
      out = matched ? (out + d.toString()).slice(-20_000) : out + d.toString();
      const m = matched ? null : ready.exec(out);
      if (!m) return;
      matched = true;
      clearTimeout(timer);
      resolve({
        child,
        pid: child.pid!,
        ready: m,
        output: () => out,
        stop: () =>
          new Promise<void>((res) => {
            if (child.exitCode !== null || child.signalCode !== null) return res();
            child.once('exit', () => res());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }),
      });
    });
    // Kept short: a chatty child must not fill memory over a long run.
    child.stderr.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      if (!matched) reject(new Error(`${script} exited (${code ?? sig}) before ready:\n${out}`));
    });
  });
}
