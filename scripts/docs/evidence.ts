import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './rules';
import type { FaultRecord } from '../../test/support/fault-matrix-model';
import { loadFaultRecords } from '../fault-matrix';

/**
 * The test results docs/reliability.md is generated from, committed under
 * docs/evidence/ so that the docs are a function of the repository (and a test can
 * regenerate them). `npx projen docs` refreshes them from a test run's test-reports/
 * and its jest report (volatile parts such as timings left out):
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
  readonly faultMatrix?: FaultRecord[];
}

const read = (file: string) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined);

export function loadEvidence(): Evidence {
  return { fuzz: read(EVIDENCE.fuzz), leastPrivilege: read(EVIDENCE.leastPrivilege), faultMatrix: read(EVIDENCE.faultMatrix) };
}

/** The records of the fault tests that passed in the jest report (scripts/fault-matrix.ts), in a stable order. */
function faultRecords(jestReport: string): { records: FaultRecord[]; dropped: string[] } | undefined {
  const dir = path.join(REPORTS, 'fault-matrix');
  if (!fs.existsSync(dir) || !fs.existsSync(jestReport)) return undefined;
  const { records, dropped } = loadFaultRecords(dir, jestReport);
  const key = (r: FaultRecord) => `${r.handler}\0${r.fault}\0${r.file}\0${r.test}\0${r.case}`;
  return {
    records: [...records].sort((a, b) => key(a).localeCompare(key(b))),
    dropped: dropped.map((d) => `${d.record.handler} × ${d.record.fault} (${d.record.case}): ${d.why}`),
  };
}

/** Copies a test run's results into docs/evidence; returns what it did, for the console. */
export function refreshEvidence(jestReport: string): string[] {
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

  const faults = faultRecords(jestReport);
  if (faults && faults.records.length > 0) {
    write(EVIDENCE.faultMatrix, faults.records);
    log.push(`fault matrix: refreshed from test-reports/fault-matrix/ (${faults.records.length} records of tests that passed)`);
    for (const d of faults.dropped) log.push(`  left out: ${d}`);
  } else {
    log.push(`fault matrix: kept (no records in test-reports/fault-matrix/, or no jest report ${path.relative(ROOT, jestReport)})`);
  }
  return log;
}
