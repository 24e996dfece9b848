import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AdditionalResourceType, AuditedVault, BackupTier, CompliantBackupSystem, IndexedResourceType, MalwareScanMode } from '../../src';
import { testApp } from '../support/compliance';

// IAM attaches at most 10 managed policies to a role. Copy destinations each add one to the
// backup role, and so do Windows VSS, malware scanning, EBS indexes and additional resource
// types: the synth-time check counts them all.

const ENV = { account: '111111111111', region: 'eu-west-1' };

/** A system copying into `destinations` vaults, with every feature that attaches a policy to the backup role, or none. */
function buildSystem(destinations: number, features: boolean): Stack {
  const stack = new Stack(testApp(), 'Sys', { env: ENV });
  const vaults = Array.from({ length: destinations }, (_, i) =>
    AuditedVault.fromVaultArn(stack, `Dest${i}`, `arn:aws:backup:eu-west-1:111111111111:backup-vault:dest-${i}`));
  new CompliantBackupSystem(stack, 'Backups', {
    tiers: [
      BackupTier.daily({ copyTo: vaults, ...(features ? { malwareScan: MalwareScanMode.FULL, backupIndexes: [IndexedResourceType.EBS] } : {}) }),
    ],
    ...(features ? { advancedBackupSettings: { windowsVss: true }, additionalResourceTypes: [AdditionalResourceType.EKS] } : {}),
  });
  return stack;
}

/** Managed policies attached to the backup role in the synthesized template. */
function backupRolePolicies(stack: Stack): number {
  const template = Template.fromStack(stack);
  const [roleId] = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => id.startsWith('BackupsBackupRole'));
  return Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
    .filter((p: any) => (p.Properties.Roles ?? []).some((r: any) => r.Ref === roleId)).length;
}

describe('the backup role stays within IAM\'s 10 managed policies', () => {
  const withFeatures = backupRolePolicies(buildSystem(0, true));
  const withoutFeatures = backupRolePolicies(buildSystem(0, false));
  const fillUp = 10 - withFeatures;

  test('the features attach policies of their own (Windows VSS, scanning, EBS indexes, additional types)', () => {
    expect(withFeatures - withoutFeatures).toBe(4);
    expect(fillUp).toBeGreaterThan(0);
  });

  test('exactly 10 policies: synthesizes', () => {
    expect(backupRolePolicies(buildSystem(fillUp, true))).toBe(10);
  });

  test('one more copy destination makes 11, counted with the features\' policies: a clear error', () => {
    expect(() => Template.fromStack(buildSystem(fillUp + 1, true))).toThrow(
      new RegExp(`Sys/Backups.*copy destinations.*${fillUp + 1} vaults.*Sys/Backups/BackupRole would have 11 managed policies \\(its own \\d+, of which `
        + 'one per copy destination, and [1-9] from other features\\); IAM attaches at most 10 managed policies to a role'),
    );
  });

  test('the same destinations without the features: within the quota', () => {
    expect(backupRolePolicies(buildSystem(fillUp + 1, false))).toBe(11 - 4);
  });
});
