import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AuditedVault, BackupTier, CompliantBackupSystem, CompliantBackupSystemProps } from '../../src';
import { policyOf } from '../organization/support';
import { testApp } from '../support/compliance';

/*
 * Storage tiers (issue 14, item 4): the EBS archive opt-in on rules and copies, the
 * cold-storage warnings, the S3 low-cost tier, and every rule that guards them.
 */

const ENV = { account: '111111111111', region: 'eu-west-1' };
const OFFSITE_ARN = 'arn:aws:backup:eu-central-1:111111111111:backup-vault:offsite';

function systemStack(props: CompliantBackupSystemProps = {}) {
  const stack = new Stack(testApp(), 'Tiers', { env: ENV });
  const system = new CompliantBackupSystem(stack, 'Backups', props);
  return { stack, system };
}

function rule(stack: Stack, name: string): any {
  const [plan] = Object.values(Template.fromStack(stack).findResources('AWS::Backup::BackupPlan')) as any[];
  const rules = plan.Properties.BackupPlan.BackupPlanRule.filter((r: any) => r.RuleName === name);
  expect(rules).toHaveLength(1);
  return rules[0];
}

function warnings(stack: Stack, id: string): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(id)).map((w) => String(w.entry.data));
}

/** The error message of `build`, which must throw. */
function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const archiveTier = (o: Partial<Parameters<typeof BackupTier.monthly>[0]> = {}) => BackupTier.monthly({
  retention: Duration.days(2555), moveToColdStorageAfter: Duration.days(90), archiveEbsSnapshots: true, ...o,
});

describe('EBS archive opt-in', () => {
  test('a cold tier that archives renders OptInToArchiveForSupportedResources on its rule', () => {
    const { stack } = systemStack({ tiers: [archiveTier()] });
    expect(rule(stack, 'monthly').Lifecycle).toEqual({
      DeleteAfterDays: 2555, MoveToColdStorageAfterDays: 90, OptInToArchiveForSupportedResources: true,
    });
  });

  test('without the option, the lifecycle carries no opt-in (AWS keeps EBS snapshots warm)', () => {
    const { stack } = systemStack({ tiers: [archiveTier({ archiveEbsSnapshots: undefined })] });
    expect(rule(stack, 'monthly').Lifecycle).toEqual({ DeleteAfterDays: 2555, MoveToColdStorageAfterDays: 90 });
  });

  test('copies that go cold opt in too; copies that stay warm do not', () => {
    const stack = new Stack(testApp(), 'Tiers', { env: ENV });
    const offsite = AuditedVault.fromVaultAttributes(stack, 'Offsite', { backupVaultArn: OFFSITE_ARN });
    new CompliantBackupSystem(stack, 'Backups', {
      tiers: [
        archiveTier({ copyTo: [offsite] }),
        BackupTier.weekly({
          name: 'weekly-copies-cold',
          retention: Duration.days(35),
          copyTo: [offsite],
          copyRetention: Duration.days(400),
          copyMoveToColdStorageAfter: Duration.days(30),
          archiveEbsSnapshots: true,
        }),
        archiveTier({ name: 'warm-copies', copyTo: [offsite], copyRetention: Duration.days(35) }),
      ],
    });
    // Inherited lifecycle: the copy goes cold with the tier.
    expect(rule(stack, 'monthly').CopyActions[0].Lifecycle).toEqual({
      DeleteAfterDays: 2555, MoveToColdStorageAfterDays: 90, OptInToArchiveForSupportedResources: true,
    });
    // Only the copies go cold: the rule's own lifecycle has nothing to archive.
    const weekly = rule(stack, 'weekly-copies-cold');
    expect(weekly.Lifecycle).toEqual({ DeleteAfterDays: 35 });
    expect(weekly.CopyActions[0].Lifecycle).toEqual({
      DeleteAfterDays: 400, MoveToColdStorageAfterDays: 30, OptInToArchiveForSupportedResources: true,
    });
    // The tier archives, its copies stay warm.
    const warm = rule(stack, 'warm-copies');
    expect(warm.Lifecycle.OptInToArchiveForSupportedResources).toBe(true);
    expect(warm.CopyActions[0].Lifecycle).toEqual({ DeleteAfterDays: 35 });
  });

  test('archiving needs cold storage on the tier or its copies', () => {
    expect(errorOf(() => systemStack({ tiers: [BackupTier.monthly({ archiveEbsSnapshots: true })] }))).toBe(
      'Tiers/Backups: tiers[0].archiveEbsSnapshots is true; EBS snapshots are archived when they move to cold storage: set '
      + 'tiers[0].moveToColdStorageAfter (or copyMoveToColdStorageAfter, with copyRetention at least 90 days longer)');
  });

  test('the same rule holds for tiers added later', () => {
    const { system } = systemStack();
    expect(() => system.addTier(BackupTier.weekly({ archiveEbsSnapshots: true })))
      .toThrow("Tiers/Backups: tiers['weekly'].archiveEbsSnapshots is true; EBS snapshots are archived when they move to cold storage");
  });

  test('continuous tiers cannot archive: they cannot go cold at all', () => {
    expect(() => systemStack({ tiers: [BackupTier.continuous({ archiveEbsSnapshots: true, moveToColdStorageAfter: Duration.days(1) })] }))
      .toThrow('tiers[0].moveToColdStorageAfter is 1 day; continuous backups cannot move to cold storage');
  });

  // The 90-day archive minimum is kept by two rules together: retention >= cold + 90
  // (checkLifecycle) and retention within every lock (checkRetentionWithinLock).
  test('the archive minimum must fit within the lock of the primary vault', () => {
    expect(() => systemStack({
      tiers: [archiveTier({ retention: Duration.days(150), moveToColdStorageAfter: Duration.days(90) })],
      vault: { vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(365) } },
    })).toThrow('tiers[0].retention is 150 days; recovery points moved to cold storage after 90 days must be kept at least 180 days');
    expect(() => systemStack({
      tiers: [archiveTier({ retention: Duration.days(400), moveToColdStorageAfter: Duration.days(300) })],
      vault: { vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(365) } },
    })).toThrow("tiers['monthly'].retention is 400 days; the primary vault Tiers/Backups/PrimaryVault is locked with a maximum retention of 365 days");
  });

  test('... and within the lock of a copy destination whose lock is known', () => {
    const stack = new Stack(testApp(), 'Tiers', { env: ENV });
    const offsite = AuditedVault.fromVaultAttributes(stack, 'Offsite', {
      backupVaultArn: OFFSITE_ARN, vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(365) },
    });
    expect(() => new CompliantBackupSystem(stack, 'Backups', {
      tiers: [BackupTier.monthly({
        retention: Duration.days(35),
        copyTo: [offsite],
        archiveEbsSnapshots: true,
        copyRetention: Duration.days(400),
        copyMoveToColdStorageAfter: Duration.days(300),
      })],
    })).toThrow("tiers['monthly'].copyRetention is 400 days; copy destination Tiers/Offsite is locked with a maximum retention of 365 days");
  });

  test('... and within the lock of the air-gapped vault', () => {
    const { system } = systemStack({ airGappedVault: true, tiers: [BackupTier.daily()] });
    expect(() => system.addTier(archiveTier({ airGapped: true }))).not.toThrow();
    // The air-gapped vault's lock was sized at construction (36500 days without air-gapped tiers); a tighter one is checked.
    const tight = systemStack({ tiers: [BackupTier.daily({ airGapped: true, retention: Duration.days(35) })] }).system;
    expect(() => tight.addTier(archiveTier({ name: 'archive', airGapped: true })))
      .toThrow("tiers['archive'].retention is 2555 days; the air-gapped vault Tiers/Backups/AirGappedVault is locked with a maximum retention of 35 days");
  });

  test('an organization backup policy rejects the opt-in it cannot render', () => {
    expect(() => policyOf({ tiers: [archiveTier()] })).toThrow(
      'Mgmt/Org: tiers[0].archiveEbsSnapshots is true; an organization backup policy rendered by this library cannot opt EBS snapshots '
      + 'into the archive tier');
  });
});

describe('where AWS Backup ignores cold storage', () => {
  test('a cold tier is told which protected types stay warm, EBS among them without the opt-in', () => {
    const { stack } = systemStack({ tiers: [archiveTier({ archiveEbsSnapshots: false })] });
    expect(warnings(stack, 'cold-storage-ignored')).toEqual([expect.stringMatching(
      /^Tiers\/Backups: tiers\['monthly'\] moves recovery points after 90 days to cold storage, but AWS Backup ignores cold storage for RDS, Aurora, DocumentDB, Neptune, EC2, S3, EBS \(set archiveEbsSnapshots\): those recovery points stay in warm storage/)]);
  });

  test('with the opt-in, EBS is no longer among the warm ones', () => {
    const { stack } = systemStack({ tiers: [archiveTier()] });
    const [warning] = warnings(stack, 'cold-storage-ignored');
    expect(warning).toContain('ignores cold storage for RDS, Aurora, DocumentDB, Neptune, EC2, S3:');
    expect(warning).toContain('Only EFS, DynamoDB with advanced backup features and EBS (archive tier) go cold');
  });

  test('copies that go cold are named too', () => {
    const { stack } = systemStack({
      tiers: [BackupTier.weekly({
        retention: Duration.days(35),
        copyRetention: Duration.days(400),
        copyMoveToColdStorageAfter: Duration.days(30),
        copyTo: [],
      })],
    });
    expect(warnings(stack, 'cold-storage-ignored')).toEqual([expect.stringContaining("tiers['weekly'] moves copies after 30 days to cold storage")]);
  });

  test('a warm plan gets no such warning', () => {
    const { stack } = systemStack({ tiers: [BackupTier.daily(), BackupTier.monthly()] });
    expect(warnings(stack, 'cold-storage-ignored')).toEqual([]);
  });

  test('archiving a daily tier is warned (AWS recommends monthly or rarer); a monthly one is not', () => {
    const daily = systemStack({
      tiers: [BackupTier.daily({
        retention: Duration.days(200),
        moveToColdStorageAfter: Duration.days(30),
        archiveEbsSnapshots: true,
      })],
    }).stack;
    expect(warnings(daily, 'ebs-archive-frequent')).toEqual([expect.stringContaining(
      "Tiers/Backups: tiers['daily'].archiveEbsSnapshots archives a snapshot at least every 24 hours")]);
    expect(warnings(systemStack({ tiers: [archiveTier()] }).stack, 'ebs-archive-frequent')).toEqual([]);
  });
});

describe('S3 low-cost tier', () => {
  const long = BackupTier.monthly({ retention: Duration.days(365) });

  test('renders a TieringConfiguration for every S3 resource of the primary vault, retained, at a stable path', () => {
    const { stack, system } = systemStack({ tiers: [long], s3LowCostTier: { tierDownAfter: Duration.days(90) } });
    const template = Template.fromStack(stack);
    const configs = template.findResources('AWS::Backup::TieringConfiguration');
    expect(Object.keys(configs)).toEqual([expect.stringMatching(/^BackupsS3LowCostTier[0-9A-F]{8}$/)]);
    const [config] = Object.values(configs) as any[];
    expect(config.DeletionPolicy).toBe('Retain');
    expect(config.UpdateReplacePolicy).toBe('Retain');
    // A Ref to the vault: CloudFormation creates the vault first.
    expect(config.Properties.BackupVaultName).toEqual({ Ref: expect.stringMatching(/^BackupsPrimaryVault/) });
    expect(config.Properties.ResourceSelection).toEqual([{ ResourceType: 'S3', Resources: ['*'], TieringDownSettingsInDays: 90 }]);
    expect(config.Properties.TieringConfigurationName).toMatch(/^[A-Za-z0-9_]{1,200}$/);
    expect(system.s3TieringConfiguration?.node.path).toBe('Tiers/Backups/S3LowCostTier/Resource');
  });

  test('follows the system removal policy', () => {
    const { stack } = systemStack({ tiers: [long], s3LowCostTier: { tierDownAfter: Duration.days(90) }, removalPolicy: RemovalPolicy.DESTROY });
    const [config] = Object.values(Template.fromStack(stack).findResources('AWS::Backup::TieringConfiguration')) as any[];
    expect(config.DeletionPolicy).toBe('Delete');
  });

  test('no low-cost tier unless asked', () => {
    Template.fromStack(systemStack({ tiers: [long] }).stack).resourceCountIs('AWS::Backup::TieringConfiguration', 0);
  });

  test.each([
    [Duration.days(59), '59 days'],
    [Duration.days(36501), '36501 days'],
  ])('tierDownAfter %s is outside AWS\'s 60-36500 days', (tierDownAfter, shown) => {
    expect(errorOf(() => systemStack({ tiers: [long], s3LowCostTier: { tierDownAfter } }))).toBe(
      `Tiers/Backups: s3LowCostTier.tierDownAfter is ${shown}; AWS Backup moves S3 recovery points to the low-cost tier after 60-36500 days in the vault`);
  });

  test('tierDownAfter counts whole days', () => {
    expect(() => systemStack({ tiers: [long], s3LowCostTier: { tierDownAfter: Duration.hours(1500) } }))
      .toThrow('Tiers/Backups: s3LowCostTier.tierDownAfter is 62 days 12 hours; AWS Backup counts retention in whole days');
  });

  test('tiering after every recovery point is deleted moves nothing: an error at synth', () => {
    const { stack } = systemStack({ tiers: [BackupTier.daily(), BackupTier.weekly()], s3LowCostTier: { tierDownAfter: Duration.days(90) } });
    expect(() => (stack.node.root as any).synth()).toThrow(
      'Tiers/Backups: s3LowCostTier.tierDownAfter is 90 days; the tiers whose S3 recovery points land in the primary vault '
      + 'Tiers/Backups/PrimaryVault delete them first (daily: 35 days, weekly: 90 days): tier down before the longest retention, or drop s3LowCostTier');
  });

  test('a tier added later with a longer retention makes the same configuration valid', () => {
    const { stack, system } = systemStack({ tiers: [BackupTier.daily()], s3LowCostTier: { tierDownAfter: Duration.days(90) } });
    system.addTier(BackupTier.monthly());
    expect(() => (stack.node.root as any).synth()).not.toThrow();
  });

  test('air-gapped tiers do not count: their S3 backups land in the air-gapped vault', () => {
    const { stack } = systemStack({
      tiers: [BackupTier.daily(), BackupTier.monthly({ airGapped: true })], s3LowCostTier: { tierDownAfter: Duration.days(90) },
    });
    expect(() => (stack.node.root as any).synth()).toThrow('delete them first (daily: 35 days)');
  });

  test('the primary vault\'s lock bounds how long anything there can live', () => {
    const { stack } = systemStack({
      tiers: [BackupTier.monthly({ retention: Duration.days(120) })],
      vault: { vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(120) } },
      s3LowCostTier: { tierDownAfter: Duration.days(120) },
    });
    expect(() => (stack.node.root as any).synth()).toThrow(
      'Tiers/Backups: s3LowCostTier.tierDownAfter is 120 days; the primary vault Tiers/Backups/PrimaryVault is locked with a maximum '
      + 'retention of 120 days, so no recovery point there lives long enough to be tiered');
  });

  test('a JavaScript caller passing a number is told the type', () => {
    expect(() => systemStack({ tiers: [long], s3LowCostTier: { tierDownAfter: 90 as any } })).toThrow(/s3LowCostTier\.tierDownAfter/);
  });
});
