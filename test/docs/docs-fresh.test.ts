import * as fs from 'fs';
import * as path from 'path';
import { libraryAcknowledgements } from '../../scripts/docs/acknowledgements';
import { DOCS, renderDocs } from '../../scripts/docs/generate';
import { readRules } from '../../scripts/docs/rules';

/**
 * The auditor's evidence is committed and must match what the generator makes of the
 * code and the committed test results (docs/evidence/). The generated documents hold
 * no timings or other volatile values, so they compare whole.
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

  test('every synth-time rule of src/validation is shown with a message it actually produced', () => {
    const { rules } = readRules();
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.filter((r) => !r.exampleOk).map((r) => `${r.file} ${r.name}: ${r.example}`)).toEqual([]);
  });

  test('the library\'s acknowledgements are found, each with a reason', () => {
    const acks = libraryAcknowledgements();
    expect(acks.length).toBeGreaterThan(0);
    expect(acks.filter((a) => a.reason.trim().length < 20).map((a) => `${a.rule} (${a.madeIn})`)).toEqual([]);
  });
});
