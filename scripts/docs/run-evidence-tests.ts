import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './rules';

/**
 * Runs the tests whose results docs/reliability.md reports, with the default fuzz knobs, into
 * a jest report of their own: the fuzz tests (test/fuzz), least privilege (test/iam) and every
 * test file that records fault-matrix cells. REFRESH_EVIDENCE=1 turns off their comparisons
 * with the committed evidence, which is what this run replaces. The results they write under
 * test-reports/ are cleared first, so nothing from an older run is mixed in.
 */

export const EVIDENCE_JEST_REPORT = path.join(ROOT, 'test-reports', 'docs-evidence-results.json');

/** Test files that record fault-matrix cells (they call `faultMatrix()`). */
export function faultTestFiles(dir = path.join(ROOT, 'test')): string[] {
  return fs.readdirSync(dir).sort().flatMap((entry) => {
    const full = path.join(dir, entry);
    if (fs.statSync(full).isDirectory()) return faultTestFiles(full);
    return entry.endsWith('.test.ts') && fs.readFileSync(full, 'utf8').includes('faultMatrix()') ? [full] : [];
  });
}

export interface EvidenceRun {
  readonly report: string;
  /** Tests that failed (the docs still show what was measured). */
  readonly failed: number;
}

export function runEvidenceTests(): EvidenceRun {
  fs.rmSync(path.join(ROOT, 'test-reports', 'fault-matrix'), { recursive: true, force: true });
  fs.rmSync(path.join(ROOT, 'test-reports', 'fuzz-counts.json'), { force: true });
  fs.rmSync(EVIDENCE_JEST_REPORT, { force: true });
  const escape = (p: string) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = [path.join(ROOT, 'test', 'fuzz') + path.sep, path.join(ROOT, 'test', 'iam') + path.sep, ...faultTestFiles()].map(escape);
  const env: NodeJS.ProcessEnv = { ...process.env, REFRESH_EVIDENCE: '1', CDK_VALIDATION: 'false' };
  delete env.FUZZ_RUNS;
  delete env.FUZZ_SEED;
  const run = spawnSync(process.execPath, [
    require.resolve('jest/bin/jest'), '--ci', '--coverage=false', '--json', `--outputFile=${EVIDENCE_JEST_REPORT}`, ...patterns,
  ], { cwd: ROOT, env, stdio: 'inherit' });
  if (!fs.existsSync(EVIDENCE_JEST_REPORT)) {
    throw new Error(`jest wrote no report (exit ${run.status ?? run.signal}): the evidence was not refreshed`);
  }
  const report = JSON.parse(fs.readFileSync(EVIDENCE_JEST_REPORT, 'utf8')) as { numFailedTests: number; numRuntimeErrorTestSuites: number };
  return { report: EVIDENCE_JEST_REPORT, failed: report.numFailedTests + report.numRuntimeErrorTestSuites };
}
