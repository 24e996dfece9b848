/**
 * The SOX backup estate of examples/sox-backup-estate written by hand with plain
 * aws-cdk-lib, as a user would instead of using the library: L2 constructs where
 * aws-cdk-lib has them (keys, topic, vault, plan, selections, buckets, table,
 * alarms, rules, dashboard), L1 elsewhere (air-gapped vault, framework, report
 * plans, Config recorder).
 *
 * Same rules and copy as the example (daily kept 2555 days, cold after 90, copied
 * to the DR vault for 90 days; critical every 4 hours kept 365 days in a logically
 * air-gapped vault), a compliance-mode lock, tag and ARN selections, a framework
 * with the same eight controls, the five report plans into an encrypted report
 * bucket with access logs, a Config recorder, failure alarms and rules, a dashboard.
 *
 * What it does not have (the library delivers these on top): the backup catalog
 * (table, queues, two handlers, reconciler), the readable failed-job alert
 * handlers with their dead-letter queues and alarms, the scoped replacement of the
 * AWS-managed backup role policies, and the synth-time checks.
 */
import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as config from 'aws-cdk-lib/aws-config';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

const SCOPE_TAG = { Key: 'Backup', Value: 'true' };

export class SoxPeerStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Alarms and vault notifications.
    const alarmKey = new kms.Key(this, 'AlarmKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    for (const service of ['backup.amazonaws.com', 'events.amazonaws.com', 'cloudwatch.amazonaws.com']) {
      alarmKey.grant(new iam.ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey');
    }
    const topic = new sns.Topic(this, 'AlarmTopic', { masterKey: alarmKey, enforceSSL: true });
    topic.grantPublish(new iam.ServicePrincipal('backup.amazonaws.com'));

    // Vaults: a locked primary vault and a logically air-gapped one.
    const vaultKey = new kms.Key(this, 'VaultKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    const denyDeletion = new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
        resources: ['*'],
      })],
    });
    const vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: vaultKey,
      accessPolicy: denyDeletion,
      notificationTopic: topic,
      notificationEvents: [
        backup.BackupVaultEvents.BACKUP_JOB_COMPLETED,
        backup.BackupVaultEvents.COPY_JOB_FAILED,
        backup.BackupVaultEvents.RESTORE_JOB_COMPLETED,
        backup.BackupVaultEvents.RECOVERY_POINT_MODIFIED,
      ],
      lockConfiguration: { minRetention: Duration.days(365), changeableFor: Duration.days(3) },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const airGapped = new backup.CfnLogicallyAirGappedBackupVault(this, 'AirGappedVault', {
      backupVaultName: 'sox-air-gapped',
      minRetentionDays: 7,
      maxRetentionDays: 365,
      accessPolicy: denyDeletion,
      notifications: { backupVaultEvents: ['BACKUP_JOB_COMPLETED', 'COPY_JOB_FAILED'], snsTopicArn: topic.topicArn },
    });
    airGapped.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const drVault = backup.BackupVault.fromBackupVaultArn(this, 'DrVault', `arn:aws:backup:us-west-2:${this.account}:backup-vault:sox-dr`);

    // The plan: the same two rules as the example.
    const plan = new backup.BackupPlan(this, 'Plan', { backupPlanName: 'sox-estate', backupVault: vault });
    plan.addRule(new backup.BackupPlanRule({
      ruleName: 'daily',
      scheduleExpression: events.Schedule.cron({ minute: '0', hour: '5' }),
      startWindow: Duration.hours(1),
      completionWindow: Duration.hours(8),
      deleteAfter: Duration.days(2555),
      moveToColdStorageAfter: Duration.days(90),
      copyActions: [{ destinationBackupVault: drVault, deleteAfter: Duration.days(90) }],
    }));
    plan.addRule(new backup.BackupPlanRule({
      ruleName: 'critical',
      scheduleExpression: events.Schedule.cron({ minute: '0', hour: '*/4' }),
      startWindow: Duration.hours(1),
      completionWindow: Duration.hours(8),
      deleteAfter: Duration.days(365),
    }));
    (plan.node.defaultChild as backup.CfnBackupPlan)
      .addPropertyOverride('BackupPlan.BackupPlanRule.1.TargetLogicallyAirGappedBackupVaultArn', airGapped.attrBackupVaultArn);

    // Selections: everything tagged Backup=true, and the ledger by ARN.
    plan.addSelection('Tagged', { resources: [backup.BackupResource.fromTag(SCOPE_TAG.Key, SCOPE_TAG.Value)] });
    const ledger = new dynamodb.TableV2(this, 'Ledger', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      deletionProtection: true,
    });
    plan.addSelection('Ledger', { resources: [backup.BackupResource.fromArn(ledger.tableArn)] });

    // Reports: an encrypted, access-logged report bucket.
    const logBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const reportKey = new kms.Key(this, 'ReportKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    const reportBucket = new s3.Bucket(this, 'Reports', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: reportKey,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      serverAccessLogsBucket: logBucket,
      serverAccessLogsPrefix: 'reports/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const reportRole = `arn:${this.partition}:iam::${this.account}:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports`;
    reportBucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [reportBucket.arnForObjects('*')],
      conditions: { ArnEquals: { 'aws:PrincipalArn': reportRole } },
    }));
    reportKey.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { ArnEquals: { 'aws:PrincipalArn': reportRole } },
    }));

    // The framework: the eight controls the library derives for this plan, typed by hand.
    const control = (controlName: string, parameters: Record<string, string> = {}) => ({
      controlName,
      controlInputParameters: Object.keys(parameters).length
        ? Object.entries(parameters).map(([parameterName, parameterValue]) => ({ parameterName, parameterValue }))
        : undefined,
      controlScope: { Tags: [SCOPE_TAG] },
    });
    const framework = new backup.CfnFramework(this, 'Framework', {
      frameworkName: 'sox_estate',
      frameworkControls: [
        control('BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK', {
          requiredFrequencyUnit: 'days', requiredFrequencyValue: '1', requiredRetentionDays: '2555',
        }),
        control('BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK', { requiredRetentionDays: '90' }),
        control('BACKUP_RECOVERY_POINT_ENCRYPTED'),
        control('BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED'),
        control('BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN'),
        control('BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK', { minRetentionDays: '365' }),
        control('BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION', { crossRegionList: 'us-west-2' }),
        control('BACKUP_LAST_RECOVERY_POINT_CREATED', { recoveryPointAgeUnit: 'hours', recoveryPointAgeValue: '13' }),
      ],
    });
    for (const template of ['BACKUP_JOB_REPORT', 'COPY_JOB_REPORT', 'RESTORE_JOB_REPORT', 'CONTROL_COMPLIANCE_REPORT', 'RESOURCE_COMPLIANCE_REPORT']) {
      new backup.CfnReportPlan(this, `Report${template}`, {
        reportPlanName: `sox_${template.toLowerCase()}`,
        reportDeliveryChannel: { S3BucketName: reportBucket.bucketName, S3KeyPrefix: 'backup-reports', Formats: ['CSV', 'JSON'] },
        reportSetting: {
          ReportTemplate: template,
          ...(template.includes('COMPLIANCE') ? { FrameworkArns: [framework.attrFrameworkArn] } : {}),
        },
      });
    }

    // AWS Config records what the framework evaluates.
    const configRole = new iam.Role(this, 'ConfigRole', {
      assumedBy: new iam.ServicePrincipal('config.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')],
    });
    reportBucket.grantWrite(configRole);
    const recorder = new config.CfnConfigurationRecorder(this, 'Recorder', {
      roleArn: configRole.roleArn,
      recordingGroup: {
        allSupported: false,
        includeGlobalResourceTypes: false,
        resourceTypes: ['AWS::Backup::BackupPlan', 'AWS::Backup::BackupSelection', 'AWS::Backup::BackupVault',
          'AWS::Backup::RecoveryPoint', 'AWS::Config::ResourceCompliance'],
      },
    });
    new config.CfnDeliveryChannel(this, 'DeliveryChannel', {
      s3BucketName: reportBucket.bucketName,
      s3KeyPrefix: 'config',
      s3KmsKeyArn: reportKey.keyArn,
    }).addDependency(recorder);

    // Alarms, failure rules and a dashboard.
    const metric = (vaultName: string, metricName: string) => new cloudwatch.Metric({
      namespace: 'AWS/Backup',
      metricName,
      dimensionsMap: { BackupVaultName: vaultName },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
    const alarmOn = (alarmId: string, m: cloudwatch.Metric) => m.createAlarm(this, alarmId, {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new cloudwatchActions.SnsAction(topic));
    alarmOn('BackupJobsFailed', metric(vault.backupVaultName, 'NumberOfBackupJobsFailed'));
    alarmOn('AirGappedCopyJobsFailed', metric('sox-air-gapped', 'NumberOfCopyJobsFailed'));
    new events.Rule(this, 'JobFailed', {
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Backup Job State Change', 'Copy Job State Change'],
        detail: { state: ['FAILED', 'ABORTED', 'EXPIRED'] },
      },
      targets: [new targets.SnsTopic(topic)],
    });
    new events.Rule(this, 'RestoreFailed', {
      eventPattern: { source: ['aws.backup'], detailType: ['Restore Job State Change'], detail: { status: ['FAILED'] } },
      targets: [new targets.SnsTopic(topic)],
    });
    new cloudwatch.Dashboard(this, 'Dashboard', {
      widgets: [[
        new cloudwatch.GraphWidget({
          title: 'Backup jobs',
          left: ['NumberOfBackupJobsCompleted', 'NumberOfBackupJobsFailed'].map((m) => metric(vault.backupVaultName, m)),
        }),
        new cloudwatch.GraphWidget({
          title: 'Copy jobs into the air-gapped vault',
          left: ['NumberOfCopyJobsCompleted', 'NumberOfCopyJobsFailed'].map((m) => metric('sox-air-gapped', m)),
        }),
      ]],
    });
  }
}
