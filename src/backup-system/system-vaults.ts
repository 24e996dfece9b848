import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BackupTier } from './backup-tier';
import { CompliantBackupSystemProps } from './compliant-backup-system-props';
import { AuditedVault } from '../audited-vault';
import { VaultLock } from '../audited-vault-props';
import { ComplianceProfile } from '../compliance/compliance-profile';
import { ComplianceRuleError } from '../validation/errors';
import { checkProfileKey, checkProfileLockMode } from '../validation/plan';

/** The primary vault's lock when the user sets none: as long as the shortest tier, compliance mode under a compliance-mode profile. */
export function defaultPrimaryLock(tiers: BackupTier[], profile?: ComplianceProfile): VaultLock {
  const shortest = Math.min(...tiers.map((t) => t.retention.toDays()));
  const compliance = profile?.lockMode === 'COMPLIANCE';
  return {
    minRetention: Duration.days(Math.max(1, Number.isFinite(shortest) ? shortest : 1)),
    changeableFor: compliance ? Duration.hours(72) : undefined,
  };
}

/**
 * The system's logically air-gapped vault (`AirGappedVault` in `system`'s scope), when asked for or
 * when a tier is air-gapped. Its lock spans the air-gapped tiers' retentions.
 */
export function createAirGappedVault(
  system: Construct, props: CompliantBackupSystemProps, tiers: BackupTier[],
  o: { removalPolicy: RemovalPolicy; alarmTopic: sns.ITopic; alertKey?: kms.IKey },
): AuditedVault | undefined {
  const airGappedTiers = tiers.filter((t) => t.airGapped);
  if (props.airGappedVault === false && airGappedTiers.length > 0) {
    throw new ComplianceRuleError(system, 'airGappedVault', 'false',
      `tiers ${airGappedTiers.map((t) => `'${t.name}'`).join(', ')} are airGapped, which needs the air-gapped vault`);
  }
  if (!(props.airGappedVault ?? airGappedTiers.length > 0)) return undefined;
  // Without an air-gapped tier yet, the lock leaves room for any tier added later.
  const longest = airGappedTiers.length > 0 ? Math.max(...airGappedTiers.map((t) => t.retention.toDays()), 7) : 36500;
  return new AuditedVault(system, 'AirGappedVault', {
    airGapped: true,
    vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(longest) },
    notificationTopic: o.alarmTopic,
    alertKey: o.alertKey,
    handlerVpc: props.handlerVpc,
    removalPolicy: o.removalPolicy,
  });
}

/**
 * The system's primary vault (`PrimaryVault` in `system`'s scope), locked by default for the
 * shortest tier, and checked against the compliance profile's lock mode and key.
 */
export function createPrimaryVault(
  system: Construct, props: CompliantBackupSystemProps, tiers: BackupTier[],
  o: { removalPolicy: RemovalPolicy; alarmTopic: sns.ITopic; sharedKey?: kms.IKey },
): AuditedVault {
  const vault = new AuditedVault(system, 'PrimaryVault', {
    notificationTopic: o.alarmTopic,
    removalPolicy: o.removalPolicy,
    handlerVpc: props.handlerVpc,
    encryptionKey: o.sharedKey,
    alertKey: o.sharedKey,
    ...props.vault,
    vaultLock: props.vault?.vaultLock ?? defaultPrimaryLock(tiers, props.profile),
  });
  if (props.profile) {
    checkProfileLockMode(system, props.profile.name, props.profile.lockMode, vault.lockMode);
    checkProfileKey(system, props.profile, vault.encryptionKey);
  }
  return vault;
}
