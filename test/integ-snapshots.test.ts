/**
 * Snapshot mode of the integration tests: each test/integ.*.ts synthesizes to the templates
 * committed in test/integ.<name>.ts.snapshot/ (asset hashes aside). A deliberate change is
 * committed with `npx projen integ:update` (CONTRIBUTING.md, "Integration tests").
 */
import { canonicalizeAssets, compareWithSnapshot, diffAssemblies, findIntegTests } from '../scripts/integ-snapshots';

// Each test synthesizes a whole app in a child process.
const SYNTH_TIMEOUT_MS = 120_000;

describe('integration test snapshots', () => {
  const tests = findIntegTests();

  test('there is one integration test per construct', () => {
    expect(tests).toEqual([
      'test/integ.audited-vault.ts',
      'test/integ.compliant-backup-system.ts',
      'test/integ.cross-region-dr.ts',
    ]);
  });

  test.each(tests)('%s matches its snapshot', (test) => {
    const differences = compareWithSnapshot(test);
    if (differences.length > 0) {
      throw new Error(`${test} no longer matches ${test}.snapshot/:\n  ${differences.join('\n  ')}\n`
        + `If the change is deliberate, run \`npx projen integ:update ${test}\` and commit the snapshot.`);
    }
  }, SYNTH_TIMEOUT_MS);
});

describe('snapshot comparison', () => {
  const template = (key: string, memory: number) => ({
    Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: `${key}.zip` }, MemorySize: memory } } },
  });

  test('a changed asset hash alone is no difference', () => {
    const before = new Map([['Stack', canonicalizeAssets(template('a'.repeat(64), 128), ['a'.repeat(64)])]]);
    const after = new Map([['Stack', canonicalizeAssets(template('b'.repeat(64), 128), ['b'.repeat(64)])]]);
    expect(diffAssemblies(before, after)).toEqual([]);
  });

  test('a changed property is reported with its path and both values', () => {
    const before = new Map([['Stack', canonicalizeAssets(template('a'.repeat(64), 128), ['a'.repeat(64)])]]);
    const after = new Map([['Stack', canonicalizeAssets(template('b'.repeat(64), 256), ['b'.repeat(64)])]]);
    expect(diffAssemblies(before, after)).toEqual(['Stack.Resources.Fn.Properties.MemorySize: snapshot 128, now 256']);
  });

  test('a stack that appears or disappears is reported', () => {
    const one = new Map([['A', {}]]);
    const other = new Map([['B', {}]]);
    expect(diffAssemblies(one, other)).toEqual(['A: in the snapshot, no longer synthesized', 'B: synthesized, not in the snapshot']);
  });
});
