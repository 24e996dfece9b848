import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AuditedVault, BackupTier, ComplianceProfile, CompliantBackupSystem, CompliantBackupSystemProps, RequirementBasis, VaultLockMode,
} from '../../src';
import { testApp } from '../support/compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };
const DR_ARN = 'arn:aws:backup:us-west-2:111111111111:backup-vault:dr';
const SAME_REGION_ARN = 'arn:aws:backup:us-east-1:222222222222:backup-vault:other-account';

/** Builds the system and synthesizes: profile checks that depend on every tier run at synth. */
function synth(props: CompliantBackupSystemProps | ((stack: Stack) => CompliantBackupSystemProps),
  extra?: (system: CompliantBackupSystem) => void): () => Template {
  return () => {
    const stack = new Stack(testApp(), 'P', { env: ENV });
    const system = new CompliantBackupSystem(stack, 'Backups', typeof props === 'function' ? props(stack) : props);
    extra?.(system);
    return Template.fromStack(stack);
  };
}

const SEVEN_YEARS = Duration.days(2555);

describe('preset profiles', () => {
  test('SOX: 2555 days, daily, compliance-mode lock, customer-managed key, no cross-region requirement', () => {
    const p = ComplianceProfile.sox();
    expect(p.name).toBe('SOX');
    expect(p.minRetention?.toDays()).toBe(2555);
    expect(p.maxBackupInterval?.toHours()).toBe(24);
    expect(p.lockMode).toBe(VaultLockMode.COMPLIANCE);
    expect(p.requireCrossRegionCopy).toBe(false);
    expect(p.requireCustomerManagedKey).toBe(true);
  });

  test('HIPAA: 2190 days, daily, governance lock, cross-region copy, customer-managed key', () => {
    const p = ComplianceProfile.hipaa();
    expect(p.name).toBe('HIPAA');
    expect(p.minRetention?.toDays()).toBe(2190);
    expect(p.maxBackupInterval?.toHours()).toBe(24);
    expect(p.lockMode).toBe(VaultLockMode.GOVERNANCE);
    expect(p.requireCrossRegionCopy).toBe(true);
    expect(p.requireCustomerManagedKey).toBe(true);
  });

  test('PCI DSS: 365 days, daily, governance lock, customer-managed key, no cross-region requirement', () => {
    const p = ComplianceProfile.pciDss();
    expect(p.name).toBe('PCI-DSS');
    expect(p.minRetention?.toDays()).toBe(365);
    expect(p.maxBackupInterval?.toHours()).toBe(24);
    expect(p.lockMode).toBe(VaultLockMode.GOVERNANCE);
    expect(p.requireCrossRegionCopy).toBe(false);
    expect(p.requireCustomerManagedKey).toBe(true);
  });

  test.each([
    ['sox', ComplianceProfile.sox()],
    ['hipaa', ComplianceProfile.hipaa()],
    ['pciDss', ComplianceProfile.pciDss()],
  ])('%s: every requirement has a value, a basis and a cited source', (_, p) => {
    expect(p.requirements.length).toBeGreaterThanOrEqual(3);
    for (const r of p.requirements) {
      expect(r.name.length).toBeGreaterThan(0);
      expect(r.value.length).toBeGreaterThan(0);
      expect(Object.values(RequirementBasis)).toContain(r.basis);
      expect(r.source.length).toBeGreaterThan(40);
    }
    expect(p.requirements.map((r) => r.name)).toContain('minimum retention');
  });

  test('sources are cited precisely, and opinions are labelled as such', () => {
    const retention = (p: ComplianceProfile) => p.requirements.find((r) => r.name === 'minimum retention')!;
    expect(retention(ComplianceProfile.sox()).source).toMatch(/17 CFR 210\.2-06/);
    expect(retention(ComplianceProfile.hipaa()).source).toMatch(/45 CFR 164\.316\(b\)\(2\)\(i\)/);
    for (const p of [ComplianceProfile.sox(), ComplianceProfile.hipaa(), ComplianceProfile.pciDss()]) {
      expect(retention(p).basis).toBe(RequirementBasis.LIBRARY_OPINION);
    }
  });

  test('PCI DSS states that it sets no backup retention', () => {
    const retention = ComplianceProfile.pciDss().requirements.find((r) => r.name === 'minimum retention')!;
    expect(retention.source).toMatch(/^PCI DSS v4\.0 sets no backup retention\./);
  });

  test('custom: defaults to governance, customer-managed key, no cross-region copy; labelled as the user policy', () => {
    const p = ComplianceProfile.custom({ name: 'Ours', minRetention: Duration.days(90) });
    expect(p.lockMode).toBe(VaultLockMode.GOVERNANCE);
    expect(p.requireCustomerManagedKey).toBe(true);
    expect(p.requireCrossRegionCopy).toBe(false);
    expect(p.maxBackupInterval).toBeUndefined();
    expect(p.requirements).toEqual([{
      name: 'all minimums', value: 'as declared', basis: RequirementBasis.LIBRARY_OPINION, source: "The Ours profile is the user's own policy.",
    }]);
  });
});

describe('a profile checks the tiers at synth', () => {
  test('no tier keeps recovery points long enough', () => {
    expect(synth({ profile: ComplianceProfile.sox(), tiers: [BackupTier.daily(), BackupTier.monthly()] })).toThrow(
      'P/Backups: tiers is [daily: every 1 day, kept 35 days; monthly: every 31 days, kept 365 days]; '
      + 'the SOX profile requires at least one tier to keep recovery points for 2555 days or longer');
  });

  test('the long-kept tier backs up too rarely', () => {
    expect(synth({ profile: ComplianceProfile.sox(), tiers: [BackupTier.hourly(), BackupTier.weekly({ retention: SEVEN_YEARS })] })).toThrow(
      'P/Backups: tiers is [hourly: every 1 hour, kept 7 days; weekly: every 7 days, kept 2555 days]; '
      + 'the SOX profile requires the tier that keeps recovery points 2555 days or longer to back up at least every 1 day');
  });

  test('a tier added with addTier() counts: the check runs on the whole plan', () => {
    expect(synth({ profile: ComplianceProfile.pciDss(), tiers: [BackupTier.daily()] })).toThrow(
      'P/Backups: tiers is [daily: every 1 day, kept 35 days]; the PCI-DSS profile requires at least one tier to keep recovery points for 365 days or longer');
    expect(synth({ profile: ComplianceProfile.pciDss(), tiers: [BackupTier.daily()] },
      (s) => s.addTier(BackupTier.daily({ name: 'yearly', retention: Duration.days(365) })))).not.toThrow();
  });

  test('an operational short tier beside a compliant archive tier is fine; the lock follows the shortest', () => {
    const template = synth({
      profile: ComplianceProfile.sox(),
      tiers: [
        BackupTier.daily({ name: 'archive', retention: SEVEN_YEARS, moveToColdStorageAfter: Duration.days(90) }),
        BackupTier.hourly({ name: 'operational', schedule: events.Schedule.cron({ minute: '0', hour: '*/4' }) }),
      ],
    })();
    template.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 7, ChangeableForDays: 3 } });
  });

  test('PCI DSS with one daily tier kept a year passes', () => {
    expect(synth({ profile: ComplianceProfile.pciDss(), tiers: [BackupTier.daily({ retention: Duration.days(365) })] })).not.toThrow();
  });

  test('HIPAA without a cross-region copy fails', () => {
    expect(synth({ profile: ComplianceProfile.hipaa(), tiers: [BackupTier.daily({ retention: Duration.days(2190) })] })).toThrow(
      'P/Backups: tiers is without a cross-region copy; the HIPAA profile requires at least one tier to copy to another region '
      + '(copyToDr with a CrossRegionDr, or copyTo a vault in another region)');
  });

  test('HIPAA with a copy to a vault in the same region (another account) still fails', () => {
    expect(synth((stack) => ({
      profile: ComplianceProfile.hipaa(),
      tiers: [BackupTier.daily({ retention: Duration.days(2190), copyTo: [AuditedVault.fromVaultArn(stack, 'Other', SAME_REGION_ARN)] })],
    }))).toThrow('P/Backups: tiers is without a cross-region copy; the HIPAA profile requires');
  });

  test('HIPAA with copyTo a vault in another region passes', () => {
    const template = synth((stack) => ({
      profile: ComplianceProfile.hipaa(),
      tiers: [BackupTier.daily({ retention: Duration.days(2190), copyTo: [AuditedVault.fromVaultArn(stack, 'Dr', DR_ARN)] })],
    }))();
    template.resourceCountIs('AWS::Backup::BackupPlan', 1);
  });

  test('a profile lock mode stronger than the vault lock given is an error', () => {
    const stack = new Stack(testApp(), 'P', { env: ENV });
    expect(() => new CompliantBackupSystem(stack, 'Backups', {
      profile: ComplianceProfile.sox(),
      tiers: [BackupTier.daily({ retention: SEVEN_YEARS })],
      vault: { vaultLock: { minRetention: Duration.days(30) } },
    })).toThrow('P/Backups: vault.vaultLock is a governance-mode lock; '
      + 'the SOX profile requires a compliance-mode vault lock (set vault.vaultLock.changeableFor, at least 72 hours)');
  });

  test('a compliance-mode vault lock given explicitly satisfies SOX', () => {
    const template = synth({
      profile: ComplianceProfile.sox(),
      tiers: [BackupTier.daily({ retention: SEVEN_YEARS })],
      vault: { vaultLock: { minRetention: Duration.days(30), changeableFor: Duration.days(7) } },
    })();
    template.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 30, ChangeableForDays: 7 } });
  });

  test('more than 5 roles allowed to delete cannot be expressed in the audit control', () => {
    expect(synth((stack) => ({
      vault: {
        allowDeletionBy: [1, 2, 3, 4, 5, 6].map((i) => new iam.Role(stack, `Janitor${i}`, { assumedBy: new iam.AccountRootPrincipal() })),
      },
    }))).toThrow('P/Backups: vault.allowDeletionBy is 6 roles; the audit control for manual deletion accepts at most 5 exempt roles');
  });

  test('5 roles allowed to delete are fine', () => {
    expect(synth((stack) => ({
      vault: {
        allowDeletionBy: [1, 2, 3, 4, 5].map((i) => new iam.Role(stack, `Janitor${i}`, { assumedBy: new iam.AccountRootPrincipal() })),
      },
    }))).not.toThrow();
  });
});
