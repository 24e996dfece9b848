import * as fs from 'fs';
import * as path from 'path';
import { libraryAcknowledgements } from '../../scripts/docs/acknowledgements';
import { EVIDENCE } from '../../scripts/docs/evidence';
import { DOCS, renderDocs } from '../../scripts/docs/generate';
import { RULE_EXAMPLES } from '../../scripts/docs/rule-examples';
import { readRules } from '../../scripts/docs/rules';

/**
 * The auditor's evidence is committed and must match what the generator makes of the
 * code and the committed test results (docs/evidence/). The generated documents hold
 * no timings or other volatile values, so they compare whole. That the committed test
 * results are current is checked where they are produced: the fuzz tests compare their
 * counts, test/iam its summary, and each fault test file its cells.
 */

/** The first lines where two texts differ, for a readable failure. */
function differences(committed: string, generated: string): string[] {
  const a = committed.split('\n');
  const b = generated.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && out.length < 10; i++) {
    if (a[i] !== b[i]) out.push(`line ${i + 1}:\n  committed: ${a[i] ?? '(none)'}\n  generated: ${b[i] ?? '(none)'}`);
  }
  return out;
}

describe('generated evidence for the auditor', () => {
  test.each(Object.entries(DOCS))('%s is up to date (regenerate with `npx projen docs`)', (name, file) => {
    const generated = renderDocs()[name as keyof typeof DOCS];
    const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    expect([path.relative(process.cwd(), file), differences(committed, generated)]).toEqual([path.relative(process.cwd(), file), []]);
  });

  test('the test evidence the reliability document is generated from is committed', () => {
    expect(Object.values(EVIDENCE).filter((f) => !fs.existsSync(f)).map((f) => path.relative(process.cwd(), f))).toEqual([]);
  });

  test('every synth-time rule of src/validation is shown with a message it actually produced', () => {
    const { rules } = readRules();
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.filter((r) => !r.exampleOk).map((r) => `${r.file} ${r.name}: ${r.example}`)).toEqual([]);
  });

  test('every recorded example input belongs to a rule that still exists', () => {
    const names = new Set(readRules().rules.map((r) => r.name));
    expect(Object.keys(RULE_EXAMPLES).filter((n) => !names.has(n))).toEqual([]);
  });

  test('the library\'s acknowledgements are found, each with a reason', () => {
    const acks = libraryAcknowledgements();
    expect(acks.length).toBeGreaterThan(0);
    expect(acks.filter((a) => a.reason.trim().length < 20).map((a) => `${a.rule} (${a.madeIn})`)).toEqual([]);
  });
});
