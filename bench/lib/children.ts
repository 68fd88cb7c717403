/**
 * Worker child processes the bench started, so that a bench killed or interrupted mid-run
 * takes them down too instead of leaving workers polling a dead server.
 */
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();

export function track<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** SIGKILLs every tracked child still running (synchronous: safe in an 'exit' handler). */
export function killTracked(): void {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

process.once('exit', killTracked);
