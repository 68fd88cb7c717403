/** Small numeric helpers: percentiles, rounding, ratios (product ÷ baseline). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i]!;
}

export function summary(values: number[]): {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
} {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return {
    n: values.length,
    p50: r1(percentile(values, 50)),
    p95: r1(percentile(values, 95)),
    p99: r1(percentile(values, 99)),
    mean: r1(mean),
  };
}

export const r1 = (x: number) => Math.round(x * 10) / 10;
export const r2 = (x: number) => Math.round(x * 100) / 100;
export const ratio = (product: number, baseline: number) => r2(product / baseline);
