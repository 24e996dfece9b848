import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ACCOUNT, PRIMARY_REGION, DR_REGION, SOURCE_BUCKET, plain, withPartition, expectSelfContained, only, roleStatements, granting, full } from './fixtures';
import { parseReadinessConfig } from '../../../lambda-src/readiness/config';
import { AuditedVault, CompliantBackupSystem } from '../../../src';
import { ALL_PROTECTED_RESOURCE_TYPES } from '../../../src/backup-system/backup-service-policy';

describe('full scenario: backups, a replicated bucket, Aurora, RDS, DynamoDB, health check and Route 53 step', () => {
  const s = full();
  const { primary: primaryT, drFoundation, recovery } = s.templates;
  const drVaultName = `${s.prefix}-vault`;
  const drVaultArn = `arn:aws:backup:${DR_REGION}:${ACCOUNT}:backup-vault:${drVaultName}`;
  const namespace = `CompliantBackup/DR/${s.prefix}`;

  describe('three stacks', () => {
    test('names, environments and construct scope', () => {
      expect(s.dr.drStack.stackName).toBe('Primary-DrFoundation');
      expect(s.dr.recoveryStack.stackName).toBe('Primary-DrRecovery');
      for (const stack of [s.dr.drStack, s.dr.recoveryStack]) {
        expect(stack.account).toBe(ACCOUNT);
        expect(stack.region).toBe(DR_REGION);
        expect(stack.node.scope).toBe(s.app);
      }
      expect(s.assembly.stacks.map((a) => a.stackName).sort()).toEqual(['Primary', 'Primary-DrFoundation', 'Primary-DrRecovery']);
      expect(s.assembly.getStackByName('Primary-DrFoundation').environment).toEqual({ account: ACCOUNT, region: DR_REGION, name: `aws://${ACCOUNT}/${DR_REGION}` });
      expect(s.assembly.getStackByName('Primary-DrRecovery').environment).toEqual({ account: ACCOUNT, region: DR_REGION, name: `aws://${ACCOUNT}/${DR_REGION}` });
    });

    test('deploy order: DR foundation, then the primary, then DR recovery; no cycle', () => {
      expect(s.primary.dependencies).toEqual([s.dr.drStack]);
      expect(s.dr.recoveryStack.dependencies).toEqual([s.primary]);
      expect(s.dr.drStack.dependencies).toEqual([]);
      // The manifest says the same, so `cdk deploy --all` follows it.
      const deps = (name: string) => s.assembly.getStackByName(name).dependencies.map((a) => a.id).filter((id) => !id.endsWith('.assets')).sort();
      expect(deps('Primary')).toEqual([s.dr.drStack.artifactId]);
      expect(deps('Primary-DrRecovery')).toEqual([s.primary.artifactId]);
      expect(deps('Primary-DrFoundation')).toEqual([]);
    });

    test('no cross-region reference: no imports, exports, export readers/writers or dangling references in any template', () => {
      for (const stack of s.assembly.stacks) expectSelfContained(stack.template);
    });
  });

  describe('DR foundation', () => {
    test('the DR key rotates, is retained and has the alias alias/<prefix>/dr', () => {
      const key = only(drFoundation, 'AWS::KMS::Key', 'DrKey');
      expect(key.resource.Properties.EnableKeyRotation).toBe(true);
      expect(key.resource.DeletionPolicy).toBe('Retain');
      expect(key.resource.UpdateReplacePolicy).toBe('Retain');
      drFoundation.hasResourceProperties('AWS::KMS::Alias', {
        AliasName: `alias/${s.prefix}/dr`,
        TargetKeyId: { 'Fn::GetAtt': [key.id, 'Arn'] },
      });
    });

    test('drKeyAliasArn is arn:<partition>:kms:<dr>:<account>:alias/<prefix>/dr, a plain string in any stack', () => {
      for (const stack of [s.primary, s.dr.drStack, s.dr.recoveryStack]) {
        expect(stack.resolve(s.dr.drKeyAliasArn)).toEqual(withPartition(`:kms:${DR_REGION}:${ACCOUNT}:alias/${s.prefix}/dr`));
      }
      expect(plain(s.primary.resolve(s.dr.drKeyAliasArn))).toBe(`arn:aws:kms:${DR_REGION}:${ACCOUNT}:alias/${s.prefix}/dr`);
    });

    test('the DR vault: an AuditedVault with the deterministic name <prefix>-vault, retained, encrypted with a rotating CMK, locked', () => {
      expect(AuditedVault.isAuditedVault(s.dr.drVault)).toBe(true);
      expect(s.dr.drVault.node.path).toBe('Primary-DrFoundation/DrVault');
      const vault = only(drFoundation, 'AWS::Backup::BackupVault');
      // Inside the DR foundation stack the name is a reference to the vault; other stacks use the deterministic name.
      expect(s.dr.drStack.resolve(s.dr.drVault.backupVaultName)).toEqual({ Ref: vault.id });
      expect(vault.resource.DeletionPolicy).toBe('Retain');
      expect(vault.resource.UpdateReplacePolicy).toBe('Retain');
      expect(vault.resource.Properties.BackupVaultName).toBe(drVaultName);
      expect(vault.resource.Properties.LockConfiguration).toEqual({ MinRetentionDays: 1 });
      const keyId = vault.resource.Properties.EncryptionKeyArn['Fn::GetAtt'][0];
      expect(drFoundation.toJSON().Resources[keyId]).toMatchObject({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
    });

    test('a retained DR access-log bucket that the replica bucket logs into', () => {
      const logs = only(drFoundation, 'AWS::S3::Bucket', 'DrAccessLogBucket');
      expect(logs.resource.DeletionPolicy).toBe('Retain');
      expect(logs.resource.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      });
      const replica = only(drFoundation, 'AWS::S3::Bucket', 'ReplicationDocuments');
      expect(replica.resource.Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logs.id });
    });
  });

  describe('backups copied into the DR vault', () => {
    const rules: any[] = only(primaryT, 'AWS::Backup::BackupPlan').resource.Properties.BackupPlan.BackupPlanRule;
    const rule = (name: string) => rules.find((r) => r.RuleName === name);

    test('each copyToDr tier copies to the DR vault by its ARN (a plain string), with the tier\'s copy lifecycle', () => {
      expect(rules.map((r) => r.RuleName)).toEqual(['hourly', 'daily', 'weekly']);
      // hourly: copies inherit the tier's lifecycle (7 days).
      expect(rule('hourly').CopyActions).toEqual([{ DestinationBackupVaultArn: withPartition(`:backup:${DR_REGION}:${ACCOUNT}:backup-vault:${drVaultName}`), Lifecycle: { DeleteAfterDays: 7 } }]);
      // daily: kept 35 days locally, its copies 60 days (copyRetention).
      expect(rule('daily').Lifecycle).toEqual({ DeleteAfterDays: 35 });
      expect(rule('daily').CopyActions).toEqual([{ DestinationBackupVaultArn: withPartition(`:backup:${DR_REGION}:${ACCOUNT}:backup-vault:${drVaultName}`), Lifecycle: { DeleteAfterDays: 60 } }]);
      expect(plain(rule('daily').CopyActions[0].DestinationBackupVaultArn)).toBe(drVaultArn);
    });

    test('a tier without copyToDr has no copy action', () => {
      expect(rule('weekly')).not.toHaveProperty('CopyActions');
    });

    test('the framework gains BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION with the DR region', () => {
      const controls: any[] = only(primaryT, 'AWS::Backup::Framework').resource.Properties.FrameworkControls;
      const crossRegion = controls.filter((c) => c.ControlName === 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION');
      expect(crossRegion).toHaveLength(1);
      expect(crossRegion[0].ControlInputParameters).toEqual([{ ParameterName: 'crossRegionList', ParameterValue: DR_REGION }]);
    });

    test('the backup role gets a copy policy for the DR vault, in the DR region only', () => {
      const role = only(primaryT, 'AWS::IAM::Role', 'BackupsBackupRole');
      const copyPolicies = Object.values(primaryT.findResources('AWS::IAM::ManagedPolicy'))
        .filter((p: any) => (p.Properties.Roles ?? []).some((r: any) => r.Ref === role.id))
        .filter((p: any) => JSON.stringify(p).includes(`backup-vault:${drVaultName}`));
      expect(copyPolicies).toHaveLength(1);
      const statements: any[] = (copyPolicies[0] as any).Properties.PolicyDocument.Statement;
      const copyInto = granting(statements, 'backup:CopyIntoBackupVault');
      expect(copyInto).toHaveLength(1);
      expect([copyInto[0].Resource].flat().map((r: unknown) => plain(r))).toContain(drVaultArn);
      // Every regional ARN and kms:ViaService of the policy names the DR region, none the primary.
      const text = JSON.stringify(statements);
      expect(text).toContain(`:kms:${DR_REGION}:${ACCOUNT}:key/*`);
      expect(text).toContain(`*.${DR_REGION}.`);
      expect(text).not.toContain(PRIMARY_REGION);
    });

    test('the primary alarm topic is the backup system\'s', () => {
      expect(s.dr.primaryAlarmTopic).toBe((s.primary.node.findChild('Backups') as CompliantBackupSystem).alarmTopic);
      primaryT.resourcePropertiesCountIs('AWS::SNS::Topic', Match.anyValue(), 1);
    });
  });

  describe('readiness (recovery stack)', () => {
    const fn = only(recovery, 'AWS::Lambda::Function', 'Readiness');
    const deployed: Record<string, unknown> = fn.resource.Properties.Environment.Variables;
    /** The health check id CloudFormation would put in the environment at deploy. */
    const HEALTH_CHECK_ID = 'a1b2c3d4-0000-4000-8000-123456789abc';
    const env: Record<string, unknown> = { ...deployed, HEALTH_CHECK_ID };

    test('the environment holds exactly the variables the handler reads: plain strings, and the health check of the same stack', () => {
      expect(Object.keys(deployed).sort()).toEqual([
        'AWS_NODEJS_CONNECTION_REUSE_ENABLED', 'BACKUP_RESOURCE_TYPES', 'DATABASES', 'DR_REGION', 'DR_VAULT_NAME',
        'HEALTH_CHECK_ID', 'METRIC_NAMESPACE', 'PRIMARY_REGION', 'REPLICATION', 'RPO_SECONDS',
      ]);
      const { HEALTH_CHECK_ID: healthCheck, ...rest } = deployed;
      for (const value of Object.values(rest)) expect(typeof value).toBe('string');
      expect(healthCheck).toEqual({ 'Fn::GetAtt': [only(recovery, 'AWS::Route53::HealthCheck').id, 'HealthCheckId'] });
    });

    test('alarms in the DR region: unmeasured checks, the primary endpoint (also on recovery), failed readiness runs', () => {
      const alarms = Object.values(recovery.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties);
      const on = (metric: string) => alarms.filter((a) => a.MetricName === metric);
      expect(on('ChecksUnknown')).toEqual([expect.objectContaining({ Namespace: namespace, Threshold: 0, TreatMissingData: 'notBreaching' })]);
      const [endpoint] = on('PrimaryEndpointUnhealthy');
      expect(endpoint).toMatchObject({ Namespace: namespace, Threshold: 0 });
      expect(endpoint.OKActions).toEqual(endpoint.AlarmActions);
      expect(alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible'
        && JSON.stringify(a.Dimensions).includes('ReadinessDeadLetterQueue'))).toHaveLength(1);
    });

    test('the real parser (lambda-src/readiness/config.ts) accepts it and reads every mechanism', () => {
      const config = parseReadinessConfig(env as Record<string, string>);
      const replicaName = only(drFoundation, 'AWS::S3::Bucket', 'ReplicationDocuments').resource.Properties.BucketName;
      expect(config).toEqual({
        drRegion: DR_REGION,
        primaryRegion: PRIMARY_REGION,
        rpoSeconds: 48 * 3600,
        metricNamespace: namespace,
        drVaultName,
        backupResourceTypes: [...ALL_PROTECTED_RESOURCE_TYPES],
        replication: [{ sourceBucket: SOURCE_BUCKET, destinationBucket: replicaName, ruleId: `${s.prefix}-to-${DR_REGION}` }],
        databases: [
          { kind: 'aurora-global', identifier: 'orders-dr', region: DR_REGION },
          { kind: 'rds-replica', identifier: 'billing-dr', region: DR_REGION },
          { kind: 'dynamodb-global', identifier: 'sessions', region: DR_REGION },
        ],
        healthCheckId: HEALTH_CHECK_ID,
        metricLookbackSeconds: 900,
        primaryRegionTimeoutMs: 8000,
      });
    });

    test('what readiness measures is what was deployed: the rule id, the replica bucket and the database identifiers', () => {
      const config = parseReadinessConfig(env as Record<string, string>);
      const source = only(primaryT, 'AWS::S3::Bucket', 'Documents').resource.Properties;
      expect(source.BucketName).toBe(config.replication[0].sourceBucket);
      expect(source.ReplicationConfiguration.Rules.map((r: any) => r.Id)).toEqual([config.replication[0].ruleId]);
      expect(plain(source.ReplicationConfiguration.Rules[0].Destination.Bucket)).toBe(`arn:aws:s3:::${config.replication[0].destinationBucket}`);
      expect(only(recovery, 'AWS::RDS::DBCluster').resource.Properties.DBClusterIdentifier).toBe(config.databases[0].identifier);
      expect(only(recovery, 'AWS::RDS::DBInstance', 'DatabasesRdsReplicaBilling').resource.Properties.DBInstanceIdentifier).toBe(config.databases[1].identifier);
      expect(only(primaryT, 'AWS::DynamoDB::GlobalTable', 'Sessions').resource.Properties.TableName).toBe(config.databases[2].identifier);
    });

    test('runs on readinessInterval (10 minutes), with the dead-letter queue and 2 retries', () => {
      recovery.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(10 minutes)',
        Targets: [Match.objectLike({
          Arn: { 'Fn::GetAtt': [fn.id, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReadinessDeadLetterQueue'), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 2 },
        })],
      });
    });

    test('IAM: recovery points of the DR vault only, PutMetricData only in its namespace, no wildcard action', () => {
      const roleId = fn.resource.Properties.Role['Fn::GetAtt'][0];
      const statements = roleStatements(recovery, roleId);
      const list = granting(statements, 'backup:ListRecoveryPointsByBackupVault');
      expect(list).toHaveLength(1);
      expect(plain(list[0].Resource)).toBe(drVaultArn);
      const put = granting(statements, 'cloudwatch:PutMetricData');
      expect(put).toEqual([{ Action: 'cloudwatch:PutMetricData', Effect: 'Allow', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': namespace } } }]);
      // Resource '*' only where the API has no resource-level permissions.
      const unscoped = statements.filter((st) => st.Resource === '*').flatMap((st) => [st.Action].flat()).sort();
      expect(unscoped).toEqual(['backup:DescribeRegionSettings', 'cloudwatch:GetMetricData', 'cloudwatch:ListMetrics', 'cloudwatch:PutMetricData']);
      expect(statements.flatMap((st) => [st.Action].flat()).filter((a: string) => a.includes('*'))).toEqual([]);
      const role = recovery.toJSON().Resources[roleId].Properties;
      expect(role.Policies).toBeUndefined();
      expect(role.ManagedPolicyArns).toBeUndefined();
    });

    test('alarms to the DR topic: RPO breaches, recovery point age above the RPO, missing recovery points, backup opt-in', () => {
      const topic = only(recovery, 'AWS::SNS::Topic', 'DrAlarmTopic');
      const alarm = (metric: string) => {
        const found = Object.values(recovery.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metric, Namespace: namespace } }));
        expect(found).toHaveLength(1);
        return (found[0] as any).Properties;
      };
      const common = {
        AlarmActions: [{ Ref: topic.id }],
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        Period: 300,
        Statistic: 'Maximum',
        TreatMissingData: 'breaching',
      };
      expect(alarm('RpoBreaches')).toMatchObject({ ...common, Threshold: 0 });
      expect(alarm('MaxRecoveryPointAgeSeconds')).toMatchObject({ ...common, Threshold: 48 * 3600 });
      expect(alarm('MissingRecoveryPoints')).toMatchObject({ ...common, Threshold: 0 });
      expect(alarm('BackupOptInMissing')).toMatchObject({ ...common, Threshold: 0 });
    });

    test('the DR alarm topic is encrypted with the DR operations key, in the recovery stack', () => {
      const key = only(recovery, 'AWS::KMS::Key', 'DrOperationsKey');
      expect(key.resource.Properties.EnableKeyRotation).toBe(true);
      recovery.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.objectLike({ 'Fn::GetAtt': [key.id, 'Arn'] }) });
      expect(s.dr.drAlarmTopic.node.path).toBe('Primary-DrRecovery/DrAlarmTopic');
    });

    test('metricRecoveryPointAge(): the readiness namespace, MaxRecoveryPointAgeSeconds, the DR region, Maximum over 5 minutes', () => {
      const metric = s.dr.metricRecoveryPointAge();
      expect(metric.namespace).toBe(namespace);
      expect(metric.metricName).toBe('MaxRecoveryPointAgeSeconds');
      expect(metric.region).toBe(DR_REGION);
      expect(metric.statistic).toBe(cloudwatch.Stats.MAXIMUM);
      expect(metric.period.toMinutes()).toBe(5);
      expect(s.dr.metricRecoveryPointAge({ period: Duration.hours(1), statistic: 'Average' })).toMatchObject({ statistic: 'Average', namespace });
      expect(s.dr.metricRecoveryPointAge({ period: Duration.hours(1) }).period.toHours()).toBe(1);
    });
  });
});
