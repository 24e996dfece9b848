import { isBreakingCommit, isMajorBump, jsiiDiffErrors, judge, removedOrChanged } from '../../scripts/release/breaking-changes';

describe('isBreakingCommit reads commits as the version bump does', () => {
  test.each([
    ['feat!: drop the lockMode string', true],
    ['refactor(vault)!: VaultLockDays is internal', true],
    ['feat: add copyTo\n\nBREAKING CHANGE: copyToDr is now copyTo', true],
    ['fix: id\n\nBREAKING-CHANGE: the replica bucket is renamed', true],
    ['feat: add copyTo', false],
    ['fix(dr): stable construct ids', false],
    ['docs: say what a BREAKING CHANGE is', false],
    ['Merge branch h/release', false],
  ])('%j -> %s', (message, breaking) => {
    expect(isBreakingCommit(message)).toBe(breaking);
  });
});

describe('jsiiDiffErrors', () => {
  test('keeps the incompatible changes, not the header or warnings', () => {
    // jsii-diff 1.134 output, as printed for a removed struct property.
    const output = [
      'Original assembly: cdk-compliant-backup@0.0.0',
      'Updated assembly: cdk-compliant-backup@0.0.0',
      'API elements with incompatible changes:',
      'err  - PROP cdk-compliant-backup.AuditedVaultProps.legacyFlag: has been removed [removed:cdk-compliant-backup.AuditedVaultProps.legacyFlag]',
      'warn - PROP cdk-compliant-backup.Experimental.x: has been removed [removed:cdk-compliant-backup.Experimental.x]',
    ].join('\n');
    expect(jsiiDiffErrors(output)).toEqual([
      'err  - PROP cdk-compliant-backup.AuditedVaultProps.legacyFlag: has been removed [removed:cdk-compliant-backup.AuditedVaultProps.legacyFlag]',
    ]);
  });
});

describe('removedOrChanged (pinned stateful resources)', () => {
  const pinned = { 'examples/audited-vault': { VaultStack: { VaultBackupVault1234: 'AWS::Backup::BackupVault', VaultKey5678: 'AWS::KMS::Key' } } };

  test('a changed logical ID is reported with the entry that was pinned', () => {
    const after = { 'examples/audited-vault': { VaultStack: { VaultBackupVault9999: 'AWS::Backup::BackupVault', VaultKey5678: 'AWS::KMS::Key' } } };
    expect(removedOrChanged(pinned, after)).toEqual([
      '$.examples/audited-vault.VaultStack.VaultBackupVault1234: "AWS::Backup::BackupVault" was removed',
    ]);
  });

  test('a new pinned resource is not breaking', () => {
    const after = { 'examples/audited-vault': { VaultStack: { ...pinned['examples/audited-vault'].VaultStack, NewTable: 'AWS::DynamoDB::Table' } } };
    expect(removedOrChanged(pinned, after)).toEqual([]);
  });

  test('entries of a list are compared as a set: reordering is not a change, a changed entry is', () => {
    const before = [{ logicalId: 'A', type: 'AWS::KMS::Key' }, { logicalId: 'B', type: 'AWS::S3::Bucket' }];
    expect(removedOrChanged(before, [before[1], before[0]])).toEqual([]);
    expect(removedOrChanged(before, [before[0], { logicalId: 'B2', type: 'AWS::S3::Bucket' }])).toEqual([
      '$: {"logicalId":"B","type":"AWS::S3::Bucket"} was removed or changed',
    ]);
  });
});

describe('isMajorBump', () => {
  test.each([
    ['0.1.0', '0.2.0', true],
    ['0.1.3', '0.1.4', false],
    ['0.9.1', '1.0.0', true],
    ['1.2.3', '2.0.0', true],
    ['1.2.3', '1.3.0', false],
  ])('%s -> %s: %s', (previous, next, major) => {
    expect(isMajorBump(previous, next)).toBe(major);
  });
});

describe('judge', () => {
  const base = { reference: 'release v0.1.0', apiBreaks: [], statefulBreaks: [], commits: [] };
  const apiBreak = 'err  - PROP x.Props.a: has been removed [removed:x.Props.a]';

  test('no breaking change passes, whatever the commits say', () => {
    expect(judge({ ...base, commits: [{ sha: 'a1', message: 'feat: more' }] })).toEqual({
      ok: true, lines: ['compat: no breaking change since release v0.1.0'],
    });
  });

  test('a breaking change without a breaking commit fails and says how to mark it', () => {
    const verdict = judge({ ...base, apiBreaks: [apiBreak], commits: [{ sha: 'a1b2c3d4', message: 'feat: tidy props' }] });
    expect(verdict.ok).toBe(false);
    expect(verdict.lines.join('\n')).toMatch(/API: err {2}- PROP x\.Props\.a: has been removed/);
    expect(verdict.lines.join('\n')).toMatch(/no commit since release v0\.1\.0 is marked breaking.*\n.*`type!: \.\.\.`/);
  });

  test('a changed pinned resource counts as breaking too', () => {
    const verdict = judge({ ...base, statefulBreaks: ['manifest $.a.B: "AWS::S3::Bucket" was removed'] });
    expect(verdict.ok).toBe(false);
    expect(verdict.lines[1]).toBe('  pinned stateful resource: manifest $.a.B: "AWS::S3::Bucket" was removed');
  });

  test('a breaking change marked by a commit passes and names the commit', () => {
    const verdict = judge({ ...base, apiBreaks: [apiBreak], commits: [{ sha: 'a1b2c3d4', message: 'feat!: remove a\n\nbody' }] });
    expect(verdict.ok).toBe(true);
    expect(verdict.lines).toContain('marked breaking by a1b2c3d "feat!: remove a"');
  });

  test('in a release, a marked break still needs a major version: 0.1.0 -> 0.1.1 is refused, 0.2.0 passes', () => {
    const marked = { ...base, apiBreaks: [apiBreak], commits: [{ sha: 'a1b2c3d4', message: 'feat!: remove a' }], previousVersion: '0.1.0' };
    const refused = judge({ ...marked, releaseVersion: '0.1.1' });
    expect(refused.ok).toBe(false);
    expect(refused.lines[refused.lines.length - 1]).toBe('but the release is 0.1.0 -> 0.1.1, not a major version (under 0.x: a new minor): refusing it.');
    expect(judge({ ...marked, releaseVersion: '0.2.0' }).ok).toBe(true);
  });
});
