import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ACCOUNT, CENTRAL_VAULT_NAME, DR_TOPIC_NAME, applicationTopic, handlerVpc } from './all-options-resources';
import { applicationKey } from '../../examples/shared/example-resources';
import { AuditedVault, VaultEvent } from '../../src';

/**
 * The coverage app's stacks around the backup system: the AuditedVault stack (every prop, an
 * air-gapped vault with a passed key, the defaults) and the DR application's topic and VPC.
 */

/** AuditedVault: every prop, an air-gapped vault with a passed key, and the defaults. */
export class AllOptionsVaultsStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const breakGlass = new iam.Role(this, 'BreakGlassRole', {
      assumedBy: new iam.AccountPrincipal(ACCOUNT),
      description: 'Break-glass administrators who may delete recovery points',
    });
    const vpc = handlerVpc(this, 'HandlerVpc');

    const vaultTopic = applicationTopic(this, 'VaultTopic');
    const everyProp = new AuditedVault(this, 'EveryPropVault', {
      vaultName: CENTRAL_VAULT_NAME,
      encryptionKey: applicationKey(this, 'VaultKey'),
      vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(3650), changeableFor: Duration.hours(72) },
      notificationTopic: vaultTopic,
      notificationEvents: [
        backup.BackupVaultEvents.BACKUP_JOB_COMPLETED, backup.BackupVaultEvents.COPY_JOB_FAILED,
        backup.BackupVaultEvents.RESTORE_JOB_COMPLETED, backup.BackupVaultEvents.RECOVERY_POINT_MODIFIED,
      ],
      allowDeletionBy: [breakGlass],
      allowCopyFromAccounts: ['210987654321'],
      allowCopyFromOrganization: 'o-a1b2c3d4e5',
      handlerVpc: vpc,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The vault's event methods, with the application's own targets.
    everyProp.onBackupJobFailed('OnBackupJobFailed', { target: new targets.SnsTopic(vaultTopic) });
    everyProp.onCopyJobFailed('OnCopyJobFailed', { target: new targets.SnsTopic(vaultTopic) });
    // Vault notifications beyond aws-cdk-lib's BackupVaultEvents (issue 14).
    everyProp.addNotificationEvents(VaultEvent.CONTINUOUS_BACKUP_INTERRUPTED, VaultEvent.RECOVERY_POINT_INDEXING_FAILED,
      VaultEvent.EKS_BACKUP_OBJECT_FAILED, VaultEvent.ACCESS_POINT_CREATION_FAILED);

    new AuditedVault(this, 'AirGappedVault', {
      vaultName: 'all-options-isolated',
      airGapped: true,
      encryptionKey: applicationKey(this, 'AirGappedKey'),
      vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(365) },
      notificationTopic: vaultTopic,
      events: [VaultEvent.BACKUP_JOB_COMPLETED, VaultEvent.COPY_JOB_FAILED, VaultEvent.RECOVERY_POINT_INDEX_COMPLETED],
    });

    new AuditedVault(this, 'DefaultVault');
  }
}

/** The DR alarm topic and the VPC of the DR application, owned by the application in the DR region. */
export class AllOptionsDrTopicStack extends Stack {
  /** Where the application runs after a failover: the DR database secondaries are placed in it. */
  public readonly databaseVpc: ec2.Vpc;
  /** The DR topic's key, which the failover handler needs to publish. */
  public readonly topicKeyArn: string;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const topic = applicationTopic(this, 'DrAlarms', DR_TOPIC_NAME);
    // What the library's warning asks of an imported topic: let the services that publish alerts publish.
    for (const [sid, service] of [['Backup', 'backup'], ['Alarms', 'cloudwatch'], ['Rules', 'events']]) {
      topic.addToResourcePolicy(new iam.PolicyStatement({
        sid: `Allow${sid}ToPublish`,
        principals: [new iam.ServicePrincipal(`${service}.amazonaws.com`)],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      }));
    }
    this.topicKeyArn = topic.masterKey!.keyArn;
    this.databaseVpc = handlerVpc(this, 'DrApplicationVpc');
  }
}

