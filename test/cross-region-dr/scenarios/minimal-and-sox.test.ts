import { ACCOUNT, PRIMARY_REGION, DR_REGION, plain, withPartition, expectSelfContained, only, roleStatements, granting, allActions, minimal, sox } from './fixtures';
import { parseFailoverConfig } from '../../../lambda-src/failover/config';
import { parseReadinessConfig } from '../../../lambda-src/readiness/config';

describe('minimal scenario: no backup system, no replication, no databases, defaults', () => {
  const s = minimal();
  const { primary: primaryT, recovery } = s.templates;
  const namespace = `CompliantBackup/DR/${s.prefix}`;
  const readiness = only(recovery, 'AWS::Lambda::Function', 'Readiness').resource;
  const failover = only(recovery, 'AWS::Lambda::Function', 'Failover').resource;

  test('readiness: no DR_VAULT_NAME and empty REPLICATION and DATABASES, which the real parser accepts', () => {
    const env = readiness.Properties.Environment.Variables;
    expect(env).not.toHaveProperty('DR_VAULT_NAME');
    expect(env.REPLICATION).toBe('[]');
    expect(env.DATABASES).toBe('[]');
    expect(env.RPO_SECONDS).toBe('14400');
    const config = parseReadinessConfig(env);
    expect(config.drVaultName).toBeUndefined();
    expect(config.replication).toEqual([]);
    expect(config.databases).toEqual([]);
    expect(config.rpoSeconds).toBe(4 * 3600);
  });

  test('readiness runs every 5 minutes by default', () => {
    recovery.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
  });

  test('without a backup system, no recovery-point alarms; the RPO-breach, opt-in, unmeasured-check and dead-letter alarms stay', () => {
    const metrics = Object.values(recovery.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties.MetricName).sort();
    expect(metrics).toEqual(['ApproximateNumberOfMessagesVisible', 'BackupOptInMissing', 'ChecksUnknown', 'RpoBreaches']);
    recovery.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'RpoBreaches', Namespace: namespace, Threshold: 0, TreatMissingData: 'breaching' });
  });

  test('no copy actions anywhere, no backup plan in the primary stack', () => {
    primaryT.resourceCountIs('AWS::Backup::BackupPlan', 0);
    expect(JSON.stringify(primaryT.toJSON())).not.toContain('CopyActions');
  });

  test('a KMS-encrypted primary alarm topic of its own', () => {
    const topic = only(primaryT, 'AWS::SNS::Topic');
    const keyId = topic.resource.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    expect(primaryT.toJSON().Resources[keyId].Properties.EnableKeyRotation).toBe(true);
    expect(s.dr.primaryAlarmTopic.node.path).toBe('Primary/Dr/PrimaryAlarmTopic');
  });

  test('no database network when there is no database', () => {
    s.templates.recovery.resourceCountIs('AWS::EC2::VPC', 0);
    s.templates.recovery.resourceCountIs('AWS::RDS::DBSubnetGroup', 0);
  });

  test('the active-region parameter /<prefix>/active-region holds the primary region; IAM names it without a doubled slash', () => {
    const param = only(recovery, 'AWS::SSM::Parameter');
    expect(param.resource.Properties).toMatchObject({ Name: `/${s.prefix}/active-region`, Type: 'String', Value: PRIMARY_REGION });
    const statements = roleStatements(recovery, failover.Properties.Role['Fn::GetAtt'][0]);
    const ssm = granting(statements, 'ssm:GetParameter');
    expect(plain(ssm[0].Resource, { [param.id]: `/${s.prefix}/active-region` })).toBe(`arn:aws:ssm:${DR_REGION}:${ACCOUNT}:parameter/${s.prefix}/active-region`);
  });

  test('failover: empty Aurora and RDS lists that the real parser accepts; no RDS statements; 15-minute timeout', () => {
    const env = failover.Properties.Environment.Variables;
    expect(env.RDS_REPLICAS).toBe('[]');
    expect(env.AURORA_GLOBAL_CLUSTERS).toBe('[]');
    const param = only(recovery, 'AWS::SSM::Parameter');
    const topic = only(recovery, 'AWS::SNS::Topic', 'DrAlarmTopic');
    const refs = { [param.id]: `/${s.prefix}/active-region`, [topic.id]: `arn:aws:sns:${DR_REGION}:${ACCOUNT}:dr-alarms` };
    const config = parseFailoverConfig(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, plain(v, refs)])));
    expect(config.rdsReplicas).toEqual([]);
    expect(config.auroraGlobalClusters).toEqual([]);
    expect(config.rtoSeconds).toBe(4 * 3600);
    expect(failover.Properties.Timeout).toBe(900);
    expect(allActions(recovery).filter((a) => a.startsWith('rds:'))).toEqual([]);
  });

  test('the plan: only the failover step in both workflows (default 15-minute retry), RTO 240 minutes, no health check', () => {
    const p = only(recovery, 'AWS::ARCRegionSwitch::Plan').resource.Properties;
    expect(p.RecoveryTimeObjectiveMinutes).toBe(240);
    for (const w of p.Workflows) {
      expect(w.Steps.map((st: any) => st.ExecutionBlockType)).toEqual(['CustomActionLambda']);
      expect(w.Steps[0].ExecutionBlockConfiguration.CustomActionLambdaConfig).toMatchObject({ RetryIntervalMinutes: 15, TimeoutMinutes: 30 });
    }
    recovery.resourceCountIs('AWS::Route53::HealthCheck', 0);
    expect(s.dr.healthCheck).toBeUndefined();
    const roleId = p.ExecutionRole['Fn::GetAtt'][0];
    expect(roleStatements(recovery, roleId).flatMap((st) => [st.Action].flat())).toEqual(['lambda:GetFunction', 'lambda:InvokeFunction']);
  });

  test('self-contained templates', () => {
    for (const stack of s.assembly.stacks) expectSelfContained(stack.template);
  });
});

describe('SOX scenario: profile, air-gapped tier, both tiers copied to DR', () => {
  const s = sox();
  const drVaultArn = withPartition(`:backup:${DR_REGION}:${ACCOUNT}:backup-vault:${s.prefix}-vault`);

  test('the app synthesizes the three stacks, self-contained, in deploy order', () => {
    expect(s.assembly.stacks.map((a) => a.stackName).sort()).toEqual(['Primary', 'Primary-DrFoundation', 'Primary-DrRecovery']);
    for (const stack of s.assembly.stacks) expectSelfContained(stack.template);
    expect(s.primary.dependencies).toEqual([s.dr.drStack]);
    expect(s.dr.recoveryStack.dependencies).toEqual([s.primary]);
  });

  test('both tiers copy to the DR vault with their own lifecycle, cold storage included; the air-gapped tier keeps its air-gapped target', () => {
    const rules: any[] = only(s.templates.primary, 'AWS::Backup::BackupPlan').resource.Properties.BackupPlan.BackupPlanRule;
    expect(rules.map((r) => [r.RuleName, r.CopyActions])).toEqual([
      ['daily', [{ DestinationBackupVaultArn: drVaultArn, Lifecycle: { DeleteAfterDays: 2555, MoveToColdStorageAfterDays: 90 } }]],
      ['critical', [{ DestinationBackupVaultArn: drVaultArn, Lifecycle: { DeleteAfterDays: 365 } }]],
    ]);
    expect(rules[1].TargetLogicallyAirGappedBackupVaultArn).toBeDefined();
  });

  test('the framework names the DR region; readiness measures the DR vault against 24 hours', () => {
    const controls: any[] = only(s.templates.primary, 'AWS::Backup::Framework').resource.Properties.FrameworkControls;
    expect(controls.find((c) => c.ControlName === 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION').ControlInputParameters)
      .toEqual([{ ParameterName: 'crossRegionList', ParameterValue: DR_REGION }]);
    const env = only(s.templates.recovery, 'AWS::Lambda::Function', 'Readiness').resource.Properties.Environment.Variables;
    const config = parseReadinessConfig(env);
    expect(config.drVaultName).toBe(`${s.prefix}-vault`);
    expect(config.rpoSeconds).toBe(86400);
    s.templates.recovery.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'MaxRecoveryPointAgeSeconds', Threshold: 86400 });
    s.templates.recovery.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'MissingRecoveryPoints', Threshold: 0 });
  });

  test('the backup copies count once, at the most frequent copied tier (all tiers back up the same selections)', () => {
    expect(s.dr.rpoCapabilities.map((c) => [c.resource, c.mechanism, c.deliverable.toHours()])).toEqual([
      ['the resources backed up by Primary/Backups', "AWS Backup copies (most frequent copied tier: 'critical')", 4],
    ]);
  });
});
