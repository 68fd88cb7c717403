/**
 * The timeline page of one capture, as the CLI writes it and the receiver's admin port serves
 * it: the stored manifest.json (read the way `agora-capture manifest` reads it), or, while
 * there is none yet or the capture still runs (its manifest.json then dates from an earlier
 * segment's end), one built now from a fresh listing and the capture's status without
 * writing it; then each screenshot's image source, then the HTML.
 */
import { getCapture } from '../api';
import { captureStorage } from '../cli/capture-storage';
import { readCaptureManifest } from '../cli/commands/manifest';
import type { CommandContext } from '../cli/context';
import { explainTemporalError } from '../cli/failures';
import { listAndBuild } from '../../storage/reconcile';
import type { Manifest } from '../../storage/manifest';
import { s3ClientFor } from '../../storage/s3-client';
import { embeddedSources, presignedSources } from './images';
import { PROVISIONAL_NOTE, recordFromStatus, staleNote } from './record-from-status';
import { renderTimeline } from './render';

export interface TimelineOptions {
  /** Embed the images as data: URIs; otherwise presigned URLs when the profile allows them. */
  embed?: boolean;
  /** Where AGORA_STORAGE_PROFILES is read. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Clock of a provisional manifest. Default Date.now. */
  now?: () => number;
}

export interface TimelinePage {
  html: string;
  manifest: Manifest;
  /** Where the manifest was read; undefined when it was built for this page. */
  storedAt?: string;
  /** Why the manifest was built for this page (none stored yet, or the stored one is older than the running capture). */
  provisional?: string;
  imageMode: 'presigned' | 'embedded';
  /** Embedding was chosen because the profile does not allow presigning. */
  presignRefused: boolean;
  images: number;
  missing: number;
}

/** Builds the page of `workflowId`; fails with a CliFailure sentence (no secret in it). */
export async function timelinePage(
  ctx: Pick<CommandContext, 'client' | 'settings'>,
  workflowId: string,
  opts: TimelineOptions = {},
): Promise<TimelinePage> {
  const storage = await captureStorage(ctx, workflowId, opts.env);
  const read = await readCaptureManifest(storage, workflowId);
  let manifest = read.manifest;
  let provisional = manifest ? undefined : PROVISIONAL_NOTE;
  // A running capture's manifest.json was written when an earlier segment ended (an operator
  // pause): everything since is missing from it, so the page is built now, as without one.
  if (manifest && (await storage.run()).status === 'RUNNING') {
    provisional = staleNote(manifest.generatedAt);
    manifest = undefined;
  }
  if (!manifest) {
    const client = await ctx.client();
    const status = await getCapture(client, workflowId).catch((e: unknown) => {
      throw explainTemporalError(e, ctx.settings, workflowId);
    });
    const nowMs = (opts.now ?? Date.now)();
    const record = recordFromStatus(
      status,
      {
        storageProfile: storage.request.storageProfile,
        fileNamePrefix: storage.prefix,
        captureIntervalSeconds: storage.request.snapshotConfig.captureInterval,
      },
      nowMs,
    );
    manifest = (await listAndBuild(record, storage.profile, { nowMs })).manifest;
  }
  const keys = Object.values(manifest.uids).flatMap((u) => u.keys.map((k) => k.key));
  const presignRefused = !opts.embed && !storage.target.presign;
  const imageMode = opts.embed || !storage.target.presign ? 'embedded' : 'presigned';
  const s3 = s3ClientFor(storage.target);
  // The URLs' validity starts when they are signed (now), whatever the manifest's age.
  const presignedAt = new Date().toISOString();
  let sources;
  try {
    sources =
      imageMode === 'embedded'
        ? await embeddedSources(s3, storage.target, keys)
        : await presignedSources(s3, storage.target, keys);
  } finally {
    s3.destroy();
  }
  const html = renderTimeline(manifest, {
    images: sources.images,
    imageMode,
    ...(imageMode === 'presigned' ? { presignSeconds: storage.target.presignSeconds, presignedAt } : {}),
    ...(provisional ? { provisional } : { where: read.where }),
    ...(sources.missingReason ? { missingReason: sources.missingReason } : {}),
  });
  return {
    html,
    manifest,
    ...(provisional ? { provisional } : { storedAt: read.where }),
    imageMode,
    presignRefused,
    images: sources.images.size,
    missing: keys.length - sources.images.size,
  };
}
