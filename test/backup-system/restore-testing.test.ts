import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BackupCatalog } from '../../src/backup-system/catalog';
import { RestoreTesting, RestoreTestingDeps } from '../../src/backup-system/restore-testing';
import {
  RestoreTestingAlgorithm, RestoreTestingOptions, RestoreTestingResourceType as T,
} from '../../src/backup-system/restore-testing-options';
import { createEncryptedAlertTopic } from '../../src/private/encrypted-topic';
import { createSecureKey } from '../../src/private/secure-key';
import { ComplianceRuleError } from '../../src/validation/errors';
import { describeFindings, synthFindings, testApp } from '../support/compliance';
import { NEWEST_NODE_RUNTIME } from '../support/runtime';

const ENV = { account: '111111111111', region: 'us-east-1' };
const VAULT_ARN = 'arn:aws:backup:us-east-1:111111111111:backup-vault:primary';
const EBS_ONLY: RestoreTestingOptions = { selections: [{ resourceType: T.EBS }] };

interface Fixture {
  readonly stack: Stack;
  readonly topic: sns.ITopic;
  readonly restoreRole: iam.Role;
}

function fixture(stackName = 'RtStack'): Fixture & { app: ReturnType<typeof testApp> } {
  const app = testApp();
  const stack = new Stack(app, stackName, { env: ENV });
  const topic = createEncryptedAlertTopic(stack, 'AlarmTopic', createSecureKey(stack, 'AlarmKey', { description: 'alarm topic' }), 'alarms');
  const restoreRole = new iam.Role(stack, 'RestoreRole', { assumedBy: new iam.ServicePrincipal('backup.amazonaws.com') });
  return { app, stack, topic, restoreRole };
}

function deps(f: Fixture, more: Partial<RestoreTestingDeps> = {}): RestoreTestingDeps {
  return {
    sourceVaultArns: [VAULT_ARN],
    selectionTags: { Backup: 'true' },
    restoreRole: f.restoreRole,
    alarmTopic: f.topic,
    removalPolicy: RemovalPolicy.RETAIN,
    ...more,
  };
}

function restoreTesting(options: RestoreTestingOptions = EBS_ONLY, more: Partial<RestoreTestingDeps> = {}) {
  const f = fixture();
  const rt = new RestoreTesting(f.stack, 'RestoreTesting', options, deps(f, more));
  return { ...f, rt, get template() { return Template.fromStack(f.stack); } };
}

/** The validator role's managed policy statements. */
function validatorStatements(template: Template): any[] {
  const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter((p: any) =>
    p.Properties.Roles.some((r: any) => r.Ref.startsWith('RestoreTestingValidatorFunctionRole')));
  expect(policies).toHaveLength(1);
  return (policies[0] as any).Properties.PolicyDocument.Statement;
}

const actionsOf = (statements: any[]) => statements.flatMap((s) => [s.Action].flat()).sort();
// kms:GenerateDataKey and kms:Decrypt on the handler key: Lambda dead-letters failed invocations as the role.
const BASE_ACTIONS = ['backup:DescribeRestoreJob', 'backup:PutRestoreValidationResult', 'kms:Decrypt', 'kms:GenerateDataKey',
  'logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage'];

describe('RestoreTesting defaults', () => {
  const { template, rt } = restoreTesting();

  test('the plan: weekly cron, 24 h start window, latest recovery point of the last 7 days from the given vaults', () => {
    template.resourceCountIs('AWS::Backup::RestoreTestingPlan', 1);
    const [plan] = Object.values(template.findResources('AWS::Backup::RestoreTestingPlan')) as any[];
    expect(plan.Properties).toEqual({
      RestoreTestingPlanName: rt.planName,
      ScheduleExpression: 'cron(0 5 ? * SUN *)',
      StartWindowHours: 24,
      RecoveryPointSelection: {
        Algorithm: 'LATEST_WITHIN_WINDOW',
        IncludeVaults: [VAULT_ARN],
        RecoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'],
        SelectionWindowDays: 7,
      },
    });
    expect(rt.planName).toMatch(/^[A-Za-z0-9_]{1,50}$/);
    expect(rt.planName).toMatch(/RestoreTesting/);
  });

  test('one selection per resource type: all protected EBS volumes carrying the selection tags, kept 4 h for validation', () => {
    template.resourceCountIs('AWS::Backup::RestoreTestingSelection', 1);
    const [selection] = Object.values(template.findResources('AWS::Backup::RestoreTestingSelection')) as any[];
    expect(selection.Properties).toEqual({
      RestoreTestingPlanName: { Ref: expect.stringMatching(/^RestoreTesting[0-9A-F]{8}$/) },
      RestoreTestingSelectionName: 'EBS_1',
      ProtectedResourceType: 'EBS',
      IamRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^RestoreRole/), 'Arn'] },
      ProtectedResourceArns: ['*'],
      ProtectedResourceConditions: { StringEquals: [{ Key: 'aws:ResourceTag/Backup', Value: 'true' }] },
      ValidationWindowHours: 4,
    });
  });

  test('completed restore jobs of this plan go to the validator, with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.backup'],
        'detail-type': ['Restore Job State Change'],
        'detail': {
          status: ['COMPLETED'],
          restoreTestingPlanArn: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^RestoreTesting[0-9A-F]{8}$'), 'RestoreTestingPlanArn'] }],
        },
      },
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RestoreTestingValidatorFunction'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RestoreTestingValidatorFunctionDeadLetterQueue'), 'Arn'] } },
        // No older than the validation window: the restored resource is gone after it.
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 4 * 3600 },
      })],
    });
  });

  test('the validator waits up to 300 s, times out a minute later, and writes no catalog without one', () => {
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as any[];
    expect(fn.Properties.Timeout).toBe(360);
    expect(fn.Properties.Runtime).toBe(NEWEST_NODE_RUNTIME);
    expect(fn.Properties.Environment.Variables).toEqual({
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
      VALIDATION_WAIT_SECONDS: '300',
      POWERTOOLS_SERVICE_NAME: 'restore-validator',
      POWERTOOLS_METRICS_NAMESPACE: 'CdkCompliantBackup',
    });
  });

  test('a dead-lettered validation alarms the alarm topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RestoreTestingValidatorFunctionDeadLetterQueue'), 'QueueName'] } }],
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
    });
  });

  test('a FAILED or TIMED_OUT validation alarms the alarm topic: one alarm per tested type, on the validator\'s EMF dimensions', () => {
    const built = restoreTesting({
      selections: [{ resourceType: T.EBS }, { resourceType: T.DYNAMODB }, { resourceType: T.EBS, name: 'more_volumes' }],
    });
    const alarms = Object.values(built.template.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties).filter((a) => a.Metrics);
    expect(built.rt.validationAlarms).toHaveLength(2);
    const expression = 'FILL(failed, 0) + FILL(timedOut, 0)';
    expect(alarms.map((a) => a.Metrics.find((m: any) => m.Expression).Expression)).toEqual([expression, expression]);
    const watched = alarms.map((a) => a.Metrics.filter((m: any) => m.MetricStat)
      .map((m: any) => [m.Id, m.MetricStat.Metric.MetricName, m.MetricStat.Metric.Dimensions, m.MetricStat.Stat]));
    const dims = (type: string) => [{ Name: 'ResourceType', Value: type }, { Name: 'service', Value: 'restore-validator' }];
    expect(watched).toEqual(['EBS', 'DynamoDB'].map((type) => [
      ['failed', 'RestoreValidationsFailed', dims(type), 'Sum'],
      ['timedOut', 'RestoreValidationsTimedOut', dims(type), 'Sum'],
    ]));
    for (const a of alarms) {
      expect(a).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: expect.stringMatching(/^AlarmTopic/) }],
      });
      expect(a.AlarmDescription).toMatch(/failed validation or timed out: that backup did not restore/);
    }
  });

  test('the validator logs and dead letters are encrypted with a retained, rotating key of its own', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true, Description: Match.stringLikeRegexp('restore validator') }),
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RestoreTestingKey'), 'Arn'] },
    });
  });

  test('IAM for EBS only: report the verdict and describe volumes; no wildcard actions, nothing inline', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const statements = validatorStatements(template);
    expect(actionsOf(statements)).toEqual([...BASE_ACTIONS, 'ec2:DescribeVolumes'].sort());
    expect(statements).toEqual(expect.arrayContaining([
      { Sid: 'ReportValidation', Effect: 'Allow', Action: ['backup:DescribeRestoreJob', 'backup:PutRestoreValidationResult'], Resource: '*' },
      { Sid: 'DescribeRestoredVolumes', Effect: 'Allow', Action: 'ec2:DescribeVolumes', Resource: '*' },
    ]));
    for (const s of statements) for (const a of [s.Action].flat()) expect(a).not.toMatch(/\*/);
  });
});

describe('RestoreTesting options', () => {
  const everything: RestoreTestingOptions = {
    planName: 'weekly_restore_tests',
    schedule: events.Schedule.cron({ minute: '30', hour: '2', day: '1' }),
    scheduleTimeZone: 'Europe/Berlin',
    startWindow: Duration.hours(2),
    selectionWindow: Duration.days(30),
    algorithm: RestoreTestingAlgorithm.RANDOM_WITHIN_WINDOW,
    selections: [
      {
        resourceType: T.S3,
        name: 'documents',
        protectedResourceArns: ['arn:aws:s3:::documents-bucket'],
        restoreMetadataOverrides: { Encrypted: 'true' },
        validationWindow: Duration.hours(12),
      },
      { resourceType: T.DYNAMODB, validationWindow: Duration.hours(2) },
      { resourceType: T.DYNAMODB },
    ],
  };
  const { template, rt } = restoreTesting(everything);

  test('plan name, schedule, time zone, windows and algorithm are rendered as given', () => {
    const [plan] = Object.values(template.findResources('AWS::Backup::RestoreTestingPlan')) as any[];
    expect(plan.Properties).toEqual({
      RestoreTestingPlanName: 'weekly_restore_tests',
      ScheduleExpression: 'cron(30 2 1 * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      StartWindowHours: 2,
      RecoveryPointSelection: {
        Algorithm: 'RANDOM_WITHIN_WINDOW',
        IncludeVaults: [VAULT_ARN],
        RecoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'],
        SelectionWindowDays: 30,
      },
    });
    expect(rt.planName).toBe('weekly_restore_tests');
  });

  test('specific ARNs are used without tag conditions; overrides, name and validation window are passed through', () => {
    template.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      RestoreTestingSelectionName: 'documents',
      ProtectedResourceType: 'S3',
      ProtectedResourceArns: ['arn:aws:s3:::documents-bucket'],
      ProtectedResourceConditions: Match.absent(),
      RestoreMetadataOverrides: { Encrypted: 'true' },
      ValidationWindowHours: 12,
    });
  });

  test('default names count per resource type', () => {
    const names = Object.values(template.findResources('AWS::Backup::RestoreTestingSelection'))
      .map((s: any) => [s.Properties.RestoreTestingSelectionName, s.Properties.ValidationWindowHours]);
    expect(names).toEqual([['documents', 12], ['DynamoDB_1', 2], ['DynamoDB_2', 4]]);
    expect(rt.selections).toHaveLength(3);
  });

  test('the validation rule drops events older than the shortest validation window', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 2 * 3600 } })],
    });
  });

  test('IAM for S3 and DynamoDB: read restored buckets, objects and tables of this account, decrypt only through those services', () => {
    const statements = validatorStatements(template);
    expect(actionsOf(statements)).toEqual([...BASE_ACTIONS, 's3:ListBucket', 's3:GetObject', 'dynamodb:DescribeTable', 'dynamodb:Scan', 'kms:Decrypt'].sort());
    const inAccount = { StringEquals: { 'aws:ResourceAccount': '111111111111' } };
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 's3:ListBucket', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::*']] }, Condition: inAccount }),
      expect.objectContaining({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::*/*']] }, Condition: inAccount }),
      expect.objectContaining({
        Action: ['dynamodb:DescribeTable', 'dynamodb:Scan'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:us-east-1:111111111111:table/*']] },
      }),
      expect.objectContaining({
        Action: 'kms:Decrypt',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-east-1:111111111111:key/*']] },
        Condition: { StringEquals: { 'kms:ViaService': ['s3.us-east-1.amazonaws.com', 'dynamodb.us-east-1.amazonaws.com'] } },
      }),
    ]));
  });

  test('IAM for RDS: instances and clusters; for Aurora: clusters only', () => {
    const rds = validatorStatements(restoreTesting({ selections: [{ resourceType: T.RDS }] }).template);
    expect(actionsOf(rds)).toEqual([...BASE_ACTIONS, 'rds:DescribeDBInstances', 'rds:DescribeDBClusters'].sort());
    expect(rds).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'rds:DescribeDBInstances', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:111111111111:db:*']] } }),
      expect.objectContaining({ Action: 'rds:DescribeDBClusters', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:111111111111:cluster:*']] } }),
    ]));
    const aurora = validatorStatements(restoreTesting({ selections: [{ resourceType: T.AURORA }] }).template);
    expect(actionsOf(aurora)).toEqual([...BASE_ACTIONS, 'rds:DescribeDBClusters'].sort());
  });

  test('IAM for types the validator does not check (EC2, EFS, FSx, DocumentDB, Neptune): only reporting', () => {
    const { template: t } = restoreTesting({
      selections: [T.EC2, T.EFS, T.FSX, T.DOCUMENTDB, T.NEPTUNE].map((resourceType) => ({ resourceType })),
    });
    expect(actionsOf(validatorStatements(t))).toEqual(BASE_ACTIONS);
  });

  test('validation windows longer than a day: events are kept the 24 hours EventBridge allows', () => {
    const { template: t } = restoreTesting({ selections: [{ resourceType: T.EBS, validationWindow: Duration.hours(48) }] });
    t.hasResourceProperties('AWS::Backup::RestoreTestingSelection', { ValidationWindowHours: 48 });
    t.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 24 * 3600 } })],
    });
  });

  test('empty selectionTags: the wildcard selection has no conditions', () => {
    const { template: t } = restoreTesting(EBS_ONLY, { selectionTags: {} });
    t.hasResourceProperties('AWS::Backup::RestoreTestingSelection', { ProtectedResourceArns: ['*'], ProtectedResourceConditions: Match.absent() });
  });

  test('several selection tags become several StringEquals conditions', () => {
    const { template: t } = restoreTesting(EBS_ONLY, { selectionTags: { Backup: 'true', Tier: 'gold' } });
    t.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      ProtectedResourceConditions: { StringEquals: [{ Key: 'aws:ResourceTag/Backup', Value: 'true' }, { Key: 'aws:ResourceTag/Tier', Value: 'gold' }] },
    });
  });

  test('with a catalog: TABLE_NAME is set and the validator may put and update catalog items with the catalog key', () => {
    const f = fixture();
    const catalog = new BackupCatalog(f.stack, 'Catalog', { alarmTopic: f.topic, tenants: [], vaultNames: [], removalPolicy: RemovalPolicy.RETAIN });
    const withCatalog = new RestoreTesting(f.stack, 'RestoreTesting', EBS_ONLY, deps(f, { catalog }));
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('restore validator'),
      Environment: { Variables: Match.objectLike({ TABLE_NAME: { Ref: Match.stringLikeRegexp('^CatalogTable') } }) },
    });
    expect(validatorStatements(t)).toEqual(expect.arrayContaining([
      { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^CatalogTable/), 'Arn'] } },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^CatalogKey/), 'Arn'] } },
    ]));
    expect(withCatalog.validatorFunction).toBeDefined();
  });

  test('handlerVpc puts the validator in the VPC', () => {
    const f = fixture();
    const vpc = new ec2.Vpc(f.stack, 'Vpc', { maxAzs: 2 });
    new RestoreTesting(f.stack, 'RestoreTesting', EBS_ONLY, deps(f, { handlerVpc: vpc }));
    const [fn] = Object.values(Template.fromStack(f.stack).findResources('AWS::Lambda::Function')) as any[];
    expect(fn.Properties.VpcConfig.SubnetIds).toHaveLength(2);
  });

  test('removalPolicy DESTROY reaches the key', () => {
    const { template: t } = restoreTesting(EBS_ONLY, { removalPolicy: RemovalPolicy.DESTROY });
    t.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ Description: Match.stringLikeRegexp('restore validator') }), DeletionPolicy: 'Delete' });
  });
});

// One test per rule: each names the construct path, the prop, the value and what is allowed.
describe('RestoreTesting synth-time rules', () => {
  function create(options: RestoreTestingOptions): () => RestoreTesting {
    const f = fixture('S');
    return () => new RestoreTesting(f.stack, 'RT', options, deps(f));
  }

  test('plan name: letters, digits and underscores, up to 50', () => {
    expect(create({ ...EBS_ONLY, planName: 'weekly-tests' })).toThrow(ComplianceRuleError);
    expect(create({ ...EBS_ONLY, planName: 'weekly-tests' })).toThrow(
      "S/RT: planName is 'weekly-tests'; a restore testing plan or selection name is 1-50 letters, digits and underscores");
    expect(create({ ...EBS_ONLY, planName: 'x'.repeat(51) })).toThrow(/planName is 'x{51}'/);
    expect(create({ ...EBS_ONLY, planName: 'x'.repeat(50) })).not.toThrow();
  });

  test('selection name: letters, digits and underscores, up to 50', () => {
    expect(create({ selections: [{ resourceType: T.EBS, name: 'ebs volumes' }] })).toThrow(
      "S/RT: selections[0].name is 'ebs volumes'; a restore testing plan or selection name is 1-50 letters, digits and underscores");
  });

  test('selection names are unique in the plan', () => {
    expect(create({ selections: [{ resourceType: T.EBS }, { resourceType: T.RDS, name: 'EBS_1' }] })).toThrow(
      "S/RT: selections[1].name is 'EBS_1'; restore testing selection names must be unique within the plan");
  });

  test('cron schedules only', () => {
    expect(create({ ...EBS_ONLY, schedule: events.Schedule.rate(Duration.days(7)) })).toThrow(
      "S/RT: schedule is 'rate(7 days)'; AWS Backup accepts cron() schedules only (use events.Schedule.cron())");
  });

  test('the time zone is an IANA name', () => {
    expect(create({ ...EBS_ONLY, scheduleTimeZone: 'Mars/Olympus' })).toThrow(
      "S/RT: scheduleTimeZone is 'Mars/Olympus'; expected an IANA time zone name such as 'Europe/Berlin' or 'UTC'");
  });

  test('start window is 1-168 hours', () => {
    expect(create({ ...EBS_ONLY, startWindow: Duration.hours(169) })).toThrow(
      'S/RT: startWindow is 7 days 1 hour; the start window of a restore testing plan is 1-168 hours (one week)');
    expect(create({ ...EBS_ONLY, startWindow: Duration.minutes(0) })).toThrow(
      'S/RT: startWindow is 0 minutes; the start window of a restore testing plan is 1-168 hours (one week)');
    expect(create({ ...EBS_ONLY, startWindow: Duration.hours(168) })).not.toThrow();
  });

  test('start and validation windows count in whole hours', () => {
    expect(create({ ...EBS_ONLY, startWindow: Duration.minutes(90) })).toThrow(
      'S/RT: startWindow is 1 hour 30 minutes; restore testing counts this window in whole hours (use Duration.hours())');
  });

  test('selection window is 1-365 days', () => {
    expect(create({ ...EBS_ONLY, selectionWindow: Duration.days(366) })).toThrow(
      'S/RT: selectionWindow is 366 days; restore testing chooses recovery points from the last 1-365 days');
    expect(create({ ...EBS_ONLY, selectionWindow: Duration.days(0) })).toThrow(
      'S/RT: selectionWindow is 0 days; restore testing chooses recovery points from the last 1-365 days');
    expect(create({ ...EBS_ONLY, selectionWindow: Duration.days(365) })).not.toThrow();
  });

  test('selection window counts in whole days', () => {
    expect(create({ ...EBS_ONLY, selectionWindow: Duration.hours(36) })).toThrow(
      'S/RT: selectionWindow is 1 day 12 hours; restore testing counts the selection window in whole days (use Duration.days())');
  });

  test('validation window is 1-168 hours', () => {
    expect(create({ selections: [{ resourceType: T.EBS, validationWindow: Duration.hours(169) }] })).toThrow(
      'S/RT: selections[0].validationWindow is 7 days 1 hour; the validation window of a restore testing selection is 1-168 hours');
    expect(create({ selections: [{ resourceType: T.EBS, validationWindow: Duration.hours(0) }] })).toThrow(
      'S/RT: selections[0].validationWindow is 0 hours; the validation window of a restore testing selection is 1-168 hours');
  });

  test('at least one selection', () => {
    expect(create({ selections: [] })).toThrow(
      'S/RT: selections is []; restore testing needs at least one selection (one per resource type to test)');
  });

  test('one resource type per selection, one restore testing supports', () => {
    expect(create({ selections: [{ resourceType: 'EBS,RDS' as T }] })).toThrow(
      "S/RT: selections[0].resourceType is 'EBS,RDS'; a restore testing selection names exactly one resource type, one of "
      + 'Aurora, DocumentDB, DynamoDB, EBS, EC2, EFS, FSx, Neptune, RDS, S3; add a selection per type');
  });

  test('protected resources are ARNs of the selection\'s one resource type', () => {
    expect(create({ selections: [{ resourceType: T.EBS, protectedResourceArns: ['arn:aws:rds:us-east-1:111111111111:db:orders'] }] })).toThrow(
      "S/RT: selections[0].protectedResourceArns is 'arn:aws:rds:us-east-1:111111111111:db:orders'; this selection's resource type "
      + 'is EBS, so it holds EBS resources only (ARNs of ec2); add a selection per resource type');
    expect(create({ selections: [{ resourceType: T.AURORA, protectedResourceArns: ['arn:aws:rds:us-east-1:111111111111:cluster:orders'] }] })).not.toThrow();
  });

  test('protected resources are [\'*\'] or specific ARNs, not both', () => {
    expect(create({ selections: [{ resourceType: T.S3, protectedResourceArns: ['*', 'arn:aws:s3:::docs'] }] })).toThrow(
      "S/RT: selections[0].protectedResourceArns is ['*', 'arn:aws:s3:::docs']; it is either ['*'] or specific ARNs, not both");
  });

  test('protected resources: at most 30 ARNs', () => {
    const arns = Array.from({ length: 31 }, (_, i) => `arn:aws:s3:::bucket-${i}`);
    expect(create({ selections: [{ resourceType: T.S3, protectedResourceArns: arns }] })).toThrow(
      'S/RT: selections[0].protectedResourceArns is 31 ARNs; a restore testing selection lists at most 30 resource ARNs');
    expect(create({ selections: [{ resourceType: T.S3, protectedResourceArns: arns.slice(0, 30) }] })).not.toThrow();
  });

  test('protected resources: not an empty list', () => {
    expect(create({ selections: [{ resourceType: T.S3, protectedResourceArns: [] }] })).toThrow(
      "S/RT: selections[0].protectedResourceArns is []; list the resources to test, or ['*'] for every protected resource of the type");
  });
});

describe('RestoreTesting passes the compliance packs', () => {
  test('BackupCatalog and RestoreTesting with their defaults in one stack: zero unacknowledged findings', () => {
    const f = fixture('Packs');
    const catalog = new BackupCatalog(f.stack, 'Catalog', { alarmTopic: f.topic, tenants: [], vaultNames: [], removalPolicy: RemovalPolicy.RETAIN });
    new RestoreTesting(f.stack, 'RestoreTesting', EBS_ONLY, deps(f, { catalog }));
    expect(describeFindings(synthFindings(f.app))).toEqual([]);
  });

  test('every resource type selected (every wildcard the validator can need): zero unacknowledged findings', () => {
    const f = fixture('AllTypes');
    new RestoreTesting(f.stack, 'RestoreTesting', {
      selections: Object.values(T).map((resourceType) => ({ resourceType })),
    }, deps(f));
    expect(describeFindings(synthFindings(f.app))).toEqual([]);
  });

  test('in a stack whose account is not known at synth time', () => {
    const app = testApp();
    const stack = new Stack(app, 'RegionOnly', { env: { region: 'eu-west-1' } });
    const topic = createEncryptedAlertTopic(stack, 'AlarmTopic', createSecureKey(stack, 'AlarmKey', { description: 'alarm topic' }), 'alarms');
    const restoreRole = new iam.Role(stack, 'RestoreRole', { assumedBy: new iam.ServicePrincipal('backup.amazonaws.com') });
    const catalog = new BackupCatalog(stack, 'Catalog', { alarmTopic: topic, tenants: ['acme'], vaultNames: ['primary'], removalPolicy: RemovalPolicy.RETAIN });
    new RestoreTesting(stack, 'RestoreTesting', { selections: Object.values(T).map((resourceType) => ({ resourceType })) }, {
      sourceVaultArns: [VAULT_ARN], selectionTags: { Backup: 'true' }, restoreRole, catalog, alarmTopic: topic, removalPolicy: RemovalPolicy.RETAIN,
    });
    expect(describeFindings(synthFindings(app))).toEqual([]);
  });

  test('the template conforms to the CloudFormation schemas (built-in validation on, every option set)', () => {
    const app = testApp({ builtinValidation: true });
    const stack = new Stack(app, 'Schemas', { env: ENV });
    const topic = createEncryptedAlertTopic(stack, 'AlarmTopic', createSecureKey(stack, 'AlarmKey', { description: 'alarm topic' }), 'alarms');
    const restoreRole = new iam.Role(stack, 'RestoreRole', { assumedBy: new iam.ServicePrincipal('backup.amazonaws.com') });
    const catalog = new BackupCatalog(stack, 'Catalog', { alarmTopic: topic, tenants: ['acme'], vaultNames: ['primary'], removalPolicy: RemovalPolicy.RETAIN });
    new RestoreTesting(stack, 'RestoreTesting', {
      planName: 'all_options',
      schedule: events.Schedule.cron({ minute: '0', hour: '3' }),
      scheduleTimeZone: 'Europe/Berlin',
      startWindow: Duration.hours(6),
      selectionWindow: Duration.days(14),
      algorithm: RestoreTestingAlgorithm.RANDOM_WITHIN_WINDOW,
      selections: [
        { resourceType: T.S3, protectedResourceArns: ['arn:aws:s3:::documents'], restoreMetadataOverrides: { Encrypted: 'true' }, validationWindow: Duration.hours(8), name: 'docs' },
        { resourceType: T.RDS },
      ],
    }, { sourceVaultArns: [VAULT_ARN], selectionTags: { Backup: 'true' }, restoreRole, catalog, alarmTopic: topic, removalPolicy: RemovalPolicy.RETAIN });
    expect(describeFindings(synthFindings(app, []))).toEqual([]);
  });
});
