import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_KNOBS, FUZZ_SCALE, FUZZ_SEED } from './knobs';
import { Outcome } from './outcome';
import { REFRESHING_EVIDENCE } from '../../support/committed-evidence';

/**
 * The fuzz counts, per construct and property, written by the tests themselves to
 * test-reports/fuzz-counts.json (merged: each test file writes its construct) and
 * compared, at the default knobs, with the committed docs/evidence/fuzz-counts.json
 * that docs/reliability.md is generated from.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FUZZ_COUNTS_REPORT = path.join(ROOT, 'test-reports', 'fuzz-counts.json');
export const FUZZ_COUNTS_EVIDENCE = path.join(ROOT, 'docs', 'evidence', 'fuzz-counts.json');

export interface Tally {
  runs: number;
  valid: number;
  rejected: number;
  defects: number;
}

export interface ConstructCounts extends Tally {
  /** Per property: the well-typed inputs, the wrong-typed ones, and so on. */
  properties: Record<string, Tally>;
  /** Rejections per prop (indices generalized), the library's rules as users meet them. */
  rejectedByRule: Record<string, number>;
  /** Defects per cause. */
  defectsByCause: Record<string, number>;
}

export interface FuzzCountsFile {
  readonly seed: number;
  readonly scale: number;
  readonly constructs: Record<string, ConstructCounts>;
  /** Seconds per construct: volatile, left out of the evidence. */
  readonly seconds?: Record<string, number>;
}

/** A defect with the smallest input that showed it. */
export interface DefectExample {
  readonly property: string;
  readonly cause: string;
  readonly count: number;
  readonly input: string;
  readonly detail: string;
}

const empty = (): Tally => ({ runs: 0, valid: 0, rejected: 0, defects: 0 });
const sorted = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));

export class FuzzTally {
  private readonly counts: ConstructCounts = { ...empty(), properties: {}, rejectedByRule: {}, defectsByCause: {} };
  private readonly examples = new Map<string, DefectExample>();
  private readonly started = Date.now();

  constructor(public readonly construct: string) {}

  public record(property: string, outcome: Outcome, input: string): void {
    const p = (this.counts.properties[property] ??= empty());
    for (const t of [p, this.counts]) {
      t.runs += 1;
      if (outcome.kind === 'valid') t.valid += 1;
      else if (outcome.kind === 'rejected') t.rejected += 1;
      else t.defects += 1;
    }
    if (outcome.kind === 'rejected') this.counts.rejectedByRule[outcome.prop] = (this.counts.rejectedByRule[outcome.prop] ?? 0) + 1;
    if (outcome.kind === 'defect') {
      this.counts.defectsByCause[outcome.defect] = (this.counts.defectsByCause[outcome.defect] ?? 0) + 1;
      const key = `${property}\0${outcome.defect}`;
      const seen = this.examples.get(key);
      const count = (seen?.count ?? 0) + 1;
      const smaller = !seen || input.length < seen.input.length;
      this.examples.set(key, smaller ? { property, cause: outcome.defect, count, input, detail: outcome.detail } : { ...seen, count });
    }
  }

  public tally(property: string): Tally {
    return this.counts.properties[property] ?? empty();
  }

  /** The defects of one property, each with its smallest input. */
  public defects(property: string): DefectExample[] {
    return [...this.examples.values()].filter((d) => d.property === property);
  }

  /** A readable list of defects for a failing assertion. */
  public describeDefects(property: string): string[] {
    return this.defects(property).map((d) => `${d.cause} (${d.count}x)\n  smallest input: ${d.input}\n  ${d.detail.split('\n').slice(0, 6).join('\n  ')}`);
  }

  public result(): ConstructCounts {
    return {
      ...this.counts,
      properties: Object.fromEntries(Object.entries(this.counts.properties).sort(([a], [b]) => a.localeCompare(b))),
      rejectedByRule: sorted(this.counts.rejectedByRule),
      defectsByCause: sorted(this.counts.defectsByCause),
    };
  }

  /** Merges this construct's counts into test-reports/fuzz-counts.json (other workers write theirs). */
  public write(): void {
    withLock(() => {
      const previous = readCounts(FUZZ_COUNTS_REPORT);
      const keep = previous && previous.seed === FUZZ_SEED && previous.scale === FUZZ_SCALE ? previous : undefined;
      const file: FuzzCountsFile = {
        seed: FUZZ_SEED,
        scale: FUZZ_SCALE,
        constructs: { ...keep?.constructs, [this.construct]: this.result() },
        seconds: { ...keep?.seconds, [this.construct]: Math.round((Date.now() - this.started) / 100) / 10 },
      };
      fs.mkdirSync(path.dirname(FUZZ_COUNTS_REPORT), { recursive: true });
      fs.writeFileSync(FUZZ_COUNTS_REPORT, JSON.stringify(file, null, 2) + '\n');
    });
  }

  /**
   * The committed evidence's counts of this construct, when this run can be compared with
   * them (default knobs, and not the run of `npx projen docs` that refreshes them); undefined otherwise.
   */
  public committedEvidence(): ConstructCounts | null | undefined {
    if (!DEFAULT_KNOBS || REFRESHING_EVIDENCE) return undefined;
    return readCounts(FUZZ_COUNTS_EVIDENCE)?.constructs[this.construct] ?? null;
  }
}

export function readCounts(file: string): FuzzCountsFile | undefined {
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
}

function withLock(fn: () => void): void {
  const lock = `${FUZZ_COUNTS_REPORT}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock older than the deadline was left by a killed run.
      if (Date.now() > deadline) fs.rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  try {
    fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
