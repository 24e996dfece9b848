import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import {
  AuditedVault, BackupTier, ComplianceProfile, OrganizationBackupPolicy, OrganizationTarget, RecoveryRestoreTesting, RecoveryVault,
  RestoreTestingResourceType,
} from 'cdk-compliant-backup';

/** The estate's accounts and places (placeholders: use your own). */
export const ESTATE = {
  organizationId: 'o-exampleorg1',
  managementAccount: '111111111111',
  vaultAccount: '222222222222',
  recoveryAccount: '333333333333',
  workloadOus: ['ou-ab12-11111111', 'ou-ab12-22222222'],
  memberRegions: ['eu-west-1', 'eu-central-1'],
  // Outside the member regions: every member region's copy is then cross-region as well as cross-account,
  // so the framework's cross-region control can pass in each of them.
  vaultRegion: 'eu-north-1',
  centralVaultName: 'org-recovery-vault',
} as const;

/**
 * The central vault account: a logically air-gapped vault every member account copies
 * into, shared through RAM with the recovery account.
 */
export class CentralVaultStack extends Stack {
  public readonly recoveryVault: RecoveryVault;

  constructor(scope: Construct, id: string, props: StackProps & { approvalTeamArn?: string }) {
    super(scope, id, props);
    this.recoveryVault = new RecoveryVault(this, 'RecoveryVault', {
      vaultName: ESTATE.centralVaultName,
      organizationId: ESTATE.organizationId,
      recoveryAccounts: [ESTATE.recoveryAccount],
      maxRetention: Duration.days(400),
      approvalTeamArn: props.approvalTeamArn,
    });
  }
}

/**
 * The management (or delegated-administrator) account: the backup policy on the
 * workload OUs, the StackSet that prepares every member account, and the org-wide reports.
 */
export class ManagementStack extends Stack {
  public readonly backupPolicy: OrganizationBackupPolicy;

  constructor(scope: Construct, id: string, props: StackProps & { centralVaultArn: string }) {
    super(scope, id, props);
    const central = AuditedVault.fromVaultArn(this, 'CentralVault', props.centralVaultArn);
    this.backupPolicy = new OrganizationBackupPolicy(this, 'BackupPolicy', {
      profile: ComplianceProfile.pciDss(),
      targets: ESTATE.workloadOus.map((ou) => OrganizationTarget.organizationalUnit(ou)),
      regions: [...ESTATE.memberRegions],
      tiers: [
        // The archive tier the profile asks for, with a copy into the central air-gapped vault.
        BackupTier.daily({ retention: Duration.days(400), copyTo: [central], copyRetention: Duration.days(35) }),
        BackupTier.hourly({ name: 'operational', schedule: events.Schedule.cron({ minute: '0', hour: '*/4' }), retention: Duration.days(7) }),
      ],
      expectedMemberAccounts: 1000,
    });
  }
}

/**
 * The recovery account: restore tests of the shared vault, run away from the accounts
 * whose backups they prove.
 */
export class RecoveryStack extends Stack {
  public readonly restoreTesting: RecoveryRestoreTesting;

  constructor(scope: Construct, id: string, props: StackProps & { sharedVaultArn: string }) {
    super(scope, id, props);
    this.restoreTesting = new RecoveryRestoreTesting(this, 'RestoreTesting', {
      sharedVaultArn: props.sharedVaultArn,
      restoreTesting: {
        selections: [
          { resourceType: RestoreTestingResourceType.DYNAMODB },
          { resourceType: RestoreTestingResourceType.S3 },
        ],
      },
    });
  }
}
