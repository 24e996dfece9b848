/**
 * The fault matrix's vocabulary, without jest: which handlers and faults it spans, the outcomes a
 * cell may have, how evidence maps to an outcome, and the record each fault test writes. Shared by
 * the recorder (fault-matrix.ts) and the renderer (scripts/fault-matrix.ts).
 */

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
