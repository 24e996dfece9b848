/**
 * Generates the auditor's evidence: docs/compliance.md and docs/reliability.md.
 *
 *   npx projen docs        (after `npm test`, which writes the test results it reads)
 *
 * It first copies the last test run's results from test-reports/ into docs/evidence/
 * (see evidence.ts), then renders both documents from the code and that evidence.
 * `renderDocs()` renders without writing: test/docs/docs-fresh.test.ts compares it
 * with the committed files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { libraryAcknowledgements } from './acknowledgements';
import { renderCompliance } from './compliance';
import { loadEvidence, refreshEvidence } from './evidence';
import { renderReliability } from './reliability';
import { ROOT, readConstructRules, readRules } from './rules';

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

function main(): void {
  for (const line of refreshEvidence()) console.log(line);
  const docs = renderDocs();
  for (const [name, file] of Object.entries(DOCS)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, docs[name as keyof typeof DOCS]);
    console.log(`wrote ${path.relative(ROOT, file)}`);
  }
}

if (require.main === module) main();
