/**
 * Builds a capture's manifest from its record and, when the bucket could be listed, the
 * listing. Pure: no I/O, no clock (the caller passes `nowMs`), so it is tested directly.
 */
import { parseScreenshotKey } from '../agora/filenames';
import { measureWithout, overlap, type Span } from './intervals';
import type { ListedObject } from './list-objects';
import type {
  CaptureRecord,
  GapKind,
  Manifest,
  ManifestGap,
  ManifestKey,
  TimeInterval,
  UidManifest,
} from './manifest';

export interface ManifestSources {
  nowMs: number;
  /** The capture's effective fileNamePrefix. */
  prefix: string[];
  bucket?: string;
  /** Objects under the listed prefixes; undefined when the bucket cannot be listed. */
  listing?: ListedObject[];
  listedPrefixes: string[];
  note?: string;
}

/** A gap between two screenshots longer than this many intervals is reported. */
const GAP_FACTOR = 1.5;

const iso = (ms: number) => new Date(ms).toISOString();
const round3 = (x: number) => Math.round(x * 1000) / 1000;

interface KindedSpan {
  kind: GapKind;
  span: Span;
}

function gap(kind: GapKind, [s, e]: Span): ManifestGap {
  return { kind, start: iso(s), end: iso(e), seconds: round3((e - s) / 1000) };
}

/** Pauses, failovers and the time between segments, as spans with their kind. */
function captureGaps(record: CaptureRecord, close: (i: TimeInterval) => Span, segs: Span[]): KindedSpan[] {
  const out: KindedSpan[] = [
    ...record.pauses.map((p): KindedSpan => ({
      kind: p.kind === 'operator' ? 'operator-pause' : 'video-lost',
      span: close(p),
    })),
    ...record.failovers.map((f): KindedSpan => ({ kind: 'failover', span: close(f) })),
  ];
  const ordered = [...segs].sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ordered.length; i++) {
    const between: Span = [ordered[i - 1]![1], ordered[i]![0]];
    // An operator pause already explains the time between its two segments.
    if (between[1] > between[0] && !out.some((g) => overlap(g.span, between) >= between[1] - between[0]))
      out.push({ kind: 'between-segments', span: between });
  }
  return out.filter((g) => g.span[1] > g.span[0]).sort((a, b) => a.span[0] - b.span[0]);
}

/** The cause of a gap between two screenshots: the capture gap overlapping it most, if any. */
function classify(span: Span, gaps: KindedSpan[]): GapKind {
  let best: KindedSpan | undefined;
  let bestOverlap = 0;
  for (const g of gaps) {
    const o = overlap(span, g.span);
    if (o > bestOverlap) [best, bestOverlap] = [g, o];
  }
  return best?.kind ?? 'unexplained';
}

/** The manifest of `record`, merged with `sources.listing` when there is one. */
export function buildManifest(record: CaptureRecord, sources: ManifestSources): Manifest {
  const asOf = record.asOfMs ?? sources.nowMs;
  const close = (i: TimeInterval): Span => [i.startMs, Math.max(i.startMs, i.endMs ?? asOf)];
  const segs = record.segments.map((g) => close({ startMs: g.startedAtMs, endMs: g.endedAtMs }));
  const gaps = captureGaps(record, close, segs);
  const intervalMs = record.captureIntervalSeconds * 1000;
  const stopped = [...record.pauses, ...record.failovers].map(close);
  const unpausedMs = measureWithout(segs, stopped);
  const expectedAll = Math.floor(unpausedMs / intervalMs);
  const sids = new Set(record.segments.flatMap((g) => (g.sid ? [g.sid] : [])));
  // A segment whose sid was never learned (its start's answer lost, no callback named it): the
  // channel's files captured while it ran may be its own, but nothing proves it. They are
  // reported apart and never counted, as no file is counted without a sid of this capture.
  const sidless = segs.filter((_, i) => !record.segments[i]!.sid);
  const unattributedSids = new Set<string>();
  let unattributedKeys = 0;

  // Sort the listing into this capture's screenshots per uid, other captures' files, and the rest.
  const byUid = new Map<string, ManifestKey[]>();
  let otherKeys = 0;
  let unrecognisedKeys = 0;
  const seen = new Set<string>();
  for (const o of sources.listing ?? []) {
    if (seen.has(o.key)) continue;
    seen.add(o.key);
    const k = parseScreenshotKey(o.key);
    if (!k) {
      unrecognisedKeys += 1;
      continue;
    }
    if (k.cname !== record.channel || !sids.has(k.sid)) {
      const t = k.capturedAt.getTime();
      if (k.cname === record.channel && sidless.some(([a, b]) => t >= a && t <= b)) {
        unattributedKeys += 1;
        unattributedSids.add(k.sid);
      } else otherKeys += 1;
      continue;
    }
    const entry: ManifestKey = {
      key: o.key,
      capturedAt: k.capturedAt.toISOString(),
      sid: k.sid,
      ...(k.failoverIndex !== undefined ? { failover: k.failoverIndex } : {}),
      size: o.size,
    };
    byUid.set(k.uid, [...(byUid.get(k.uid) ?? []), entry]);
  }

  const listed = sources.listing !== undefined;
  const uidNames = [...new Set([...byUid.keys(), ...Object.keys(record.callbackRecord)])].sort();
  const uids: Record<string, UidManifest> = {};
  for (const uid of uidNames) {
    const keys = (byUid.get(uid) ?? []).sort((a, b) => a.capturedAt.localeCompare(b.capturedAt));
    const cb = record.callbackRecord[uid];
    const own = (record.uidPauses?.[uid] ?? []).map(close);
    const expected = own.length
      ? Math.floor(measureWithout(segs, [...stopped, ...own]) / intervalMs)
      : expectedAll;
    const callbacks = cb?.count ?? 0;
    const count = listed ? keys.length : callbacks;
    const times = keys.map((k) => Date.parse(k.capturedAt));
    const uidGaps: ManifestGap[] = [];
    for (let i = 1; i < times.length; i++) {
      const span: Span = [times[i - 1]!, times[i]!];
      // This uid's own video-off stretches (Agora's event 44) explain its gaps too.
      if (span[1] - span[0] > GAP_FACTOR * intervalMs)
        uidGaps.push(
          gap(classify(span, [...gaps, ...own.map((o) => ({ kind: 'video-lost' as const, span: o }))]), span),
        );
    }
    const first = listed ? times[0] : cb?.firstMs;
    const last = listed ? times.at(-1) : cb?.lastMs;
    uids[uid] = {
      ...(listed ? { found: keys.length } : {}),
      callbacks,
      expected,
      coverage: expected > 0 ? Math.min(1, round3(count / expected)) : 1,
      ...(first !== undefined ? { first: iso(first) } : {}),
      ...(last !== undefined ? { last: iso(last) } : {}),
      bakFiles: keys.filter((k) => k.failover !== undefined).length,
      gaps: uidGaps,
      keys,
    };
  }

  const all = Object.values(uids);
  const sum = (f: (u: UidManifest) => number) => all.reduce((n, u) => n + f(u), 0);
  return {
    version: 1,
    workflowId: record.workflowId,
    channel: record.channel,
    generatedAt: iso(sources.nowMs),
    source: listed ? 'listed+callbacks' : 'callbacks-only',
    ...(sources.note ? { note: sources.note } : {}),
    ...(sources.bucket !== undefined ? { bucket: sources.bucket } : {}),
    prefix: sources.prefix.length > 0 ? `${sources.prefix.join('/')}/` : '',
    listedPrefixes: sources.listedPrefixes,
    captureIntervalSeconds: record.captureIntervalSeconds,
    segments: record.segments.map((g) => ({
      index: g.index,
      ...(g.sid ? { sid: g.sid } : {}),
      startedAt: iso(g.startedAtMs),
      ...(g.endedAtMs !== undefined ? { endedAt: iso(g.endedAtMs) } : {}),
    })),
    gaps: gaps.map((g) => gap(g.kind, g.span)),
    unpausedSeconds: round3(unpausedMs / 1000),
    expectedPerUid: expectedAll,
    totals: {
      uids: all.length,
      ...(listed ? { found: sum((u) => u.found ?? 0) } : {}),
      bakFiles: sum((u) => u.bakFiles),
      callbacks: sum((u) => u.callbacks),
      ...(listed
        ? {
            foundWithoutCallback: sum((u) => Math.max(0, (u.found ?? 0) - u.callbacks)),
            callbacksWithoutFile: sum((u) => Math.max(0, u.callbacks - (u.found ?? 0))),
          }
        : {}),
    },
    uids,
    otherKeys,
    ...(unattributedKeys > 0
      ? { unattributed: { keys: unattributedKeys, sids: [...unattributedSids].sort() } }
      : {}),
    unrecognisedKeys,
  };
}
