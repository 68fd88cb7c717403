/**
 * The reconciled manifest of one capture: what is in the bucket (ListObjectsV2 of the prefix)
 * merged with what event-45 callbacks reported, per captured uid. Written as JSON beside the
 * screenshots; workflow history only ever holds its {@link ManifestSummary}.
 */

import type { Unannounced } from './unannounced';

/** A time interval in epoch milliseconds; an open end means "until the manifest was built". */
export interface TimeInterval {
  startMs: number;
  endMs?: number;
}

/** What the capture already knows, handed to the reconciliation (no secret, no file list). */
export interface CaptureRecord {
  workflowId: string;
  /**
   * The first run id of the capture's run chain (continue-as-new keeps it): names its manifest,
   * so a later capture under the same workflow id (same channel and recorder uid) writes its own.
   * Absent from records of workers before it (one manifest per workflow id then).
   */
  firstRunId?: string;
  channel: string;
  /** Name of the worker's storage profile. */
  storageProfile: string;
  /** The capture request's fileNamePrefix; default: the profile's. */
  fileNamePrefix?: string[];
  captureIntervalSeconds: number;
  /** Agora sessions of the capture; only keys of their sids count as the capture's (none without one). */
  segments: { index: number; sid?: string; startedAtMs: number; endedAtMs?: number }[];
  /** No subscribed video received (video-lost) or released by an operator (operator). */
  pauses: (TimeInterval & { kind: 'video-lost' | 'operator' })[];
  /**
   * Per captured uid, when Agora reported its video stopped (event 44) while the capture ran:
   * a uid expects no screenshot then. Capture-wide pauses are in `pauses`.
   */
  uidPauses?: Record<string, TimeInterval[]>;
  /** HA failover windows (bot gone until it rejoined); `index` n names the `bak<n>_` files after it. */
  failovers: (TimeInterval & { sid?: string; index?: number })[];
  /** Per captured uid, the event-45 tallies the workflow keeps. */
  callbackRecord: Record<string, { count: number; firstMs?: number; lastMs?: number }>;
  /** When the record was taken; open intervals end here. Default: the time of the reconciliation. */
  asOfMs?: number;
  /**
   * Set by a capture with a webhook, on its final reconciliation: the summary then lists (up
   * to `max`) the files found after each uid's last callback, for `screenshots.uploaded`.
   */
  announce?: { max: number };
}

/** Why there is no screenshot where one was expected. */
export type GapKind = 'video-lost' | 'operator-pause' | 'failover' | 'between-segments' | 'unexplained';

export interface ManifestGap {
  kind: GapKind;
  start: string;
  end: string;
  seconds: number;
}

export interface ManifestKey {
  key: string;
  capturedAt: string;
  sid: string;
  /** n of a `bak<n>_` file: written after the n-th (0-based) failover of its session. */
  failover?: number;
  size: number;
}

export interface UidManifest {
  /** Files found in the bucket (absent when the bucket could not be listed). */
  found?: number;
  /** Event-45 callbacks the capture received. */
  callbacks: number;
  /** Screenshots the interval and the unpaused time allow for (this uid's video-off time excluded). */
  expected: number;
  /** (found, or callbacks without a listing) / expected, at most 1. */
  coverage: number;
  first?: string;
  last?: string;
  bakFiles: number;
  /** Stretches longer than 1.5 intervals without a screenshot, with their likely cause. */
  gaps: ManifestGap[];
  keys: ManifestKey[];
}

export type ManifestSource = 'listed+callbacks' | 'callbacks-only';

export interface Manifest {
  version: 1;
  workflowId: string;
  channel: string;
  generatedAt: string;
  source: ManifestSource;
  /** Why the source is what it is (e.g. a vendor that cannot be listed). */
  note?: string;
  bucket?: string;
  /** The capture's prefix, `a/b/` (empty: bucket root). */
  prefix: string;
  /** Every prefix listed (the failover-before-prefix placement is listed too). */
  listedPrefixes: string[];
  captureIntervalSeconds: number;
  segments: { index: number; sid?: string; startedAt: string; endedAt?: string }[];
  /** Capture-wide stretches without screenshots: pauses, failovers, time between segments. */
  gaps: ManifestGap[];
  unpausedSeconds: number;
  expectedPerUid: number;
  totals: {
    uids: number;
    found?: number;
    bakFiles: number;
    callbacks: number;
    /** Files in the bucket whose event 45 never arrived (lost callbacks). */
    foundWithoutCallback?: number;
    /** Callbacks beyond the files found (announced, not in the bucket). */
    callbacksWithoutFile?: number;
  };
  uids: Record<string, UidManifest>;
  /** Objects under the prefix of another capture (other sid or channel), not counted. */
  otherKeys: number;
  /**
   * Screenshots of the channel under a sid this capture never learned, taken while one of its
   * segments without a sid ran: perhaps that segment's, perhaps another capture's. Not
   * counted (only files of the capture's known sids are); absent when there are none.
   */
  unattributed?: { keys: number; sids: string[] };
  /** Objects under the prefix that are not screenshots (manifests, other files). */
  unrecognisedKeys: number;
}

/** What the workflow keeps: counts and coverage, never the key list (history stays small). */
export interface ManifestSummary {
  /** Object key of manifest.json; absent when the bucket cannot be reached over S3. */
  manifestKey?: string;
  source: ManifestSource;
  note?: string;
  expectedPerUid: number;
  found?: number;
  callbacks: number;
  foundWithoutCallback?: number;
  uids: Record<string, { found?: number; callbacks: number; expected: number; coverage: number }>;
  /** Only when the record asked (`announce`): the files no callback announced (unannounced.ts). */
  unannounced?: Unannounced;
}

/** `a/b/` for ["a","b"], `` for none. */
export function prefixPath(prefix: readonly string[] | undefined): string {
  return prefix && prefix.length > 0 ? `${prefix.join('/')}/` : '';
}

/**
 * Where a capture's manifest lives: beside its screenshots, one per capture (captures may share
 * a prefix, and a capture may be started again under the same workflow id), named after the
 * workflow id and its run chain's first run id: `<prefix>/manifest_<encoded workflowId>_<firstRunId>.json`.
 * Without a run id, the name earlier workers wrote (`manifest_<encoded workflowId>.json`), which
 * the next capture under the same id overwrote. The name has no `__uid_s_`, so no screenshot
 * parser mistakes it for a screenshot.
 */
export function manifestKeyFor(
  prefix: readonly string[] | undefined,
  workflowId: string,
  firstRunId?: string,
): string {
  const run = firstRunId ? `_${encodeURIComponent(firstRunId)}` : '';
  return `${prefixPath(prefix)}manifest_${encodeURIComponent(workflowId)}${run}.json`;
}

/** The summary of a manifest (what the activity returns). */
export function summarize(m: Manifest, manifestKey: string | undefined): ManifestSummary {
  return {
    ...(manifestKey !== undefined ? { manifestKey } : {}),
    source: m.source,
    ...(m.note ? { note: m.note } : {}),
    expectedPerUid: m.expectedPerUid,
    ...(m.totals.found !== undefined ? { found: m.totals.found } : {}),
    callbacks: m.totals.callbacks,
    ...(m.totals.foundWithoutCallback !== undefined
      ? { foundWithoutCallback: m.totals.foundWithoutCallback }
      : {}),
    uids: Object.fromEntries(
      Object.entries(m.uids).map(([uid, u]) => [
        uid,
        {
          ...(u.found !== undefined ? { found: u.found } : {}),
          callbacks: u.callbacks,
          expected: u.expected,
          coverage: u.coverage,
        },
      ]),
    ),
  };
}
