/**
 * The fault matrix, recorded by the tests that inject the faults.
 *
 * A fault test drives a handler into a fault, collects what it observed (`Evidence`: did the
 * handler fail the message back to its trigger, how often was the failing call tried, was the
 * work completed, what was recorded, what alarms) and calls `expectOutcome`. The outcome is
 * derived from that evidence, never stated by the test: the test only says which outcome it
 * expects, and fails when the evidence says otherwise. An outcome that breaks the rule (a silent
 * drop, a partial record, a failure recorded without an alarm) fails the test, unless the test
 * names the defect outside the handler that causes it (`expectDefect`): the matrix then shows
 * the cell as failing, with the defect.
 * After the file's tests, `faultMatrix()` writes what it recorded to
 * test-reports/fault-matrix/<test file>.json; scripts/fault-matrix.ts keeps the records of tests
 * that passed (per the jest report) and renders them as a table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REFRESHING_EVIDENCE } from './committed-evidence';
import { cellsMissingFromEvidence } from './fault-evidence';
import { classify, type Evidence, type FaultName, type FaultRecord, type HandlerName, type Outcome, type Violation } from './fault-matrix-model';

export * from './fault-matrix-model';

export interface FaultMatrix {
  /**
   * Classifies the evidence, asserts it is `expected` (and no violation), and records the cell
   * when the test gets that far.
   */
  expectOutcome(handler: HandlerName, fault: FaultName, what: string, expected: Outcome, evidence: Evidence): void;
  /**
   * A known defect outside the handler (e.g. an alarm the construct lacks): asserts that the
   * evidence shows exactly `violation`, and records the cell as that violation with the defect,
   * so the matrix shows it failing until the defect is fixed (then this expectation fails and is
   * to be turned into `expectOutcome`).
   */
  expectDefect(handler: HandlerName, fault: FaultName, what: string, violation: Violation, evidence: Evidence, defect: string): void;
  /** Records that a fault cannot happen to a handler, and why (inside a test, so it is reported). */
  notApplicable(handler: HandlerName, fault: FaultName, reason: string): void;
}

const REPORT_DIR = join(process.cwd(), 'test-reports', 'fault-matrix');

/** Call once at the top of a fault test file. */
export function faultMatrix(): FaultMatrix {
  const records: FaultRecord[] = [];
  let file = '';
  const where = () => {
    const state = expect.getState();
    file = relative(process.cwd(), state.testPath ?? '');
    return { test: state.currentTestName ?? '', file };
  };

  afterAll(() => {
    if (records.length === 0) return;
    mkdirSync(REPORT_DIR, { recursive: true });
    writeFileSync(join(REPORT_DIR, `${file.replace(/[\\/]/g, '__')}.json`), `${JSON.stringify(records, null, 2)}\n`);
    // docs/reliability.md shows the committed cells: a cell this run decided differently makes the docs stale.
    const missing = REFRESHING_EVIDENCE ? [] : cellsMissingFromEvidence(records);
    if (missing.length > 0) {
      throw new Error(`${file}: ${missing.length} fault-matrix cell(s) differ from docs/evidence/fault-matrix.json `
        + `(docs/reliability.md is stale; regenerate with \`npx projen docs\`):\n${missing.join('\n')}`);
    }
  });

  return {
    expectOutcome(handler, fault, what, expected, evidence) {
      const outcome = classify(evidence);
      expect({ handler, fault, case: what, outcome }).toEqual({ handler, fault, case: what, outcome: expected });
      records.push({ handler, fault, case: what, outcome, evidence, ...where() });
    },
    expectDefect(handler, fault, what, violation, evidence, defect) {
      const outcome = classify(evidence);
      expect({ handler, fault, case: what, outcome }).toEqual({ handler, fault, case: what, outcome: violation });
      expect(defect.length).toBeGreaterThan(0);
      records.push({ handler, fault, case: what, outcome, evidence, defect, ...where() });
    },
    notApplicable(handler, fault, reason) {
      expect(reason.length).toBeGreaterThan(0);
      records.push({ handler, fault, case: 'not applicable', outcome: 'not-applicable', reason, ...where() });
    },
  };
}
