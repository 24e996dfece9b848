import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { AuditedVault, BackupTier, ComplianceProfile, CompliantBackupSystem } from 'cdk-compliant-backup';

/**
 * A seven-year SOX backup estate: daily backups kept seven years (cold after 90
 * days) with a 90-day copy in another region, and a critical tier kept a year in
 * a logically air-gapped vault. The audit framework and reports follow the tiers.
 */
export class SoxBackupEstateStack extends Stack {
  public readonly backups: CompliantBackupSystem;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // A vault in the DR region, owned by another stack or account.
    const drVault = AuditedVault.fromVaultArn(this, 'DrVault', `arn:aws:backup:us-west-2:${this.account}:backup-vault:sox-dr`);

    this.backups = new CompliantBackupSystem(this, 'Backups', {
      profile: ComplianceProfile.sox(),
      tiers: [
        BackupTier.daily({
          retention: Duration.days(2555),
          moveToColdStorageAfter: Duration.days(90),
          copyTo: [drVault],
          copyRetention: Duration.days(90),
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
