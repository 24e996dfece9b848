/**
 * Generates the auditor's evidence: docs/compliance.md and docs/reliability.md.
 *
 *   npx projen docs                      reruns the evidence tests (fuzz, least privilege, fault
 *                                        matrix; a few minutes), then writes both documents
 *   npx projen docs -- --from-last-run   takes the results of the last `npm test` from test-reports/
 *   npx projen docs -- --render-only     renders from the committed docs/evidence/ without refreshing it
 *                                        (after a change to the code or to this generator only)
 *
 * The test results are copied into docs/evidence/ (see evidence.ts), without anything volatile,
 * and both documents are rendered from the code and that committed evidence. `renderDocs()`
 * renders without writing: test/docs/docs-fresh.test.ts compares it with the committed files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { libraryAcknowledgements } from './acknowledgements';
import { renderCompliance } from './compliance';
import { loadEvidence, refreshEvidence } from './evidence';
import { renderReliability } from './reliability';
import { ROOT, readConstructRules, readRules } from './rules';
import { runEvidenceTests } from './run-evidence-tests';

export const DOCS = {
  compliance: path.join(ROOT, 'docs', 'compliance.md'),
  reliability: path.join(ROOT, 'docs', 'reliability.md'),
};

/** Both documents, as they would be written now. */
export function renderDocs(): Record<keyof typeof DOCS, string> {
  const { rules, limits } = readRules();
  return {
    compliance: renderCompliance({ rules, limits, constructRules: readConstructRules(), acknowledgements: libraryAcknowledgements() }),
    reliability: renderReliability(loadEvidence()),
  };
}

function main(argv: readonly string[]): number {
  let failed = 0;
  if (!argv.includes('--render-only')) {
    const run = argv.includes('--from-last-run')
      ? { report: path.join(ROOT, 'test-reports', 'jest-results.json'), failed: 0 }
      : runEvidenceTests();
    failed = run.failed;
    for (const line of refreshEvidence(run.report)) console.log(line);
  }
  const docs = renderDocs();
  for (const [name, file] of Object.entries(DOCS)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, docs[name as keyof typeof DOCS]);
    console.log(`wrote ${path.relative(ROOT, file)}`);
  }
  if (failed > 0) {
    console.error(`${failed} evidence test(s) failed: the documents show what was measured, but fix the failures before committing them.`);
    return 1;
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
