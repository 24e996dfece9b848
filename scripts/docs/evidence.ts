import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './rules';

/**
 * The test results docs/reliability.md is generated from, committed under
 * docs/evidence/ so that the docs are a function of the repository (and a test can
 * regenerate them). `npx projen docs` refreshes them from the last test run's
 * test-reports/ (volatile parts such as timings left out):
 *
 * | evidence                          | written by                                   | format |
 * |-----------------------------------|----------------------------------------------|--------|
 * | docs/evidence/fuzz-counts.json    | test/fuzz/*.fuzz.test.ts -> test-reports/fuzz-counts.json | `FuzzCountsFile` (test/fuzz/support/counts.ts), default FUZZ_RUNS/FUZZ_SEED only |
 * | docs/evidence/least-privilege.json| test/iam/least-privilege.test.ts -> test-reports/least-privilege.json (`summary`) | `LeastPrivilegeSummary` (test/iam/least-privilege.ts) |
 * | docs/evidence/fault-matrix.json   | test/handlers/faults/*.faults.test.ts -> test-reports/fault-matrix/*.json | `FaultRecord[]` (test/support/fault-matrix-model.ts), of the tests that passed |
 */

export const EVIDENCE_DIR = path.join(ROOT, 'docs', 'evidence');
const REPORTS = path.join(ROOT, 'test-reports');

export const EVIDENCE = {
  fuzz: path.join(EVIDENCE_DIR, 'fuzz-counts.json'),
  leastPrivilege: path.join(EVIDENCE_DIR, 'least-privilege.json'),
  faultMatrix: path.join(EVIDENCE_DIR, 'fault-matrix.json'),
};

export const FUZZ_CONSTRUCTS = ['AuditedVault', 'CompliantBackupSystem', 'CrossRegionDr', 'OrganizationBackupPolicy'];
const DEFAULT_SEED = 20261206;

export interface Evidence {
  readonly fuzz?: any;
  readonly leastPrivilege?: any;
  readonly faultMatrix?: any[];
}

const read = (file: string) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined);

export function loadEvidence(): Evidence {
  return { fuzz: read(EVIDENCE.fuzz), leastPrivilege: read(EVIDENCE.leastPrivilege), faultMatrix: read(EVIDENCE.faultMatrix) };
}

/** The records of the fault tests that passed, through the handlers' own loader when it exists. */
function faultRecords(): any[] | undefined {
  const dir = path.join(REPORTS, 'fault-matrix');
  if (!fs.existsSync(dir)) return undefined;
  const loader = path.join(ROOT, 'scripts', 'fault-matrix.ts');
  let records: any[];
  if (fs.existsSync(loader)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    records = require(loader).loadFaultRecords(dir, path.join(REPORTS, 'jest-results.json')).records;
  } else {
    records = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().flatMap((f) => read(path.join(dir, f)));
  }
  const key = (r: any) => `${r.handler}\0${r.fault}\0${r.file}\0${r.test}\0${r.case}`;
  return [...records].sort((a, b) => key(a).localeCompare(key(b)));
}

/** Copies the last test run's results into docs/evidence; returns what it did, for the console. */
export function refreshEvidence(): string[] {
  const log: string[] = [];
  fs.mkdirSync(EVIDENCE_DIR, { recursive: true });
  const write = (file: string, value: unknown) => fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');

  const fuzz = read(path.join(REPORTS, 'fuzz-counts.json'));
  const complete = fuzz && FUZZ_CONSTRUCTS.every((c) => fuzz.constructs?.[c]);
  if (fuzz && fuzz.scale === 1 && fuzz.seed === DEFAULT_SEED && complete) {
    write(EVIDENCE.fuzz, { seed: fuzz.seed, scale: fuzz.scale, constructs: Object.fromEntries(FUZZ_CONSTRUCTS.map((c) => [c, fuzz.constructs[c]])) });
    log.push('fuzz counts: refreshed from test-reports/fuzz-counts.json');
  } else {
    log.push('fuzz counts: kept (test-reports/fuzz-counts.json is missing, partial, or not from the default FUZZ_RUNS and FUZZ_SEED)');
  }

  const leastPrivilege = read(path.join(REPORTS, 'least-privilege.json'));
  if (leastPrivilege?.summary) {
    write(EVIDENCE.leastPrivilege, leastPrivilege.summary);
    log.push('least privilege: refreshed from test-reports/least-privilege.json');
  } else {
    log.push('least privilege: kept (no test-reports/least-privilege.json)');
  }

  const records = faultRecords();
  if (records && records.length > 0) {
    write(EVIDENCE.faultMatrix, records);
    log.push(`fault matrix: refreshed from test-reports/fault-matrix/ (${records.length} records)`);
  } else {
    log.push('fault matrix: kept (no records in test-reports/fault-matrix/)');
  }
  return log;
}
