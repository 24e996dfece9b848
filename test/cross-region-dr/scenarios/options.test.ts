import { Duration, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ACCOUNT, PRIMARY_REGION, DR_REGION, PRIMARY_ENV, ISOLATED, plain, only, roleStatements, granting, allActions, synthesize, vpc, props } from './fixtures';
import { BackupTier, CompliantBackupSystem, CrossRegionDr } from '../../../src';
import { testApp } from '../../support/compliance';

describe('options', () => {
  test('a health check without a hosted zone: default path /, and no Route 53 step in the plan', () => {
    const s = synthesize((primary) => new CrossRegionDr(primary, 'Dr', props({
      failover: { healthCheckDomainName: 'portal.example.com', recordName: 'app.example.com' },
    })));
    expect(only(s.templates.recovery, 'AWS::Route53::HealthCheck').resource.Properties.HealthCheckConfig)
      .toMatchObject({ Type: 'HTTPS', FullyQualifiedDomainName: 'portal.example.com', ResourcePath: '/', Port: 443 });
    const p = only(s.templates.recovery, 'AWS::ARCRegionSwitch::Plan').resource.Properties;
    for (const w of p.Workflows) expect(w.Steps.map((st: any) => st.ExecutionBlockType)).toEqual(['CustomActionLambda']);
    expect(allActions(s.templates.recovery).filter((a) => a.startsWith('route53:'))).toEqual([]);
  });

  test('a DR vault name and lock of the user\'s; copies, readiness and IAM follow the name', () => {
    const s = synthesize((primary) => {
      const backupSystem = new CompliantBackupSystem(primary, 'Backups', { tiers: [BackupTier.daily({ copyToDr: true })] });
      return new CrossRegionDr(primary, 'Dr', props({
        rpo: Duration.days(2), backupSystem, drVault: { vaultName: 'estate-dr', vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(365) } },
      }));
    });
    s.templates.drFoundation.hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: 'estate-dr', LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 365 },
    });
    const rule = only(s.templates.primary, 'AWS::Backup::BackupPlan').resource.Properties.BackupPlan.BackupPlanRule[0];
    expect(plain(rule.CopyActions[0].DestinationBackupVaultArn)).toBe(`arn:aws:backup:${DR_REGION}:${ACCOUNT}:backup-vault:estate-dr`);
    const readiness = only(s.templates.recovery, 'AWS::Lambda::Function', 'Readiness').resource;
    expect(readiness.Properties.Environment.Variables.DR_VAULT_NAME).toBe('estate-dr');
    const list = granting(roleStatements(s.templates.recovery, readiness.Properties.Role['Fn::GetAtt'][0]), 'backup:ListRecoveryPointsByBackupVault');
    expect(plain(list[0].Resource)).toBe(`arn:aws:backup:${DR_REGION}:${ACCOUNT}:backup-vault:estate-dr`);
  });

  test('a notification topic of the user\'s receives the DR alarms and the failover report; no DR topic is created', () => {
    const s = synthesize((primary) => new CrossRegionDr(primary, 'Dr', props({
      notificationTopic: sns.Topic.fromTopicArn(primary, 'OpsTopic', `arn:aws:sns:${DR_REGION}:${ACCOUNT}:ops`),
    })));
    s.templates.recovery.resourceCountIs('AWS::SNS::Topic', 0);
    for (const alarm of Object.values(s.templates.recovery.findResources('AWS::CloudWatch::Alarm'))) {
      expect((alarm as any).Properties.AlarmActions).toEqual([`arn:aws:sns:${DR_REGION}:${ACCOUNT}:ops`]);
    }
    const failover = only(s.templates.recovery, 'AWS::Lambda::Function', 'Failover').resource;
    expect(failover.Properties.Environment.Variables.TOPIC_ARN).toBe(`arn:aws:sns:${DR_REGION}:${ACCOUNT}:ops`);
  });

  test('the name prefix is deterministic: same account and path, same names; another path, other names', () => {
    const prefixOf = (id: string) => {
      const app = testApp();
      const primary = new Stack(app, 'Primary', { env: PRIMARY_ENV });
      const dr = new CrossRegionDr(primary, id, props());
      return /alias\/(dr-[0-9a-f]{10})\/dr$/.exec(plain(primary.resolve(dr.drKeyAliasArn)))![1];
    };
    expect(prefixOf('Dr')).toBe(prefixOf('Dr'));
    expect(prefixOf('Dr')).not.toBe(prefixOf('OtherDr'));
  });

  test('a primary stack inside a Stage: the DR stacks are created in the same Stage', () => {
    const app = testApp();
    const stage = new Stage(app, 'Prod');
    const primary = new Stack(stage, 'Primary', { env: PRIMARY_ENV });
    const dr = new CrossRegionDr(primary, 'Dr', props());
    expect(Stage.of(dr.drStack)).toBe(stage);
    expect(Stage.of(dr.recoveryStack)).toBe(stage);
    expect(dr.drStack.node.scope).toBe(stage);
  });

  // BUG: the DR stacks' construct ids are built from primary.stackName, which already carries
  // the Stage's prefix ('Prod-Primary'), so the Stage prefixes it again: 'Prod-Prod-Primary-DrFoundation'.
  test('inside a Stage the DR stack names carry the Stage prefix once', () => {
    const app = testApp();
    const primary = new Stack(new Stage(app, 'Prod'), 'Primary', { env: PRIMARY_ENV });
    const dr = new CrossRegionDr(primary, 'Dr', props());
    expect(primary.stackName).toBe('Prod-Primary');
    expect([dr.drStack.stackName, dr.recoveryStack.stackName]).toEqual(['Prod-Primary-DrFoundation', 'Prod-Primary-DrRecovery']);
  });

  // aws-cdk-lib lowercases clusterIdentifier; the plan and the global cluster must agree on the source's ARN.
  test('a capitalized clusterIdentifier: the plan\'s primary member ARN is the global cluster\'s source, lowercase', () => {
    const app = testApp();
    const primary = new Stack(app, 'Primary', { env: PRIMARY_ENV });
    const cluster = new rds.DatabaseCluster(primary, 'Orders', {
      clusterIdentifier: 'Orders',
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) }),
      vpc: vpc(primary),
      vpcSubnets: ISOLATED,
      storageEncrypted: true,
    });
    const dr = new CrossRegionDr(primary, 'Dr', props());
    dr.addAuroraGlobalCluster(cluster);
    const source = plain(only(Template.fromStack(primary), 'AWS::RDS::GlobalCluster').resource.Properties.SourceDBClusterIdentifier);
    expect(source).toBe(`arn:aws:rds:${PRIMARY_REGION}:${ACCOUNT}:cluster:orders`);
    const plan = only(Template.fromStack(dr.recoveryStack), 'AWS::ARCRegionSwitch::Plan').resource.Properties;
    expect(plain(plan.Workflows[0].Steps[0].ExecutionBlockConfiguration.GlobalAuroraConfig.DatabaseClusterArns[0])).toBe(source);
  });

  test('the step timeout sets the failover function timeout and the Region switch retry interval', () => {
    const app = testApp();
    const primary = new Stack(app, 'Primary', { env: PRIMARY_ENV });
    const dr = new CrossRegionDr(primary, 'Dr', props({ failover: { stepTimeout: Duration.minutes(10) } }));
    const recovery = Template.fromStack(dr.recoveryStack);
    expect(only(recovery, 'AWS::Lambda::Function', 'Failover').resource.Properties.Timeout).toBe(600);
    const step = only(recovery, 'AWS::ARCRegionSwitch::Plan').resource.Properties.Workflows[0].Steps[0];
    expect(step.ExecutionBlockConfiguration.CustomActionLambdaConfig).toMatchObject({ RetryIntervalMinutes: 10, TimeoutMinutes: 20 });
  });

  test('a step timeout beyond Lambda\'s 15 minutes is rejected', () => {
    const primary = new Stack(testApp(), 'Primary', { env: PRIMARY_ENV });
    expect(() => new CrossRegionDr(primary, 'Dr', props({ failover: { stepTimeout: Duration.minutes(30) } }))).toThrow(
      'Primary/Dr: failover.stepTimeout is 30 minutes; the failover step is a Lambda function: a whole number of minutes from 1 to 15');
  });
});
