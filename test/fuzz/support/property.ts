import * as fc from 'fast-check';
import { FuzzTally } from './counts';
import { Spec, describe } from './inputs';
import { FUZZ_SEED, runs } from './knobs';
import { Outcome } from './outcome';

/**
 * Runs one fuzz property: `count` inputs from `arbitrary` (fast-check, seeded), each
 * judged and recorded. Every input runs, so the counts cover the whole sample and
 * every distinct defect is listed with its smallest input, rather than stopping at
 * the first one. Returns the readable defects (empty when the property holds).
 */
export function fuzz<T extends Spec>(
  tally: FuzzTally, property: string, baseRuns: number, arbitrary: fc.Arbitrary<T>, run: (input: T) => Outcome,
): string[] {
  // The property's name varies the seed, so two properties of one file do not share inputs.
  let seed = FUZZ_SEED;
  for (const c of property) seed = (seed * 31 + c.charCodeAt(0)) % 2_147_483_647;
  fc.assert(fc.property(arbitrary, (input) => {
    tally.record(property, run(input), describe(input));
  }), { numRuns: runs(baseRuns), seed, endOnFailure: true });
  return tally.describeDefects(property);
}

/** How a property's inputs turned out, for the test's log. */
export function summary(tally: FuzzTally, property: string): string {
  const t = tally.tally(property);
  return `${tally.construct} / ${property}: ${t.runs} inputs, ${t.valid} synthesized consistent, ${t.rejected} rejected by a rule, ${t.defects} defects`;
}
