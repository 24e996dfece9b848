/**
 * The fault matrix (faults × handlers) as Markdown, generated from the test results: the records
 * the fault tests wrote (test-reports/fault-matrix/*.json, see test/support/fault-matrix.ts), of
 * the tests that passed in the last jest report (test-reports/jest-results.json, which `npm test`
 * writes). A record whose test did not pass, or is not in the report, is left out and listed.
 *
 * Usage, after `npm test` (or after any jest run of test/handlers/faults plus a jest --json report):
 *   npx ts-node --transpile-only scripts/fault-matrix.ts [--out FILE] [--records DIR] [--report FILE|none]
 * Prints the Markdown (or writes it to FILE). With `--strict` it exits 1 when a cell breaks the
 * rule or has no test (for a CI gate); failing cells are shown either way. `--report none` renders
 * every record without checking it against a jest report.
 * `renderFaultMatrix(records)` is the part another generator (docs/reliability.md) can call.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FAULTS,
  HANDLERS,
  type FaultName,
  type FaultRecord,
  type HandlerName,
  type Outcome,
  type Violation,
} from '../test/support/fault-matrix-model';

type CellOutcome = Outcome | Violation | 'not-applicable';

/** How each outcome reads; the violations (✗) are the cells that fail. */
export const OUTCOME_LABELS: Readonly<Record<CellOutcome, string>> = {
  'retry-succeeded': '✓ retried, then succeeded',
  'completed-degraded': '✓ done without the failed part, and says so',
  'recorded-and-alarmed': '✓ failure recorded, alarm fires',
  'handed-back': '✓ failed back to its trigger: retried, then dead-lettered',
  'skipped': '✓ not its input: logged and skipped',
  'not-applicable': 'the fault cannot reach this handler (the case list says why)',
  'silent-drop': '✗ silent drop',
  'partial-record': '✗ partial record',
  'recorded-without-alarm': '✗ failure recorded, no alarm',
};

/** The same, short enough for a cell of the matrix. */
export const CELL_LABELS: Readonly<Record<CellOutcome, string>> = {
  'retry-succeeded': '✓ retried',
  'completed-degraded': '✓ degraded',
  'recorded-and-alarmed': '✓ alarmed',
  'handed-back': '✓ dead-letter',
  'skipped': '✓ skipped',
  'not-applicable': 'n/a',
  'silent-drop': '✗ silent drop',
  'partial-record': '✗ partial record',
  'recorded-without-alarm': '✗ no alarm',
};
const VIOLATIONS: ReadonlySet<CellOutcome> = new Set(['silent-drop', 'partial-record', 'recorded-without-alarm']);

export interface LoadedRecords {
  readonly records: FaultRecord[];
  /** Records left out, and why. */
  readonly dropped: Array<{ readonly record: FaultRecord; readonly why: string }>;
}

interface JestReport {
  testResults: Array<{ name: string; assertionResults: Array<{ fullName: string; status: string }> }>;
}

/** Reads every record file of `dir`; with a jest report, keeps only the records of tests that passed in it. */
export function loadFaultRecords(dir = 'test-reports/fault-matrix', jestReport: string | undefined = 'test-reports/jest-results.json'): LoadedRecords {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  const all = files.flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as FaultRecord[]);
  if (!jestReport || !existsSync(jestReport)) return { records: all, dropped: [] };
  const report = JSON.parse(readFileSync(jestReport, 'utf8')) as JestReport;
  const status = new Map<string, string>();
  for (const file of report.testResults) {
    for (const a of file.assertionResults) status.set(`${file.name.replace(/\\/g, '/')}\u0000${a.fullName}`, a.status);
  }
  const records: FaultRecord[] = [];
  const dropped: LoadedRecords['dropped'] = [];
  for (const record of all) {
    const key = [...status.keys()].find((k) => k.endsWith(`/${record.file}\u0000${record.test}`));
    const s = key ? status.get(key) : undefined;
    if (s === 'passed') records.push(record);
    else dropped.push({ record, why: s ? `its test ${s}` : 'its test is not in the jest report' });
  }
  return { records, dropped };
}

/** The cases of one cell, in test order. */
function casesOf(records: readonly FaultRecord[], handler: HandlerName, fault: FaultName): FaultRecord[] {
  return records.filter((r) => r.handler === handler && r.fault === fault);
}

function cell(cases: readonly FaultRecord[]): string {
  if (cases.length === 0) return '**no test**';
  const counts = new Map<CellOutcome, number>();
  for (const c of cases) counts.set(c.outcome, (counts.get(c.outcome) ?? 0) + 1);
  return [...counts].map(([o, n]) => `${CELL_LABELS[o]}${n > 1 ? ` ×${n}` : ''}`).join('<br>');
}

const escape = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function detail(r: FaultRecord): string {
  if (r.outcome === 'not-applicable') return escape(r.reason ?? '');
  const e = r.evidence;
  const parts = [
    e?.attempts !== undefined && e.attempts > 1 ? `${e.attempts} attempts` : undefined,
    e?.degraded,
    e?.failureRecorded ? `recorded: ${e.failureRecorded}` : undefined,
    e?.alarm ? `then: ${e.alarm}` : undefined,
    e?.skipped ? `skipped: ${e.skipped}` : undefined,
    r.defect ? `**defect**: ${r.defect}` : undefined,
  ].filter((p): p is string => p !== undefined);
  return escape(parts.join('; '));
}

export interface FaultMatrixSummary {
  readonly cases: number;
  readonly cells: number;
  readonly byOutcome: Readonly<Partial<Record<CellOutcome, number>>>;
  /** Cells with a violation, or without any test. */
  readonly failingCells: number;
}

export function summarize(records: readonly FaultRecord[]): FaultMatrixSummary {
  const byOutcome: Partial<Record<CellOutcome, number>> = {};
  for (const r of records) byOutcome[r.outcome] = (byOutcome[r.outcome] ?? 0) + 1;
  let failingCells = 0;
  for (const h of HANDLERS) {
    for (const f of FAULTS) {
      const cases = casesOf(records, h, f);
      if (cases.length === 0 || cases.some((c) => VIOLATIONS.has(c.outcome))) failingCells++;
    }
  }
  return { cases: records.length, cells: HANDLERS.length * FAULTS.length, byOutcome, failingCells };
}

/** The matrix, its legend, the defects behind failing cells, and every case with its evidence. */
export function renderFaultMatrix(records: readonly FaultRecord[]): string {
  const summary = summarize(records);
  const lines: string[] = [];
  lines.push(`${summary.cases} fault cases over ${summary.cells} cells (${HANDLERS.length} handlers × ${FAULTS.length} faults); `
    + `${summary.failingCells} cell(s) failing. Outcomes: `
    + Object.entries(summary.byOutcome).map(([o, n]) => `${o} ${n}`).join(', ') + '.');
  lines.push('');
  lines.push(`| handler | ${FAULTS.join(' | ')} |`);
  lines.push(`|---|${FAULTS.map(() => '---').join('|')}|`);
  for (const h of HANDLERS) {
    lines.push(`| ${h} | ${FAULTS.map((f) => cell(casesOf(records, h, f))).join(' | ')} |`);
  }
  lines.push('');
  lines.push('Each ✓ meets the rule (a retry that succeeds, a recorded failure with an alarm, or a dead-letter entry; never a '
    + 'silent drop, never a partial record); ✗ breaks it. ×N: N cases.');
  for (const [key, label] of Object.entries(CELL_LABELS)) {
    const meaning = OUTCOME_LABELS[key as CellOutcome].replace(/^[✓✗] /, '');
    if (!VIOLATIONS.has(key as CellOutcome)) lines.push(`- ${label}: ${meaning}`);
  }
  lines.push('"Dead-letter": the handler throws or reports the message as a batch item failure, so SQS or EventBridge retries it '
    + 'and then moves it to the handler\'s dead-letter queue, whose alarm fires; for failover, the Region switch step fails.');
  const defects = records.filter((r) => r.defect);
  if (defects.length > 0) {
    lines.push('');
    lines.push('Defects behind failing cells:');
    for (const d of defects) lines.push(`- ${d.handler} × ${d.fault}: ${d.defect}`);
  }
  lines.push('');
  lines.push('| handler | fault | case | outcome | evidence | test |');
  lines.push('|---|---|---|---|---|---|');
  for (const h of HANDLERS) {
    for (const f of FAULTS) {
      for (const r of casesOf(records, h, f)) {
        lines.push(`| ${h} | ${f} | ${escape(r.case)} | ${CELL_LABELS[r.outcome]} | ${detail(r)} | ${r.file} |`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function main(argv: readonly string[]): number {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const { records, dropped } = loadFaultRecords(arg('--records'), arg('--report') ?? 'test-reports/jest-results.json');
  const markdown = renderFaultMatrix(records);
  const out = arg('--out');
  if (out) writeFileSync(out, markdown);
  else process.stdout.write(markdown);
  for (const d of dropped) process.stderr.write(`left out: ${d.record.handler} × ${d.record.fault} (${d.record.case}): ${d.why}\n`);
  return argv.includes('--strict') && summarize(records).failingCells > 0 ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
