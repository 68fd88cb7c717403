/**
 * What a user would write without Temporal: acquire → start → sleep → stop with undici
 * against the same emulator (bench/baseline/rest-calls.ts, the REST baseline's calls). Nothing
 * survives a crash, nothing retries; it shows what the durability costs. Same two figures:
 * sequential start latency (script start → Agora start received, matched by sid) and N
 * concurrent 1 s captures per second. Runs in the load generator's process.
 */
import { uniqueChannel } from '../../test/helpers/fixtures';
import { restAcquire, restStart, restStop } from '../baseline/rest-calls';
import type { Stack } from '../lib/stack';
import { pool, sleep } from '../lib/pool';
import { r1, summary } from '../lib/stats';

/** One capture, the naive way; returns its sid. */
async function capture(base: string, seconds: number): Promise<string> {
  const cname = uniqueChannel('plain');
  const resourceId = await restAcquire(base, cname);
  const sid = await restStart(base, cname, resourceId);
  await sleep(seconds * 1000);
  await restStop(base, cname, resourceId, sid);
  return sid;
}

export async function plainScript(stack: Stack, starts: number, n: number) {
  const runs: { t0: number; sid: string }[] = [];
  for (let i = 0; i < starts; i++) {
    const t0 = Date.now();
    runs.push({ t0, sid: await capture(stack.emulator.url, 0) });
  }
  const startAt = new Map<string, number>();
  for (const q of await stack.emulator.requests())
    if (q.endpoint === 'start' && q.status === 200 && q.sid) startAt.set(q.sid, q.at);
  const latency = runs.map((r) => startAt.get(r.sid)! - r.t0);
  const t0 = Date.now();
  await pool(n, 64, () => capture(stack.emulator.url, 1));
  const s = (Date.now() - t0) / 1000;
  return { startLatencyMs: summary(latency), lifecycle: { n, seconds: r1(s), perSecond: r1(n / s) } };
}
