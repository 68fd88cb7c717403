/**
 * The reconciled manifest, from the workflow's side: after a segment's session is stopped
 * while the capture goes on, and after the capture's final stop, the reconcileManifest
 * activity lists the bucket, merges the listing with the record the workflow keeps
 * (manifest-record.ts) and writes manifest.json; the workflow keeps only the summary
 * (`s.manifest`, in status and result). Storage never holds up or fails a capture: a segment's
 * reconciliation runs beside the capture loop, the final one after the Agora stop, and a
 * failure only marks the summary `unavailable` with the reason. Workflow code.
 */
import { log, patched, proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { ManifestActivities, ManifestSummary } from '../activities/manifest';
import { failureMessage, failureType } from './failure-type';
import type { CaptureMachine } from './machine';
import { captureRecord } from './manifest-record';
import { ANNOUNCE_LISTED_FILES, LEAN_HISTORY, RECONCILED_MANIFEST, since } from './patches';
import type { CaptureState } from './state';
import type { ManifestResult } from './status';
import { emitWebhook } from './webhooks/emit';
import { workflowLocal } from './workflow-local';

/**
 * On the capture's own task queue (not Agora's rate-limited one). The S3 client retries
 * transient errors itself and gives up on a silent server (storage/s3-client.ts); one more
 * attempt here covers a worker lost mid-listing. Few and short, because the capture's result
 * waits for the final reconciliation.
 */
const { reconcileManifest } = proxyActivities<ManifestActivities>({
  startToCloseTimeout: '2m',
  // Heartbeats come per listed page; a request the S3 client gives up on takes 3 × 10 s.
  heartbeatTimeout: '45s',
  retry: {
    initialInterval: '1s',
    maximumAttempts: 2,
    nonRetryableErrorTypes: ['StorageAccessError', 'StorageProfileNotFound', 'WorkerConfigError'],
  },
  summary: 'reconcile manifest.json with the bucket',
});

/**
 * The final reconciliation as a local activity (since LEAN_HISTORY): the capture's result waits
 * for it anyway, so running it inside the workflow task that follows the stop saves a task
 * queue round trip and five history events per capture. Same attempts; a listing longer than
 * the workflow task timeout is fine (sdk-core keeps the task alive while a local activity runs).
 */
const finalReconcile = proxyLocalActivities<ManifestActivities>({
  startToCloseTimeout: '2m',
  retry: {
    initialInterval: '1s',
    maximumAttempts: 2,
    nonRetryableErrorTypes: ['StorageAccessError', 'StorageProfileNotFound', 'WorkerConfigError'],
  },
  localRetryThreshold: '10s',
  summary: 'reconcile manifest.json with the bucket',
}).reconcileManifest;

/** The segment reconciliations still running, in order (the latest manifest must win); per workflow. */
const chain = workflowLocal('manifest', () => ({ pending: Promise.resolve<void>(undefined) }));

const iso = (ms: number) => new Date(ms).toISOString();

function fromSummary(x: ManifestSummary, after: ManifestResult['after'], atMs: number): ManifestResult {
  return {
    status: x.manifestKey !== undefined ? 'written' : 'callbacks-only',
    source: x.source,
    ...(x.manifestKey !== undefined ? { manifestKey: x.manifestKey } : {}),
    ...(x.note ? { note: x.note } : {}),
    at: iso(atMs),
    after,
    expectedPerUid: x.expectedPerUid,
    ...(x.found !== undefined ? { found: x.found } : {}),
    callbacks: x.callbacks,
    ...(x.foundWithoutCallback !== undefined ? { foundWithoutCallback: x.foundWithoutCallback } : {}),
    uids: x.uids,
  };
}

/** Without a manifest: what the callbacks alone say, and why there is nothing more. */
function unavailable(
  s: CaptureState,
  after: ManifestResult['after'],
  atMs: number,
  why: string,
): ManifestResult {
  const uids = Object.fromEntries(
    Object.entries(s.screenshots).map(([uid, t]) => [uid, { callbacks: t.count }]),
  );
  return {
    status: 'unavailable',
    source: 'callbacks-only',
    note: why,
    at: iso(atMs),
    after,
    callbacks: Object.values(s.screenshots).reduce((n, t) => n + t.count, 0),
    uids,
  };
}

/**
 * Files announced from the final listing, at most: each is about 150 bytes in the local
 * activity's result (history); a capture missing more callbacks than this has a broken
 * callback path, and manifest.json lists every file.
 */
const ANNOUNCE_MAX = 500;

/**
 * The files the final listing found after each uid's last callback go to the webhook as
 * `screenshots.uploaded` (marked `source: 'listing'`), before capture.ended: their callbacks
 * came too late or never. Asked only when there are some, so only such histories carry the
 * patch's marker; a summary from before it (no `unannounced`) announces nothing.
 */
function announceListed(summary: ManifestSummary): void {
  const files = summary.unannounced?.files ?? [];
  if (files.length === 0 || !patched(ANNOUNCE_LISTED_FILES)) return;
  for (const f of files) emitWebhook('screenshots.uploaded', { ...f, source: 'listing' });
  if (summary.unannounced!.more > 0)
    log.warn('more screenshots without a callback than a webhook announces; manifest.json lists them', {
      announced: files.length,
      more: summary.unannounced!.more,
    });
}

/** One reconciliation; never throws (a cancellation included: the capture decides on those). */
async function reconcile(m: CaptureMachine, after: ManifestResult['after']): Promise<void> {
  if (!since(RECONCILED_MANIFEST)) return;
  const { s } = m;
  const atMs = Date.now();
  const run = after === 'capture' && patched(LEAN_HISTORY) ? finalReconcile : reconcileManifest;
  // At the end, a capture with a webhook asks which listed files no callback announced.
  const announce = after === 'capture' && m.request.webhook ? { announce: { max: ANNOUNCE_MAX } } : {};
  try {
    // Named for the run chain, so the next capture under this workflow id does not overwrite it.
    const chain = { firstRunId: workflowInfo().firstExecutionRunId };
    const summary = await run({ ...captureRecord(s, m.request, atMs), ...chain, ...announce });
    s.manifest = fromSummary(summary, after, atMs);
    announceListed(summary);
  } catch (err) {
    const type = failureType(err);
    s.manifest = unavailable(s, after, atMs, `${type ? `${type}: ` : ''}${failureMessage(err)}`);
  }
}

/**
 * A segment's session was stopped. While the capture goes on, its manifest is reconciled
 * beside the loop (never delaying it); once the capture is ending, the final reconciliation
 * covers the segment.
 */
export function segmentStopped(m: CaptureMachine): void {
  if (m.s.endReason !== undefined) return;
  const c = chain();
  c.pending = c.pending.then(() => reconcile(m, 'segment'));
}

/** Resolves once the segment reconciliations started so far are done (before continue-as-new). */
export function manifestSettled(): Promise<void> {
  return chain().pending;
}

/** After the capture's final stop (never before it): the manifest of the whole capture. */
export async function captureEnded(m: CaptureMachine): Promise<void> {
  await chain().pending;
  await reconcile(m, 'capture');
}
