/**
 * `agora-capture latest ID [--uid U] [--json]`: the newest screenshot per captured uid, from a
 * fresh listing of the bucket (so it works while the capture runs), with a presigned GET URL
 * when the storage profile allows presigning. Only files of the capture's own Agora sessions
 * count (the sids in its CaptureSids): an earlier capture under the same id, channel and prefix
 * left files there too.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { parseScreenshotKey } from '../../../agora/filenames';
import { listAllObjects } from '../../../storage/list-objects';
import { prefixPath } from '../../../storage/manifest';
import { s3ClientFor } from '../../../storage/s3-client';
import { captureId, parseCommand, str } from '../args';
import { captureStorage } from '../capture-storage';
import { type Command, printedHelp } from '../context';
import { CliFailure, EXIT, UsageError } from '../errors';

const OPTIONS = { uid: { type: 'string' }, json: { type: 'boolean' } } as const;

/** The newest screenshot of one uid. */
export interface LatestShot {
  uid: string;
  key: string;
  capturedAt: string;
  /** Presigned GET URL; absent when the profile sets s3.presign false. */
  url?: string;
  urlExpiresInSeconds?: number;
}

/** Runs `latest`. */
export const latest: Command = async (argv, ctx) => {
  const p = parseCommand('latest', argv, OPTIONS, 1);
  if (printedHelp(p, 'latest', ctx)) return EXIT.ok;
  const workflowId = captureId(p, 'latest');
  const onlyUid = str(p, 'uid');
  if (onlyUid !== undefined && !/^\d+$/.test(onlyUid))
    throw new UsageError(`--uid must be a captured user's numeric uid, got "${onlyUid}"`, 'latest');
  const { prefix, target, run } = await captureStorage(ctx, workflowId);
  const described = await run();
  const sids = new Set(described.sids);
  // "yet" only while the run goes on: an ended one will not add any.
  const ended = described.status === 'RUNNING' ? undefined : described.status;
  const client = s3ClientFor(target);
  try {
    const newest = new Map<string, { key: string; at: Date }>();
    let objects;
    try {
      objects = await listAllObjects(client, target.bucket, prefixPath(prefix));
    } catch (e) {
      throw new CliFailure(
        `listing s3://${target.bucket}/${prefixPath(prefix)}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
      );
    }
    for (const o of objects) {
      const k = parseScreenshotKey(o.key);
      // This capture's sessions only: the prefix may hold other captures' files, and an earlier
      // capture under the same id (same channel and recorder uid) left its own there.
      if (!k || !sids.has(k.sid) || (onlyUid !== undefined && k.uid !== onlyUid)) continue;
      const cur = newest.get(k.uid);
      if (!cur || k.capturedAt > cur.at) newest.set(k.uid, { key: o.key, at: k.capturedAt });
    }
    const shots: LatestShot[] = [];
    for (const [uid, { key, at }] of [...newest].sort(([a], [b]) => a.localeCompare(b))) {
      const shot: LatestShot = { uid, key, capturedAt: at.toISOString() };
      if (target.presign) {
        shot.url = await getSignedUrl(client, new GetObjectCommand({ Bucket: target.bucket, Key: key }), {
          expiresIn: target.presignSeconds,
        });
        shot.urlExpiresInSeconds = target.presignSeconds;
      }
      shots.push(shot);
    }
    if (p.values.json) {
      ctx.io.out(`${JSON.stringify(shots)}\n`);
      return EXIT.ok;
    }
    if (shots.length === 0) {
      const whose = onlyUid !== undefined ? `uid ${onlyUid}` : 'any uid';
      ctx.io.out(
        sids.size === 0
          ? ended
            ? `${workflowId} ended (${ended}) with no Agora session whose sid is known, so no screenshot of ${whose} can be named as its own\n`
            : `${workflowId} has no Agora session with a known sid yet, so no screenshot of ${whose} can be named as its own\n`
          : `no screenshot of ${whose} from this capture's Agora sessions (sid ${[...sids].join(', ')}) under s3://${target.bucket}/${prefixPath(prefix)}${ended ? ` (the capture ended: ${ended})` : ' yet'}\n`,
      );
      return EXIT.ok;
    }
    for (const s of shots) {
      ctx.io.out(`uid ${s.uid}  ${s.capturedAt}  ${s.key}\n`);
      ctx.io.out(s.url ? `  ${s.url}\n` : '  (no URL: the storage profile sets s3.presign false)\n');
    }
    return EXIT.ok;
  } finally {
    client.destroy();
  }
};
