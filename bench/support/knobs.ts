/**
 * The environment knobs every benchmark reads. Defaults meet issue 12's minimums
 * (at least 5 alternating runs); BENCH_QUICK=1 makes a fast smoke run for development
 * whose figures are not meant to be reported.
 */

export const QUICK = process.env.BENCH_QUICK === '1';

/** An integer knob: `BENCH_<name>`, else the quick default under BENCH_QUICK, else the full default. */
export function intKnob(name: string, full: number, quick: number = full): number {
  const raw = process.env[name];
  if (raw !== undefined && raw !== '') {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} is '${raw}'; expected a positive integer`);
    return value;
  }
  return QUICK ? quick : full;
}

/** A list knob (comma-separated numbers), else the default list. */
export function listKnob(name: string, full: number[], quick: number[] = full): number[] {
  const raw = process.env[name];
  if (raw !== undefined && raw !== '') {
    return raw.split(',').map((s) => {
      const value = Number(s.trim());
      if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} has '${s}'; expected positive numbers`);
      return value;
    });
  }
  return QUICK ? quick : full;
}

/** Runs of every alternating A/B comparison. */
export const RUNS = intKnob('BENCH_RUNS', 5, 2);
