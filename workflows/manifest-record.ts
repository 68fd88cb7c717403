/**
 * What the capture keeps for its reconciled manifest, and the record it hands to the
 * reconcileManifest activity: segments, pauses (operator, capture-wide video lost, and per uid
 * video off) and failovers as intervals, plus the event-45 tallies. Bounded (the state is
 * carried through continue-as-new) and free of file names. Pure; workflow code.
 */
import type { CaptureRecord, TimeInterval } from '../storage/manifest';
import type { CaptureRequest } from './request';
import type { CaptureState } from './state';
import { uidRecord } from './uid-record';

/** An interval in epoch ms as [start, end]; no end while it lasts. */
export type Stretch = [number, number?];

/** Agora's event-time stretches without video: every stream (`all`) and per uid. */
export interface PauseLog {
  all: Stretch[];
  uids: Record<string, Stretch[]>;
}

/**
 * Per list, at most this many stretches are kept (the oldest go first): a capture whose video
 * flaps more often than that counts the dropped stretches as expected time (coverage errs low).
 */
export const MAX_STRETCHES = 200;

function log(s: CaptureState): PauseLog {
  return (s.pauseLog ??= { all: [], uids: uidRecord() });
}

/** Opens a stretch at `atMs` unless one is open; closes the open one when `open` is false. */
function mark(list: Stretch[], open: boolean, atMs: number): void {
  const last = list.at(-1);
  const isOpen = last !== undefined && last[1] === undefined;
  if (open && !isOpen) {
    list.push([atMs]);
    if (list.length > MAX_STRETCHES) list.shift();
  } else if (!open && isOpen) last[1] = Math.max(last[0], atMs);
}

/** Event 44 applied: `uid`'s video is (not) received since `atMs`; `allLost`: no stream has video. */
export function noteVideoState(
  s: CaptureState,
  uid: string,
  receiving: boolean,
  allLost: boolean,
  atMs: number,
): void {
  const l = log(s);
  mark((l.uids[uid] ??= []), !receiving, atMs);
  mark(l.all, allLost, atMs);
}

const interval = ([startMs, endMs]: Stretch): TimeInterval =>
  endMs === undefined ? { startMs } : { startMs, endMs };

/** Operator pauses: from a segment released for a pause to the next segment's start (or now). */
function operatorPauses(s: CaptureState): TimeInterval[] {
  const out: TimeInterval[] = [];
  s.segments.forEach((g, i) => {
    if (g.endedBy !== 'operator-pause' || g.endedAtMs === undefined) return;
    const next = s.segments[i + 1];
    out.push(next ? { startMs: g.endedAtMs, endMs: next.startedAtMs } : { startMs: g.endedAtMs });
  });
  return out;
}

/**
 * The record for reconcileManifest as of `asOfMs`. Failovers: Agora's event 12 says when the
 * bot rejoined, not when it left, so each is a point in time (its `bak<n>_` index is what matters).
 */
export function captureRecord(s: CaptureState, request: CaptureRequest, asOfMs: number): CaptureRecord {
  const l = s.pauseLog ?? { all: [], uids: {} };
  const failoverCount: Record<string, number> = {};
  return {
    workflowId: s.workflowId,
    channel: request.channel,
    storageProfile: request.storageProfile,
    ...(request.fileNamePrefix ? { fileNamePrefix: request.fileNamePrefix } : {}),
    captureIntervalSeconds: request.snapshotConfig.captureInterval,
    segments: s.segments.map((g) => ({
      index: g.index,
      ...(g.sid ? { sid: g.sid } : {}),
      startedAtMs: g.startedAtMs,
      ...(g.endedAtMs !== undefined ? { endedAtMs: g.endedAtMs } : {}),
    })),
    pauses: [
      ...operatorPauses(s).map((p) => ({ ...p, kind: 'operator' as const })),
      ...l.all.map((x) => ({ ...interval(x), kind: 'video-lost' as const })),
    ],
    uidPauses: Object.fromEntries(Object.entries(l.uids).map(([uid, xs]) => [uid, xs.map(interval)])),
    failovers: s.failovers.map((f) => {
      const index = failoverCount[f.sid] ?? 0;
      failoverCount[f.sid] = index + 1;
      return { startMs: f.atMs, endMs: f.atMs, sid: f.sid, index };
    }),
    callbackRecord: Object.fromEntries(
      Object.entries(s.screenshots).map(([uid, t]) => [
        uid,
        { count: t.count, firstMs: t.firstMs, lastMs: t.lastMs },
      ]),
    ),
    asOfMs,
  };
}
