/** A process's RSS and CPU time from /proc (Linux), to weigh each process of the bench. */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** Fields after the command name of /proc/<pid>/stat (index 0 = state), or undefined if gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds used so far (fields 14 and 15 of /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / TICKS : 0;
}

/**
 * CPU seconds of a process and every live descendant (the dev server and tsx-launched children
 * may fork): a process's own figure would miss work done in its children.
 */
export function treeCpuSeconds(root: number): number {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const ppid = Number(statFields(pid)?.[1]);
    if (!Number.isInteger(ppid)) continue;
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    total += cpuSeconds(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/**
 * CPU seconds of each named process right now: its tree, except this process's own figure
 * (every other part of the bench is a descendant of it).
 */
export function cpuSnapshot(pids: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(pids).map(([k, pid]) => [k, pid === process.pid ? cpuSeconds(pid) : treeCpuSeconds(pid)]),
  );
}

/** Per-process CPU between two snapshots, in ms per unit of work (e.g. per capture). */
export function cpuMsPer(
  before: Record<string, number>,
  after: Record<string, number>,
  units: number,
): Record<string, number> {
  return Object.fromEntries(
    Object.keys(after).map((k) => [k, Math.round((((after[k] ?? 0) - (before[k] ?? 0)) * 1000) / units)]),
  );
}
