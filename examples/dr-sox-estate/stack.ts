import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { BackupTier, ComplianceProfile, CompliantBackupSystem, CrossRegionDr } from 'cdk-compliant-backup';

/**
 * The SOX backup estate with every tier copied into a DR vault in us-west-2:
 * RPO 24 hours, RTO 4 hours.
 */
export class SoxDrPrimaryStack extends Stack {
  public readonly backups: CompliantBackupSystem;
  public readonly dr: CrossRegionDr;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.backups = new CompliantBackupSystem(this, 'Backups', {
      profile: ComplianceProfile.sox(),
      tiers: [
        BackupTier.daily({ retention: Duration.days(2555), moveToColdStorageAfter: Duration.days(90), copyToDr: true }),
        BackupTier.hourly({
          name: 'critical',
          schedule: events.Schedule.cron({ minute: '0', hour: '*/4' }),
          retention: Duration.days(365),
          airGapped: true,
          copyToDr: true,
        }),
      ],
    });

    this.dr = new CrossRegionDr(this, 'Dr', {
      drRegion: 'us-west-2',
      rpo: Duration.hours(24),
      rto: Duration.hours(4),
      backupSystem: this.backups,
    });
  }
}
