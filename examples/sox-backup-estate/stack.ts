import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { AuditedVault, BackupTier, ComplianceProfile, CompliantBackupSystem, IndexedResourceType, MalwareScanMode } from 'cdk-compliant-backup';

/** The copy destination's name and lock: the primary imports the vault with both. */
export const SOX_DR_VAULT_NAME = 'sox-dr';
// Compliance mode after a 72-hour grace period: the SOX profile requires it on every vault that holds its copies.
export const SOX_DR_VAULT_LOCK = { minRetention: Duration.days(30), maxRetention: Duration.days(400), changeableFor: Duration.hours(72) };

/**
 * The vault in the DR region that the SOX estate copies into, with the lock the copies
 * are checked against. It accepts copies from this account only (same-account copies).
 */
export class SoxDrVaultStack extends Stack {
  public readonly vault: AuditedVault;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.vault = new AuditedVault(this, 'DrVault', { vaultName: SOX_DR_VAULT_NAME, vaultLock: SOX_DR_VAULT_LOCK });
  }
}

/**
 * A seven-year SOX backup estate: daily backups kept seven years (cold after 90
 * days) with a 90-day copy in another region, and a critical tier kept a year in
 * a logically air-gapped vault. Daily recovery points are scanned for malware and
 * S3 ones indexed for search. The audit framework and reports
 * follow the tiers, the scan job report among them.
 */
export class SoxBackupEstateStack extends Stack {
  public readonly backups: CompliantBackupSystem;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // The vault in the DR region (SoxDrVaultStack), imported with its lock so that every copy
    // is checked against it: CloudFormation references do not cross regions, the ARN does.
    const drVault = AuditedVault.fromVaultAttributes(this, 'DrVault', {
      backupVaultArn: `arn:aws:backup:us-west-2:${this.account}:backup-vault:${SOX_DR_VAULT_NAME}`,
      vaultLock: SOX_DR_VAULT_LOCK,
    });

    this.backups = new CompliantBackupSystem(this, 'Backups', {
      profile: ComplianceProfile.sox(),
      tiers: [
        BackupTier.daily({
          retention: Duration.days(2555),
          moveToColdStorageAfter: Duration.days(90),
          copyTo: [drVault],
          copyRetention: Duration.days(90),
          // GuardDuty scans every daily recovery point in full (a recovery point that did not scan
          // clean alarms and fails restore tests), and S3 recovery points are indexed for search and
          // item-level restore. A tier of its own would change the primary vault's default lock.
          malwareScan: MalwareScanMode.FULL,
          backupIndexes: [IndexedResourceType.S3],
        }),
        BackupTier.hourly({
          name: 'critical',
          schedule: events.Schedule.cron({ minute: '0', hour: '*/4' }),
          retention: Duration.days(365),
          airGapped: true,
        }),
      ],
      audit: { configRecorder: true },
    });

    // The general ledger is protected explicitly, whatever its tags say.
    const ledger = new dynamodb.TableV2(this, 'Ledger', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      deletionProtection: true,
    });
    this.backups.protect(backup.BackupResource.fromArn(ledger.tableArn));
  }
}
