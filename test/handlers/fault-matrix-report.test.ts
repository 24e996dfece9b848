/**
 * Tests for scripts/fault-matrix.ts: the fault matrix rendered from recorded test results.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFaultRecords, renderFaultMatrix, summarize } from '../../scripts/fault-matrix';
import { classify, FAULTS, HANDLERS, type Evidence, type FaultRecord } from '../support/fault-matrix-model';

const evidence = (e: Partial<Evidence>): Evidence => ({ failedBack: false, completed: false, partialRecord: false, ...e });

const record = (r: Partial<FaultRecord>): FaultRecord => ({
  handler: 'verifier',
  fault: 'throttling',
  case: 'a case',
  outcome: 'retry-succeeded',
  test: 'a test',
  file: 'test/handlers/faults/verifier.faults.test.ts',
  ...r,
});

describe('classify', () => {
  test.each([
    [{ failedBack: true }, 'handed-back'],
    [{ completed: true, attempts: 3 }, 'retry-succeeded'],
    [{ completed: true, degraded: 'without details' }, 'completed-degraded'],
    [{ failureRecorded: 'FAILED item', alarm: 'SNS' }, 'recorded-and-alarmed'],
    [{ failureRecorded: 'FAILED item' }, 'recorded-without-alarm'],
    [{ skipped: 'not ours' }, 'skipped'],
    [{}, 'silent-drop'],
    [{ completed: true }, 'silent-drop'],
    [{ failedBack: true, partialRecord: true }, 'partial-record'],
  ] as const)('%j is %s', (e, outcome) => {
    expect(classify(evidence(e))).toBe(outcome);
  });
});

describe('renderFaultMatrix', () => {
  test('one row per handler, one column per fault; a cell lists its outcomes with counts; an untested cell says so', () => {
    const md = renderFaultMatrix([
      record({ outcome: 'retry-succeeded' }),
      record({ outcome: 'retry-succeeded', case: 'another' }),
      record({ outcome: 'handed-back', case: 'persistent' }),
      record({ handler: 'failover', fault: 'partial batch', outcome: 'not-applicable', reason: 'one event at a time' }),
    ]);

    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| handler'));
    const verifier = rows.find((l) => l.startsWith('| verifier |'))!.split(' | ');
    expect(verifier[1]).toBe('✓ retried ×2<br>✓ dead-letter');
    expect(verifier[2]).toBe('**no test**');
    expect(rows.find((l) => l.startsWith('| failover |'))).toMatch(/\| n\/a \|$/);
    expect(md).toContain('| failover | partial batch | a case | n/a | one event at a time |');
    expect(md.split('\n')[2]).toBe(`| handler | ${FAULTS.join(' | ')} |`);
  });

  test('a violation shows as ✗ with its defect, and counts as a failing cell', () => {
    const records = [record({ outcome: 'recorded-without-alarm', defect: 'no alarm on X in src/a.ts' })];

    const md = renderFaultMatrix(records);

    expect(md).toContain('✗ no alarm');
    expect(md).toContain('- verifier × throttling: no alarm on X in src/a.ts');
    expect(summarize(records).failingCells).toBe(HANDLERS.length * FAULTS.length);
  });
});

describe('loadFaultRecords', () => {
  test('keeps the records of tests that passed in the jest report, and lists the others with the reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fault-matrix-'));
    const records = join(dir, 'records');
    mkdirSync(records);
    writeFileSync(join(records, 'a.json'), JSON.stringify([
      record({ test: 'passes', case: 'p' }),
      record({ test: 'fails', case: 'f' }),
      record({ test: 'gone', case: 'g' }),
    ]));
    const report = join(dir, 'jest-results.json');
    writeFileSync(report, JSON.stringify({
      testResults: [{
        name: '/repo/test/handlers/faults/verifier.faults.test.ts',
        assertionResults: [{ fullName: 'passes', status: 'passed' }, { fullName: 'fails', status: 'failed' }],
      }],
    }));

    const loaded = loadFaultRecords(records, report);

    expect(loaded.records.map((r) => r.case)).toEqual(['p']);
    expect(loaded.dropped.map((d) => [d.record.case, d.why])).toEqual([
      ['f', 'its test failed'],
      ['g', 'its test is not in the jest report'],
    ]);
  });
});
