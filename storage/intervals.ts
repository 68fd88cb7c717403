/** Measure arithmetic on sets of [start, end) millisecond intervals. */

export type Span = readonly [number, number];

/** Sorted, non-overlapping spans covering the same instants (empty spans dropped). */
export function union(spans: readonly Span[]): Span[] {
  const sorted = spans.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Total length of the instants the spans cover. */
export function measure(spans: readonly Span[]): number {
  return union(spans).reduce((sum, [s, e]) => sum + (e - s), 0);
}

/** Length of the instants covered by `a` and not by `b`: |A| − |A ∩ B| = |A ∪ B| − |B|. */
export function measureWithout(a: readonly Span[], b: readonly Span[]): number {
  // Only the part of B inside A's hull can matter, but inclusion–exclusion needs no clipping.
  return measure([...a, ...b]) - measure(b);
}

/** Length of the overlap of two spans (0 when disjoint). */
export function overlap(x: Span, y: Span): number {
  return Math.max(0, Math.min(x[1], y[1]) - Math.max(x[0], y[0]));
}
