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
 * After the file's tests, `faultMatrix()` writes what passed to
 * test-reports/fault-matrix/<test file>.json; scripts/fault-matrix.ts renders them as a table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const HANDLERS = ['vault-alert', 'verifier', 'catalog', 'catalog-reconciler', 'restore-validator', 'readiness', 'failover'] as const;
export type HandlerName = (typeof HANDLERS)[number];

export const FAULTS = [
  'throttling',
  '5xx',
  'timeout',
  'connection reset',
  'malformed event',
  'unexpected event',
  'resource gone',
  'partial batch',
] as const;
export type FaultName = (typeof FAULTS)[number];

/** Outcomes that meet the rule. */
export type Outcome =
  /** A retry (the SDK's, or the trigger's redelivery) succeeded; the work is complete. */
  | 'retry-succeeded'
  /** The work was completed without what the fault withheld, and the output says what is missing. */
  | 'completed-degraded'
  /** The failure itself was recorded durably, and an alarm or alert fires on it. */
  | 'recorded-and-alarmed'
  /** The handler failed the message or invocation back to its trigger, which retries and then dead-letters it. */
  | 'handed-back'
  /** The input is not for this handler: logged with the reason, nothing written. */
  | 'skipped';

/** Outcomes that break the rule: a test that observes one fails. */
export type Violation = 'silent-drop' | 'partial-record' | 'recorded-without-alarm';

export interface Evidence {
  /** The handler threw, or reported the faulty message as a batch item failure. */
  readonly failedBack: boolean;
  /** Tries of the faulty call (SDK attempts), or deliveries of the same event/message. */
  readonly attempts?: number;
  /** The handler's work for the input is done in full (record, alert, report, metrics). */
  readonly completed: boolean;
  /** What the completed work lacks because of the fault, as the output itself says. */
  readonly degraded?: string;
  /** The durable record of the failure (catalog item, validation result, metric, report). */
  readonly failureRecorded?: string;
  /** What alarms or alerts on that record. */
  readonly alarm?: string;
  /** Why the input was skipped (as logged). */
  readonly skipped?: string;
  /** Something was written in part (an item missing attributes it should hold, half a batch of one message). */
  readonly partialRecord: boolean;
}

export function classify(e: Evidence): Outcome | Violation {
  if (e.partialRecord) return 'partial-record';
  if (e.failedBack) return 'handed-back';
  if (e.completed && e.degraded) return 'completed-degraded';
  if (e.completed && (e.attempts ?? 1) > 1) return 'retry-succeeded';
  if (e.failureRecorded) return e.alarm ? 'recorded-and-alarmed' : 'recorded-without-alarm';
  if (e.skipped) return 'skipped';
  return 'silent-drop';
}

export interface FaultRecord {
  readonly handler: HandlerName;
  readonly fault: FaultName;
  /** What exactly was injected. */
  readonly case: string;
  readonly outcome: Outcome | Violation | 'not-applicable';
  readonly evidence?: Evidence;
  /** Why the fault does not apply to the handler. */
  readonly reason?: string;
  /** For a violation: the defect that causes it and where it is to be fixed. */
  readonly defect?: string;
  /** The test (as jest names it in its report) and its file, relative to the repository. */
  readonly test: string;
  readonly file: string;
}

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
