/**
 * A capture's record rebuilt from its `status` query, for a capture whose manifest.json does
 * not exist yet. The status keeps segments, failover times and event-45 tallies, but only the
 * totals of video-lost pauses, so those cannot be placed on the axis; operator pauses are the
 * time between a segment released on pause and the next one.
 */
import type { CaptureRecord } from '../../storage/manifest';
import type { CaptureStatus } from '../../workflows/status';

/** What the page says about a manifest built this way. */
export const PROVISIONAL_NOTE =
  'no manifest.json yet: built now from a fresh listing and the capture status (video-lost pauses are not placed; failovers are instants)';

/** What the page says when a running capture's manifest.json (from an earlier segment's end) is set aside. */
export function staleNote(generatedAt: string): string {
  return `the capture still runs and its manifest.json dates from an earlier segment's end (${generatedAt}): built now from a fresh listing and the capture status (video-lost pauses are not placed; failovers are instants)`;
}

const ms = (iso: string) => Date.parse(iso);

/** The record of `status`; `asOfMs` closes what is still open (a running capture). */
export function recordFromStatus(
  status: CaptureStatus,
  request: { storageProfile: string; fileNamePrefix: string[]; captureIntervalSeconds: number },
  asOfMs: number,
): CaptureRecord {
  const segments = [...status.segments].sort((a, b) => a.index - b.index);
  const pauses: CaptureRecord['pauses'] = [];
  segments.forEach((g, i) => {
    if (g.endedBy !== 'operator-pause' || g.endedAt === undefined) return;
    const next = segments[i + 1];
    pauses.push({ kind: 'operator', startMs: ms(g.endedAt), ...(next ? { endMs: ms(next.startedAt) } : {}) });
  });
  // bak<n>_ names count failovers per session: the n-th failover of a sid is index n.
  const perSid = new Map<string, number>();
  const failovers = status.failovers.map((f) => {
    const index = perSid.get(f.sid) ?? 0;
    perSid.set(f.sid, index + 1);
    return { startMs: ms(f.at), endMs: ms(f.at), sid: f.sid, index };
  });
  return {
    workflowId: status.workflowId,
    channel: status.channel,
    storageProfile: request.storageProfile,
    fileNamePrefix: request.fileNamePrefix,
    captureIntervalSeconds: request.captureIntervalSeconds,
    segments: segments.map((g) => ({
      index: g.index,
      ...(g.sid ? { sid: g.sid } : {}),
      startedAtMs: ms(g.startedAt),
      ...(g.endedAt ? { endedAtMs: ms(g.endedAt) } : {}),
    })),
    pauses,
    failovers,
    callbackRecord: Object.fromEntries(
      Object.entries(status.screenshots).map(([uid, t]) => [
        uid,
        { count: t.count, firstMs: ms(t.first), lastMs: ms(t.last) },
      ]),
    ),
    asOfMs: status.endedAt ? ms(status.endedAt) : asOfMs,
  };
}
