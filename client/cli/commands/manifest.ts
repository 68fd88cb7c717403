/** `agora-capture manifest ID [--json]`: prints the capture's reconciled manifest.json. */
import { readManifest } from '../../../storage/manifest-store';
import { type Manifest, manifestKeyFor } from '../../../storage/manifest';
import { s3ClientFor } from '../../../storage/s3-client';
import { captureId, parseCommand } from '../args';
import { type CaptureRun, type CaptureStorage, captureStorage } from '../capture-storage';
import { type Command, printedHelp } from '../context';
import { CliFailure, EXIT } from '../errors';

const OPTIONS = { json: { type: 'boolean' } } as const;

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** A manifest for a terminal: totals, then per uid its counts, gaps and keys with capture times. */
export function formatManifest(m: Manifest, where: string): string {
  const lines = [
    `manifest    ${where}`,
    `capture     ${m.workflowId} (channel ${m.channel}), generated ${m.generatedAt}`,
    `source      ${m.source}${m.note ? ` (${m.note})` : ''}`,
    `interval    ${m.captureIntervalSeconds}s; unpaused ${m.unpausedSeconds}s → ${m.expectedPerUid} expected per uid`,
    `segments    ${m.segments.map((s) => `#${s.index} ${s.sid ?? '(no sid)'} ${s.startedAt} → ${s.endedAt ?? 'running'}`).join('; ') || 'none'}`,
    `found       ${m.totals.found ?? '-'} files (${m.totals.bakFiles} bak), ${m.totals.callbacks} callbacks` +
      (m.totals.foundWithoutCallback
        ? `, ${m.totals.foundWithoutCallback} files whose callback was lost`
        : '') +
      (m.totals.callbacksWithoutFile ? `, ${m.totals.callbacksWithoutFile} callbacks without a file` : ''),
  ];
  // Capture-wide: when the capture itself expected nothing (a pause, a failover, between segments).
  for (const g of m.gaps) lines.push(`no capture  ${g.kind} ${g.start} → ${g.end} (${g.seconds}s)`);
  for (const [uid, u] of Object.entries(m.uids)) {
    lines.push(
      '',
      `uid ${uid}: ${u.found ?? '-'} found, ${u.callbacks} callbacks, ${u.expected} expected, coverage ${pct(u.coverage)}` +
        (u.bakFiles ? `, ${u.bakFiles} bak files` : ''),
    );
    // Per uid: between two of its screenshots, so it spans a capture-wide stretch and more.
    for (const g of u.gaps)
      lines.push(`  no screenshot ${g.start} → ${g.end} (${g.seconds}s between two files; likely ${g.kind})`);
    for (const k of u.keys)
      lines.push(
        `  ${k.capturedAt}  ${k.key}${k.failover !== undefined ? `  (after failover ${k.failover})` : ''}`,
      );
  }
  if (m.otherKeys) lines.push('', `${m.otherKeys} other captures' files under the prefix were not counted`);
  if (m.unattributed)
    lines.push(
      `${m.unattributed.keys} file${m.unattributed.keys === 1 ? '' : 's'} of this channel (sid ${m.unattributed.sids.join(', ')}) ${m.unattributed.keys === 1 ? 'was' : 'were'} taken while a segment whose sid was never learned ran: they may be its own, but nothing proves it, so they were not counted`,
    );
  return lines.join('\n');
}

/**
 * A capture's stored manifest.json, or undefined when none was written yet; `where` is its
 * s3:// URL. The one named for the current run chain; else the one workers before that naming
 * wrote per workflow id, if it is this capture's (one of its sessions is in it): a later capture
 * under the same id overwrote that name. A failed read names its source: the bucket, or Temporal
 * (which tells the capture's sessions).
 */
export async function readCaptureManifest(
  storage: Pick<CaptureStorage, 'prefix' | 'target' | 'firstRunId' | 'run'>,
  workflowId: string,
): Promise<{ manifest?: Manifest; key: string; where: string }> {
  const { prefix, target } = storage;
  const key = manifestKeyFor(prefix, workflowId, storage.firstRunId);
  const legacy = manifestKeyFor(prefix, workflowId);
  const url = (k: string) => `s3://${target.bucket}/${k}`;
  const client = s3ClientFor(target);
  let where = url(key);
  let older: Manifest | undefined;
  try {
    const manifest = await readManifest(client, target.bucket, key);
    if (manifest || key === legacy) return { ...(manifest ? { manifest } : {}), key, where };
    where = url(legacy);
    older = await readManifest(client, target.bucket, legacy);
  } catch (e) {
    throw new CliFailure(`reading ${where}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  } finally {
    client.destroy();
  }
  if (!older) return { key, where: url(key) };
  let own: Set<string>;
  try {
    own = new Set((await storage.run()).sids);
  } catch (e) {
    throw new CliFailure(
      `no manifest at ${url(key)}; ${where} may be ${workflowId}'s, but which Agora sessions are its own could not be read from Temporal: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (older.segments.some((g) => g.sid !== undefined && own.has(g.sid)))
    return { manifest: older, key: legacy, where };
  return { key, where: url(key) };
}

/**
 * Why there is none: not yet (it runs), never (terminated, timed out), not written (see status),
 * or not known (Temporal could not say what the capture is).
 */
async function whyNoManifest(storage: CaptureStorage, workflowId: string, where: string): Promise<string> {
  let x: CaptureRun;
  try {
    x = await storage.run();
  } catch (e) {
    return (
      `no manifest found at ${where}, and the capture's state could not be read (${e instanceof Error ? e.message : String(e)}): ` +
      'whether it still runs and will write one is not known'
    );
  }
  if (x.status === 'RUNNING')
    return `no manifest yet at ${where} (it is written when a segment or the capture ends)`;
  if (x.status === 'TERMINATED' || x.status === 'TIMED_OUT')
    return `no manifest at ${where}: the run was ${x.status}, and such a run writes none (the capture never reached its own end; its screenshots stay under the prefix)`;
  return `no manifest at ${where}: the capture ended (${x.status}) without writing one; "agora-capture status ${workflowId}" says why`;
}

/** Runs `manifest`. */
export const manifest: Command = async (argv, ctx) => {
  const p = parseCommand('manifest', argv, OPTIONS, 1);
  if (printedHelp(p, 'manifest', ctx)) return EXIT.ok;
  const workflowId = captureId(p, 'manifest');
  const storage = await captureStorage(ctx, workflowId);
  const { manifest: m, where } = await readCaptureManifest(storage, workflowId);
  if (!m) throw new CliFailure(await whyNoManifest(storage, workflowId, where));
  ctx.io.out(p.values.json ? `${JSON.stringify(m, null, 2)}\n` : `${formatManifest(m, where)}\n`);
  return EXIT.ok;
};
