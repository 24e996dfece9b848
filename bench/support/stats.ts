/** Summary statistics the benchmarks report: median and the min–max range of the runs. */

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
  /** Every measured value, in run order, so a reader can recompute anything. */
  readonly values: number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(values: readonly number[]): Summary {
  return {
    median: median(values),
    min: values.length ? Math.min(...values) : NaN,
    max: values.length ? Math.max(...values) : NaN,
    runs: values.length,
    values: [...values],
  };
}

/** `1.23 (1.10–1.40)`: a median and its range, with `digits` decimals. */
export function formatSummary(s: Summary | undefined, digits = 2): string {
  if (!s || !Number.isFinite(s.median)) return 'n/a';
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/** A ratio of medians, or NaN when the denominator is not positive. */
export function ratio(a: number, b: number): number {
  return b > 0 ? a / b : NaN;
}
