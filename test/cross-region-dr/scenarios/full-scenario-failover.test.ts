import { Stack } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import { ACCOUNT, PRIMARY_REGION, DR_REGION, plain, withPartition, only, roleStatements, granting, allActions, full } from './fixtures';
import { parseFailoverConfig } from '../../../lambda-src/failover/config';

describe('full scenario: backups, a replicated bucket, Aurora, RDS, DynamoDB, health check and Route 53 step', () => {
  const s = full();
  const { primary: primaryT, drFoundation, recovery } = s.templates;
  const namespace = `CompliantBackup/DR/${s.prefix}`;

  describe('failover', () => {
    const fn = only(recovery, 'AWS::Lambda::Function', 'Failover');
    const param = only(recovery, 'AWS::SSM::Parameter');
    const topic = only(recovery, 'AWS::SNS::Topic', 'DrAlarmTopic');
    const roleStatementsOfFailover = () => roleStatements(recovery, fn.resource.Properties.Role['Fn::GetAtt'][0]);

    test('the active-region parameter: the custom name, the primary region as value', () => {
      expect(param.resource.Properties).toMatchObject({ Name: 'app-active-region', Type: 'String', Value: PRIMARY_REGION });
      expect(s.dr.activeRegionParameter.node.path).toBe('Primary-DrRecovery/ActiveRegion');
    });

    test('the real parser (lambda-src/failover/config.ts) accepts the environment, with the Aurora and RDS entries filled', () => {
      const env = fn.resource.Properties.Environment.Variables as Record<string, unknown>;
      // Same-template references only: the parameter's name and the DR topic's ARN, known at deploy time.
      expect(env.ACTIVE_REGION_PARAMETER).toEqual({ Ref: param.id });
      expect(env.TOPIC_ARN).toEqual({ Ref: topic.id });
      const topicArn = `arn:aws:sns:${DR_REGION}:${ACCOUNT}:dr-alarms`;
      const refs = { [param.id]: param.resource.Properties.Name, [topic.id]: topicArn };
      const rendered = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, plain(v, refs)]));
      expect(parseFailoverConfig(rendered)).toEqual({
        activeRegionParameter: 'app-active-region',
        activeRegionParameterRegion: DR_REGION,
        primaryRegion: PRIMARY_REGION,
        drRegion: DR_REGION,
        topicArn,
        topicRegion: DR_REGION,
        metricNamespace: namespace,
        rtoSeconds: 90 * 60,
        rdsReplicas: ['billing-dr'],
        auroraGlobalClusters: [{ globalClusterIdentifier: `${s.prefix}-orders`, secondaryClusterArn: `arn:aws:rds:${DR_REGION}:${ACCOUNT}:cluster:orders-dr` }],
        pollIntervalMs: 15_000,
        finishReserveMs: 20_000,
      });
    });

    test('the Aurora entry names the deployed global cluster and secondary', () => {
      const globalId = only(primaryT, 'AWS::RDS::GlobalCluster').resource.Properties.GlobalClusterIdentifier;
      expect(globalId).toBe(`${s.prefix}-orders`);
      expect(only(recovery, 'AWS::RDS::DBCluster').resource.Properties).toMatchObject({ GlobalClusterIdentifier: globalId, DBClusterIdentifier: 'orders-dr' });
    });

    test('IAM: the parameter, the global cluster, the replica, the topic, the operations key and its metric namespace', () => {
      const statements = roleStatementsOfFailover();
      const ssm = granting(statements, 'ssm:PutParameter');
      expect(ssm).toHaveLength(1);
      expect(ssm[0].Action).toEqual(['ssm:GetParameter', 'ssm:PutParameter']);
      expect(plain(ssm[0].Resource, { [param.id]: 'app-active-region' })).toBe(`arn:aws:ssm:${DR_REGION}:${ACCOUNT}:parameter/app-active-region`);
      const aurora = granting(statements, 'rds:FailoverGlobalCluster');
      expect(aurora).toHaveLength(1);
      expect(aurora[0].Action).toEqual(['rds:DescribeGlobalClusters', 'rds:FailoverGlobalCluster', 'rds:SwitchoverGlobalCluster']);
      // Plain strings, not references to resources of other stacks.
      const auroraResources = [aurora[0].Resource].flat().map((r: unknown) => plain(r));
      expect(auroraResources).toContain(`arn:aws:rds::${ACCOUNT}:global-cluster:${s.prefix}-orders`);
      const promote = granting(statements, 'rds:PromoteReadReplica');
      expect(promote).toHaveLength(1);
      expect(plain(promote[0].Resource)).toBe(`arn:aws:rds:${DR_REGION}:${ACCOUNT}:db:billing-dr`);
      expect(granting(statements, 'sns:Publish')).toEqual([{ Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: topic.id } }]);
      const keyId = only(recovery, 'AWS::KMS::Key', 'DrOperationsKey').id;
      // One grant on the operations key: it encrypts both the DR topic and the handler's dead-letter queue.
      expect(granting(statements, 'kms:Decrypt')).toEqual([{
        Sid: 'DeadLetterQueueKey', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
      }]);
      expect(granting(statements, 'cloudwatch:PutMetricData')).toEqual([{
        Action: 'cloudwatch:PutMetricData', Effect: 'Allow', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': namespace } },
      }]);
      expect(statements.flatMap((st) => [st.Action].flat()).filter((a: string) => a.includes('*'))).toEqual([]);
    });

    // BUG (least privilege): the Aurora failover statement grants on `cluster:*` in both regions
    // (acknowledged as AwsSolutions-IAM5) although both member ARNs are known plain strings
    // (the plan's DatabaseClusterArns lists them); naming them would need no wildcard.
    test('the Aurora failover statement names the member clusters instead of cluster:* in each region', () => {
      const aurora = granting(roleStatementsOfFailover(), 'rds:FailoverGlobalCluster');
      expect([aurora[0].Resource].flat().map((r: unknown) => plain(r)).sort()).toEqual([
        `arn:aws:rds::${ACCOUNT}:global-cluster:${s.prefix}-orders`,
        `arn:aws:rds:${PRIMARY_REGION}:${ACCOUNT}:cluster:orders`,
        `arn:aws:rds:${DR_REGION}:${ACCOUNT}:cluster:orders-dr`,
      ]);
    });

    test('the function times out with the step (stepTimeoutMinutes 10)', () => {
      expect(fn.resource.Properties.Timeout).toBe(600);
    });
  });

  describe('Region switch plan', () => {
    const plan = only(recovery, 'AWS::ARCRegionSwitch::Plan');
    const p = plan.resource.Properties;
    const failoverFn = only(recovery, 'AWS::Lambda::Function', 'Failover').id;
    const workflow = (region: string) => {
      const found = p.Workflows.filter((w: any) => w.WorkflowTargetRegion === region);
      expect(found).toHaveLength(1);
      return found[0];
    };

    test('is the failoverRunbook: name, active/passive, primary region, both regions, RTO in minutes', () => {
      expect(s.dr.failoverRunbook).toBeInstanceOf(arcregionswitch.CfnPlan);
      expect(Stack.of(s.dr.failoverRunbook)).toBe(s.dr.recoveryStack);
      expect(p).toMatchObject({
        Name: `${s.prefix}-failover`,
        RecoveryApproach: 'activePassive',
        PrimaryRegion: PRIMARY_REGION,
        Regions: [PRIMARY_REGION, DR_REGION],
        RecoveryTimeObjectiveMinutes: 90,
      });
      expect(p.Workflows.map((w: any) => [w.WorkflowTargetAction, w.WorkflowTargetRegion])).toEqual([['activate', DR_REGION], ['activate', PRIMARY_REGION]]);
    });

    test('its execution role is trusted by ARC Region switch only and carries customer-managed policies only', () => {
      const roleId = p.ExecutionRole['Fn::GetAtt'][0];
      const role = recovery.toJSON().Resources[roleId];
      expect(role.Type).toBe('AWS::IAM::Role');
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'arc-region-switch.amazonaws.com' } },
      ]);
      expect(role.Properties.Policies).toBeUndefined();
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      const statements = roleStatements(recovery, roleId);
      // Plan evaluation checks that both functions exist (GetFunction); a run invokes the one in the activating region.
      expect(granting(statements, 'lambda:InvokeFunction')).toEqual([{
        Sid: 'InvokeFailoverFunctions',
        Action: ['lambda:GetFunction', 'lambda:InvokeFunction'],
        Effect: 'Allow',
        Resource: [{ 'Fn::GetAtt': [failoverFn, 'Arn'] }, withPartition(`:lambda:${PRIMARY_REGION}:${ACCOUNT}:function:${s.prefix}-failback`)],
      }]);
      // AWS's sample policy for the Route 53 block: read the records of the zone.
      expect(plain(granting(statements, 'route53:ListResourceRecordSets')[0].Resource)).toBe('arn:aws:route53:::hostedzone/Z0123456789ABC');
      expect(granting(statements, 'route53:ChangeResourceRecordSets')).toEqual([]);
      expect(plain(granting(statements, 'rds:DescribeDBClusters')[0].Resource[0])).toBe(`arn:aws:rds:${PRIMARY_REGION}:${ACCOUNT}:cluster:orders`);
      expect(granting(statements, 'rds:SwitchoverGlobalCluster')).toHaveLength(1);
      expect(plain(granting(statements, 'rds:PromoteReadReplica')[0].Resource)).toBe(`arn:aws:rds:${DR_REGION}:${ACCOUNT}:db:billing-dr`);
      expect(statements.flatMap((st) => [st.Action].flat()).filter((a: string) => a.includes('*'))).toEqual([]);
    });

    test('fail over to DR: Aurora, RDS promotion, Route 53, then the failover function last', () => {
      const steps = workflow(DR_REGION).Steps;
      expect(steps.map((st: any) => st.ExecutionBlockType)).toEqual(['AuroraGlobalDatabase', 'RdsPromoteReadReplica', 'Route53HealthCheck', 'CustomActionLambda']);
      const aurora = steps[0].ExecutionBlockConfiguration.GlobalAuroraConfig;
      expect(aurora).toMatchObject({ Behavior: 'switchoverOnly', GlobalClusterIdentifier: `${s.prefix}-orders`, Ungraceful: { Ungraceful: 'failover' } });
      expect(aurora.DatabaseClusterArns.map((a: unknown) => plain(a))).toEqual([
        `arn:aws:rds:${PRIMARY_REGION}:${ACCOUNT}:cluster:orders`,
        `arn:aws:rds:${DR_REGION}:${ACCOUNT}:cluster:orders-dr`,
      ]);
      const promote = steps[1].ExecutionBlockConfiguration.RdsPromoteReadReplicaConfig;
      expect(Object.keys(promote.DbInstanceArnMap)).toEqual([DR_REGION]);
      expect(plain(promote.DbInstanceArnMap[DR_REGION])).toBe(`arn:aws:rds:${DR_REGION}:${ACCOUNT}:db:billing-dr`);
      expect(steps[2].ExecutionBlockConfiguration.Route53HealthCheckConfig).toMatchObject({ HostedZoneId: 'Z0123456789ABC', RecordName: 'app.example.com' });
      expect(steps[3].ExecutionBlockConfiguration.CustomActionLambdaConfig).toEqual({
        // One function per plan region: the DR region's, and the failback function of the primary region.
        Lambdas: [{ Arn: { 'Fn::GetAtt': [failoverFn, 'Arn'] } }, { Arn: withPartition(`:lambda:${PRIMARY_REGION}:${ACCOUNT}:function:${s.prefix}-failback`) }],
        RegionToRun: 'activatingRegion',
        RetryIntervalMinutes: 10,
        TimeoutMinutes: 20,
        Ungraceful: { Behavior: 'skip' },
      });
    });

    test('fail back to the primary: the same steps without the RDS promotion', () => {
      const steps = workflow(PRIMARY_REGION).Steps;
      expect(steps.map((st: any) => st.ExecutionBlockType)).toEqual(['AuroraGlobalDatabase', 'Route53HealthCheck', 'CustomActionLambda']);
      expect(steps[0].ExecutionBlockConfiguration.GlobalAuroraConfig.GlobalClusterIdentifier).toBe(`${s.prefix}-orders`);
      expect(steps[2].ExecutionBlockConfiguration.CustomActionLambdaConfig.Lambdas).toHaveLength(2);
    });

    test('the primary member ARN of the plan is the cluster the global cluster was made from', () => {
      const source = plain(only(primaryT, 'AWS::RDS::GlobalCluster').resource.Properties.SourceDBClusterIdentifier);
      expect(plain(workflow(DR_REGION).Steps[0].ExecutionBlockConfiguration.GlobalAuroraConfig.DatabaseClusterArns[0])).toBe(source);
    });

    test('a Route 53 HTTPS health check on the primary endpoint (port 443, the path given)', () => {
      expect(only(recovery, 'AWS::Route53::HealthCheck').resource.Properties.HealthCheckConfig).toEqual({
        Type: 'HTTPS', FullyQualifiedDomainName: 'primary.app.example.com', ResourcePath: '/health', Port: 443, RequestInterval: 30, FailureThreshold: 3,
      });
      expect(s.dr.healthCheck).toBeDefined();
    });
  });

  test('no statement in any of the three stacks grants a wildcard action', () => {
    for (const t of [primaryT, drFoundation, recovery]) {
      expect(allActions(t).filter((a) => a.includes('*'))).toEqual([]);
    }
  });
});
