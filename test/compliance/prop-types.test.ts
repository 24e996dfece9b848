import { Duration, Stack } from 'aws-cdk-lib';
import {
  AuditedVault, BackupTier, CompliantBackupSystem, CrossRegionDr, OrganizationBackupPolicy, OrganizationTarget,
} from '../../src';
import { ComplianceRuleError } from '../../src/validation/errors';
import { testApp } from '../support/compliance';

/*
 * Props as a JavaScript or Python user can pass them: the wrong type reaches the construct,
 * which must answer with its own error naming the path, the prop, what it got and what it
 * expects, never a TypeError from deep inside.
 */

const ENV = { account: '123456789012', region: 'us-east-1' };
const stack = () => new Stack(testApp(), 'S', { env: ENV });

/** The library's error, with each fragment in its message; fails on any other error. */
function rejects(build: () => unknown, ...fragments: string[]): void {
  let error: unknown;
  try {
    build();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ComplianceRuleError);
  for (const fragment of fragments) expect((error as Error).message).toContain(fragment);
}

const wrong = (value: unknown) => value as any;

describe('AuditedVault', () => {
  test.each([
    ['vaultLock.minRetention', { vaultLock: { minRetention: wrong(7) } }, 'the number 7', 'expected a Duration'],
    ['vaultLock.minRetention', { vaultLock: wrong({}) }, 'missing', 'it is required'],
    ['vaultLock', { vaultLock: wrong('governance') }, "the string 'governance'", 'expected an object'],
    ['airGapped', { airGapped: wrong('yes') }, "the string 'yes'", 'expected true or false'],
    ['notificationEvents[1]', { notificationEvents: wrong(['BACKUP_JOB_FAILED', 'BACKUP_JOB_EXPLODED']) }, "the string 'BACKUP_JOB_EXPLODED'",
      'expected a member of BackupVaultEvents'],
    ['allowCopyFromAccounts', { allowCopyFromAccounts: wrong('111111111111') }, "the string '111111111111'", 'expected an array'],
    ['removalPolicy', { removalPolicy: wrong('DELETE') }, "the string 'DELETE'", 'RemovalPolicy.RETAIN'],
  ])('%s of the wrong type', (prop, props, got, allowed) => {
    rejects(() => new AuditedVault(stack(), 'Vault', props), `S/Vault: ${prop} is ${got}`, allowed);
  });

  test('props that are not an object', () => {
    rejects(() => new AuditedVault(stack(), 'Vault', wrong('my-vault')), "S/Vault: props is the string 'my-vault'", 'expected an object of props');
  });
});

describe('CompliantBackupSystem', () => {
  test('a number where a tier retention Duration belongs (issue 11: "d.toHours is not a function")', () => {
    rejects(() => new CompliantBackupSystem(stack(), 'Backups', { tiers: [BackupTier.daily({ retention: wrong(35) })] }),
      'S/Backups: tiers[0].retention is the number 35', 'expected a Duration');
  });

  test('Duration.minutes() retention gets the library\'s message, not aws-cdk-lib\'s CannotConvertedIntoWhole', () => {
    rejects(() => new CompliantBackupSystem(stack(), 'Backups', { tiers: [BackupTier.daily({ retention: Duration.minutes(90) })] }),
      'S/Backups: tiers[0].retention is 1 hour 30 minutes', 'whole days');
  });

  test('a plain object where a BackupTier belongs', () => {
    rejects(() => new CompliantBackupSystem(stack(), 'Backups', { tiers: [wrong({ retention: Duration.days(35) })] }),
      'S/Backups: tiers[0] is an object without tier props', 'expected a BackupTier');
  });

  test('addTier() with a tier whose schedule is a string', () => {
    const system = new CompliantBackupSystem(stack(), 'Backups');
    rejects(() => system.addTier(new BackupTier({ name: 'x', schedule: wrong('cron(0 5 * * ? *)'), retention: Duration.days(7) })),
      "S/Backups: tiers[1].schedule is the string 'cron(0 5 * * ? *)'", 'expected an events.Schedule');
  });

  test.each([
    ['selectionTags', { selectionTags: wrong({ backup: true }) }, 'an object (backup)', 'string keys to string values'],
    ['keyStrategy', { keyStrategy: wrong('shared') }, "the string 'shared'", 'KeyStrategy.SHARED'],
    ['audit.reportTemplates[0]', { audit: { reportTemplates: wrong(['BACKUP_JOBS']) } }, "the string 'BACKUP_JOBS'", 'ReportTemplate.BACKUP_JOB_REPORT'],
    ['restoreTesting.selections[0].resourceType', { restoreTesting: { selections: [wrong({})] } }, 'missing', 'RestoreTestingResourceType'],
    ['restoreTesting.startWindow', { restoreTesting: { startWindow: wrong(24) } }, 'the number 24', 'expected a Duration'],
    ['catalog', { catalog: wrong('false') }, "the string 'false'", 'expected true or false'],
    ['tenants', { tenants: wrong([1, 2]) }, 'the number 1', 'expected a string'],
  ])('%s of the wrong type', (prop, props, got, allowed) => {
    const at = prop === 'tenants' ? 'tenants[0]' : prop;
    rejects(() => new CompliantBackupSystem(stack(), 'Backups', props as any), `S/Backups: ${at} is ${got}`, allowed);
  });
});

describe('CrossRegionDr', () => {
  const valid = { drRegion: 'us-west-2', rpo: Duration.hours(1), rto: Duration.hours(4) };
  test.each([
    ['rpo', { ...valid, rpo: undefined }, 'missing', 'it is required'],
    ['rto', { ...valid, rto: wrong('4h') }, "the string '4h'", 'expected a Duration'],
    ['drRegion', { ...valid, drRegion: wrong(2) }, 'the number 2', 'expected a string'],
    ['failover.stepTimeout', { ...valid, failover: { stepTimeout: wrong(600) } }, 'the number 600', 'expected a Duration'],
    ['drVault.vaultLock.maxRetention', { ...valid, drVault: { vaultLock: { minRetention: Duration.days(7), maxRetention: wrong('1y') } } },
      "the string '1y'", 'expected a Duration'],
  ])('%s of the wrong type', (prop, props, got, allowed) => {
    rejects(() => new CrossRegionDr(stack(), 'Dr', props as any), `S/Dr: ${prop} is ${got}`, allowed);
  });
});

describe('OrganizationBackupPolicy', () => {
  const valid = { targets: [OrganizationTarget.organizationalUnit('ou-abcd-12345678')], regions: ['us-east-1'] };
  test.each([
    ['regions', { ...valid, regions: wrong('us-east-1') }, "the string 'us-east-1'", 'expected an array'],
    ['targets', { ...valid, targets: undefined }, 'missing', 'it is required'],
    ['maxConcurrentPercentage', { ...valid, maxConcurrentPercentage: wrong('25%') }, "the string '25%'", 'expected a finite number'],
    ['tiers[0].copyTo', { ...valid, tiers: [BackupTier.daily({ copyTo: wrong('arn:aws:backup:us-west-2:123456789012:backup-vault:x') })] },
      "the string 'arn:aws:backup:us-west-2:123456789012:ba...'", 'expected an array'],
  ])('%s of the wrong type', (prop, props, got, allowed) => {
    rejects(() => new OrganizationBackupPolicy(stack(), 'Org', props as any), `S/Org: ${prop} is ${got}`, allowed);
  });
});

test('well-typed props pass the shape checks untouched (tokens included)', () => {
  const s = stack();
  expect(() => new CompliantBackupSystem(s, 'Backups', {
    tiers: [BackupTier.daily({ retention: Duration.days(35) }), BackupTier.weekly()],
    selectionTags: { backup: 'true' },
    restoreTesting: {},
  })).not.toThrow();
});
