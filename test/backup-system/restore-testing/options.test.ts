/** RestoreTesting: the effect of each option. */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import { VAULT_ARN, EBS_ONLY, fixture, deps, restoreTesting, validatorStatements, actionsOf, BASE_ACTIONS } from './fixtures';
import { BackupCatalog } from '../../../src/backup-system/catalog';
import { RestoreTesting } from '../../../src/backup-system/restore-testing';
import { RestoreTestingAlgorithm, RestoreTestingOptions, RestoreTestingResourceType as T } from '../../../src/backup-system/restore-testing-options';

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

  test('without selections: one per type the validator checks and the backup role restores, over every recovery point in the plan\'s vaults', () => {
    const built = restoreTesting({}, { restorableTypes: ['S3', 'DynamoDB', 'EBS', 'RDS', 'Aurora', 'EFS'] });
    const selections = Object.values(built.template.findResources('AWS::Backup::RestoreTestingSelection')).map((r: any) => r.Properties);
    expect(selections.map((p) => [p.RestoreTestingSelectionName, p.ProtectedResourceType, p.ProtectedResourceArns]))
      .toEqual(['S3', 'DynamoDB', 'EBS', 'RDS', 'Aurora'].map((type) => [`${type}_1`, type, ['*']]));
  });

  test('without selections, a type the backup role cannot restore is left out', () => {
    const built = restoreTesting({}, { restorableTypes: ['S3', 'EBS'] });
    expect(built.rt.selections.map((s) => s.protectedResourceType)).toEqual(['S3', 'EBS']);
  });

  test('the validation rule drops events older than the shortest validation window', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 2 * 3600 } })],
    });
  });

  test('IAM for S3 and DynamoDB: read restored buckets, objects and tables of this account, decrypt only through those services', () => {
    const statements = validatorStatements(template);
    // backup:ListScanJobs: S3 recovery points can be scanned for malware, and one that did not scan clean fails.
    expect(actionsOf(statements)).toEqual([...BASE_ACTIONS, 'backup:ListScanJobs', 's3:ListBucket', 's3:GetObject', 'dynamodb:DescribeTable', 'dynamodb:Scan', 'kms:Decrypt'].sort());
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
    // EC2 recovery points can be scanned for malware: the validator reads their scan jobs.
    expect(actionsOf(validatorStatements(t))).toEqual([...BASE_ACTIONS, 'backup:ListScanJobs'].sort());
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
