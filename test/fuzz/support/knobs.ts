/**
 * How much the fuzz tests run. `FUZZ_RUNS` scales every property's default run
 * count (`FUZZ_RUNS=10` runs ten times as many inputs, `FUZZ_RUNS=0.1` a tenth);
 * `FUZZ_SEED` picks other inputs. The defaults keep the fuzz suite to a couple of
 * minutes on a two-core machine and make its counts reproducible, which is what
 * docs/evidence/fuzz-counts.json records.
 */
export const DEFAULT_SEED = 20261206;

export const FUZZ_SCALE = Number(process.env.FUZZ_RUNS ?? '1');
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? DEFAULT_SEED);

if (!(FUZZ_SCALE > 0) || !Number.isInteger(FUZZ_SEED)) {
  throw new Error(`FUZZ_RUNS must be a positive number and FUZZ_SEED an integer (got '${process.env.FUZZ_RUNS}', '${process.env.FUZZ_SEED}')`);
}

/** Whether this run uses the defaults, so its counts can be compared with the committed evidence. */
export const DEFAULT_KNOBS = FUZZ_SCALE === 1 && FUZZ_SEED === DEFAULT_SEED;

/** The run count of a property whose default is `base`. */
export function runs(base: number): number {
  return Math.max(1, Math.round(base * FUZZ_SCALE));
}
