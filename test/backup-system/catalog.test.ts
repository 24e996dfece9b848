import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CATALOG_INDEXES } from '../../lambda-src/shared/catalog-schema';
import { BackupCatalog, BackupCatalogDeps, CATALOG_TABLE_INDEXES } from '../../src/backup-system/catalog';
import { createEncryptedAlertTopic } from '../../src/private/encrypted-topic';
import { createSecureKey } from '../../src/private/secure-key';
import { describeFindings, synthFindings, testApp } from '../support/compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };

function alarmTopic(stack: Stack): sns.ITopic {
  return createEncryptedAlertTopic(stack, 'AlarmTopic', createSecureKey(stack, 'AlarmKey', { description: 'alarm topic' }), 'alarms');
}

function catalogStack(deps: Partial<BackupCatalogDeps> = {}) {
  const app = testApp();
  const stack = new Stack(app, 'CatalogStack', { env: ENV });
  const catalog = new BackupCatalog(stack, 'Catalog', {
    alarmTopic: alarmTopic(stack),
    tenants: [],
    vaultNames: [],
    removalPolicy: RemovalPolicy.RETAIN,
    ...deps,
  });
  // Synthesized on first read, so the compliance test can add its plugins first.
  return { app, stack, catalog, get template() { return Template.fromStack(stack); } };
}

/** The statements of the managed policy attached to the role whose logical id starts with `rolePrefix`. */
function roleStatements(template: Template, rolePrefix: string): any[] {
  const policies = template.findResources('AWS::IAM::ManagedPolicy');
  const mine = Object.values(policies).filter((p: any) =>
    (p.Properties.Roles ?? []).some((r: any) => typeof r.Ref === 'string' && r.Ref.startsWith(rolePrefix)));
  expect(mine).toHaveLength(1);
  return (mine[0] as any).Properties.PolicyDocument.Statement;
}

function lambdaEnv(template: Template, descriptionPattern: RegExp): Record<string, any> {
  const fns = Object.values(template.findResources('AWS::Lambda::Function'))
    .filter((f: any) => descriptionPattern.test(f.Properties.Description));
  expect(fns).toHaveLength(1);
  return (fns[0] as any).Properties.Environment.Variables;
}

describe('BackupCatalog table', () => {
  const { template, catalog } = catalogStack();

  test('pk/sk strings, on demand, PITR, customer-managed key, deletion protection, retained', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [Match.objectLike({
          Region: 'us-east-1',
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogKey'), 'Arn'] } },
        })],
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(catalog.table.encryptionKey).toBe(catalog.key);
  });

  test('the key rotates, is retained, and lets EventBridge encrypt into the queue', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({
        EnableKeyRotation: true,
        Description: Match.stringLikeRegexp('backup catalog'),
        KeyPolicy: {
          Statement: Match.arrayWith([Match.objectLike({
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          })]),
        },
      }),
      DeletionPolicy: 'Retain',
    });
  });

  test('the global secondary indexes are exactly those of lambda-src/shared/catalog-schema.ts', () => {
    expect(CATALOG_TABLE_INDEXES).toEqual(CATALOG_INDEXES);
    const [table] = Object.values(template.findResources('AWS::DynamoDB::GlobalTable')) as any[];
    const indexes = Object.fromEntries(table.Properties.GlobalSecondaryIndexes.map((gsi: any) => [gsi.IndexName, {
      partitionKey: gsi.KeySchema.find((k: any) => k.KeyType === 'HASH').AttributeName,
      sortKey: gsi.KeySchema.find((k: any) => k.KeyType === 'RANGE').AttributeName,
    }]));
    expect(indexes).toEqual(CATALOG_INDEXES);
    const types = Object.fromEntries(table.Properties.AttributeDefinitions.map((a: any) => [a.AttributeName, a.AttributeType]));
    expect(types).toEqual({ pk: 'S', sk: 'S', resourceArn: 'S', eventTime: 'S', tenantId: 'S', recoveryPointArn: 'S' });
  });

  test('removalPolicy DESTROY is passed to the table and the key', () => {
    const { template: destroy } = catalogStack({ removalPolicy: RemovalPolicy.DESTROY });
    destroy.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
    destroy.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ Description: Match.stringLikeRegexp('backup catalog') }), DeletionPolicy: 'Delete' });
  });
});

describe('BackupCatalog events pipeline', () => {
  const { template } = catalogStack();

  test('aws.backup backup, copy and restore job state changes go to the queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.backup'],
        'detail-type': ['Backup Job State Change', 'Copy Job State Change', 'Restore Job State Change', 'Scan Job State Change'],
      },
      Targets: [{ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogJobEventQueue'), 'Arn'] }, Id: Match.anyValue() }],
    });
  });

  test('the queue is KMS-encrypted with the catalog key, redrives after 5 receives, and times out after 6x the function', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogKey'), 'Arn'] },
      VisibilityTimeout: 360,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogJobEventDeadLetterQueue'), 'Arn'] },
        maxReceiveCount: 5,
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('records AWS Backup job events'), Timeout: 60 });
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogKey'), 'Arn'] },
      MessageRetentionPeriod: 1209600,
      RedriveAllowPolicy: { redrivePermission: 'allowAll' },
    });
  });

  test('the queue accepts only TLS, and only the job event rule may send', () => {
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as any[];
    const forQueue = policies.find((p) => p.Properties.Queues.some((q: any) => q.Ref.startsWith('CatalogJobEventQueue')));
    const statements = forQueue.Properties.PolicyDocument.Statement;
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({
        Sid: 'AllowJobEventRuleToSend',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/^CatalogJobEventRule/), 'Arn'] } } },
      }),
    ]));
  });

  test('the catalog handler reads the queue with partial batch responses', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogJobEventQueue'), 'Arn'] },
      FunctionName: { Ref: Match.stringLikeRegexp('^CatalogCatalogFunction') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
  });

  test('a dead-lettered job event alarms the alarm topic: > 0 visible, 5 minutes, missing data not breaching', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogJobEventDeadLetterQueue'), 'QueueName'] } }],
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
    });
  });

  test('the catalog handler environment names the table and the metrics namespace; no TENANTS without tenants', () => {
    const env = lambdaEnv(template, /records AWS Backup job events/);
    expect(env).toEqual(expect.objectContaining({
      TABLE_NAME: { Ref: expect.stringMatching(/^CatalogTable/) },
      POWERTOOLS_METRICS_NAMESPACE: 'CdkCompliantBackup',
      POWERTOOLS_SERVICE_NAME: 'catalog',
    }));
    expect(env.TENANTS).toBeUndefined();
  });

  test('tenants reach both handlers as TENANTS', () => {
    const { template: withTenants } = catalogStack({ tenants: ['acme', 'globex'] });
    expect(lambdaEnv(withTenants, /records AWS Backup job events/).TENANTS).toBe('acme,globex');
    expect(lambdaEnv(withTenants, /reconciler/).TENANTS).toBe('acme,globex');
  });
});

describe('BackupCatalog reconciler', () => {
  test('runs hourly with a 25-hour lookback, the table, the page limit and no vault filter by default', () => {
    const { template } = catalogStack();
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogReconcilerFunction'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogReconcilerFunctionDeadLetterQueue'), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
      })],
    });
    const env = lambdaEnv(template, /reconciler/);
    expect(env).toEqual(expect.objectContaining({
      TABLE_NAME: { Ref: expect.stringMatching(/^CatalogTable/) },
      LOOKBACK_HOURS: '25',
      MAX_PAGES: '100',
      POWERTOOLS_SERVICE_NAME: 'catalog-reconciler',
    }));
    expect(env.VAULT_NAMES).toBeUndefined();
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('reconciler'), Timeout: 600 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogReconcilerFunctionDeadLetterQueue'), 'QueueName'] } }],
      TreatMissingData: 'notBreaching',
    });
  });

  test('vaultNames, tokens included, become VAULT_NAMES', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const vaultName = new sns.Topic(stack, 'Stand-in').topicName; // any string token
    new BackupCatalog(stack, 'Catalog', {
      alarmTopic: alarmTopic(stack), tenants: [], vaultNames: ['primary', vaultName], removalPolicy: RemovalPolicy.RETAIN,
    });
    expect(lambdaEnv(Template.fromStack(stack), /reconciler/).VAULT_NAMES).toEqual({
      'Fn::Join': ['', ['primary,', { 'Fn::GetAtt': [expect.stringMatching(/^Standin/), 'TopicName'] }]],
    });
  });
});

describe('BackupCatalog IAM', () => {
  const { template, stack } = catalogStack();
  const tableArn = { 'Fn::GetAtt': [expect.stringMatching(/^CatalogTable/), 'Arn'] };
  const keyArn = { 'Fn::GetAtt': [expect.stringMatching(/^CatalogKey/), 'Arn'] };

  test('no statement of any managed policy has a wildcard action, and nothing is inline', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const all = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(all.length).toBeGreaterThan(0);
    for (const s of all) for (const action of [s.Action].flat()) expect(action).not.toMatch(/\*/);
  });

  test('the catalog handler: Describe*Job on *, DescribeRecoveryPoint on recovery points, UpdateItem, the key, the queue', () => {
    const statements = roleStatements(template, 'CatalogCatalogFunctionRole');
    const byAction = (a: string) => statements.filter((s) => [s.Action].flat().includes(a));
    expect(byAction('backup:DescribeBackupJob')).toEqual([expect.objectContaining({
      Action: ['backup:DescribeBackupJob', 'backup:DescribeCopyJob', 'backup:DescribeRestoreJob', 'backup:DescribeScanJob'], Resource: '*',
    })]);
    const [describeRp] = byAction('backup:DescribeRecoveryPoint');
    expect(describeRp.Action).toBe('backup:DescribeRecoveryPoint');
    const rpArns = stack.resolve(describeRp.Resource).map((r: any) => JSON.stringify(r));
    expect(rpArns).toHaveLength(7);
    expect(rpArns[0]).toMatch(/:backup:us-east-1:111111111111:recovery-point:\*/);
    expect(rpArns.join()).toMatch(/ec2:us-east-1::snapshot\/\*/);
    expect(rpArns.join()).toMatch(/rds:us-east-1:111111111111:snapshot:awsbackup:\*/);
    expect(byAction('dynamodb:UpdateItem')).toEqual([expect.objectContaining({ Action: 'dynamodb:UpdateItem', Resource: tableArn })]);
    expect(byAction('kms:GenerateDataKey')).toEqual([
      // Lambda dead-letters failed asynchronous invocations as the role, into a queue under the same key.
      expect.objectContaining({ Sid: 'DeadLetterQueueKey', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: keyArn }),
      expect.objectContaining({ Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: keyArn }),
    ]);
    expect(byAction('sqs:ReceiveMessage')).toHaveLength(1);
    const actions = statements.flatMap((s) => [s.Action].flat()).sort();
    expect(actions).toEqual([
      'backup:DescribeBackupJob', 'backup:DescribeCopyJob', 'backup:DescribeRecoveryPoint', 'backup:DescribeRestoreJob', 'backup:DescribeScanJob',
      'dynamodb:UpdateItem', 'kms:Decrypt', 'kms:Decrypt', 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKey',
      'logs:CreateLogStream', 'logs:PutLogEvents',
      'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage',
      'sqs:SendMessage', // its own dead-letter queue for asynchronous invocations
    ]);
  });

  test('the reconciler: List*Jobs on *, UpdateItem, the key, nothing else', () => {
    const statements = roleStatements(template, 'CatalogReconcilerFunctionRole');
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: ['backup:ListBackupJobs', 'backup:ListCopyJobs', 'backup:ListRestoreJobs', 'backup:ListScanJobs'], Resource: '*' }),
      expect.objectContaining({ Action: 'dynamodb:UpdateItem', Resource: tableArn }),
      expect.objectContaining({ Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: keyArn }),
    ]));
    const actions = statements.flatMap((s) => [s.Action].flat()).sort();
    expect(actions).toEqual([
      'backup:ListBackupJobs', 'backup:ListCopyJobs', 'backup:ListRestoreJobs', 'backup:ListScanJobs', 'dynamodb:UpdateItem',
      // The second pair: its dead-letter queue's key (Lambda writes failed invocations there as the role).
      'kms:Decrypt', 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKey', 'logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage',
    ]);
  });

  test('grantRecordWrite: PutItem and UpdateItem on the table and explicit key actions', () => {
    const app = testApp();
    const s = new Stack(app, 'S', { env: ENV });
    const c = new BackupCatalog(s, 'Catalog', { alarmTopic: alarmTopic(s), tenants: [], vaultNames: [], removalPolicy: RemovalPolicy.RETAIN });
    const role = new iam.Role(s, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    c.grantRecordWrite(role);
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Writer') }],
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogTable'), 'Arn'] } },
          { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogKey'), 'Arn'] } },
        ],
      },
    });
  });
});

describe('BackupCatalog handlerVpc', () => {
  test('both handlers run in the VPC when one is passed', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    new BackupCatalog(stack, 'Catalog', {
      alarmTopic: alarmTopic(stack), tenants: [], vaultNames: [], removalPolicy: RemovalPolicy.RETAIN, handlerVpc: vpc,
    });
    const fns = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as any[];
    expect(fns).toHaveLength(2);
    for (const fn of fns) expect(fn.Properties.VpcConfig.SubnetIds.length).toBe(2);
  });
});

describe('BackupCatalog passes the compliance packs', () => {
  test('cdk-nag AwsSolutions, HIPAA, NIST 800-53 rev5, PCI DSS 3.2.1 and cfn-guard: zero unacknowledged findings', () => {
    const { app } = catalogStack();
    expect(describeFindings(synthFindings(app))).toEqual([]);
  });
});

describe('BackupCatalog synth-time rules', () => {
  test('the stack needs a concrete region (TableV2 renders its CMK per region)', () => {
    const stack = new Stack(testApp(), 'Agnostic');
    const create = () => new BackupCatalog(stack, 'Catalog', {
      alarmTopic: alarmTopic(stack), tenants: [], vaultNames: [], removalPolicy: RemovalPolicy.RETAIN,
    });
    expect(create).toThrow(
      "Agnostic/Catalog: the stack region is unresolved (an environment-agnostic stack); the backup catalog's table is encrypted "
      + 'with a customer-managed key, which needs a concrete region: set env: { region } on the stack');
  });

  test('a concrete region with an unresolved account is enough', () => {
    expect(() => catalogStack().template).not.toThrow();
    const stack = new Stack(testApp(), 'RegionOnly', { env: { region: 'eu-west-1' } });
    expect(() => new BackupCatalog(stack, 'Catalog', {
      alarmTopic: alarmTopic(stack), tenants: [], vaultNames: [], removalPolicy: RemovalPolicy.RETAIN,
    })).not.toThrow();
  });
});

describe('BackupCatalog backlog', () => {
  test('job events waiting over an hour raise an alarm on the alarm topic', () => {
    const { template, stack, catalog } = catalogStack();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [stack.getLogicalId(catalog.queue.node.defaultChild as any), 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 3600,
      EvaluationPeriods: 3,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [Match.anyValue()],
    });
  });
});
