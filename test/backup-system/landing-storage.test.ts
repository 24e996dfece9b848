import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  INVENTORY_FIELDS, LandingStorage, TENANTS_ENV_BUDGET, TENANT_TAG_KEY,
} from '../../src/backup-system/landing-storage';
import { LandingStorageOptions } from '../../src/backup-system/landing-storage-options';
import { createEncryptedAlertTopic } from '../../src/private/encrypted-topic';
import { createAccessLogBucket } from '../../src/private/secure-bucket';
import { createSecureKey } from '../../src/private/secure-key';
import { describeFindings, synthFindings, testApp } from '../support/compliance';
import { NEWEST_NODE_RUNTIME } from '../support/runtime';

const ENV = { account: '111111111111', region: 'us-east-1' };
const PATH = 'LandingStack/Landing';

interface Fixture {
  readonly stack: Stack;
  readonly landing: LandingStorage;
  readonly table: dynamodb.TableV2;
  readonly topic: sns.Topic;
  readonly logs: s3.Bucket;
  readonly template: Template;
}

interface FixtureProps {
  readonly options?: LandingStorageOptions;
  readonly tenants?: string[];
  readonly removalPolicy?: RemovalPolicy;
  readonly vpc?: boolean;
}

/** The deps the lead passes in, built the way the library builds them: a CMK-encrypted catalog, the shared log bucket, an encrypted topic. */
function landingFixture(props: FixtureProps = {}): Fixture {
  const app = testApp();
  const stack = new Stack(app, 'LandingStack', { env: ENV });
  const table = new dynamodb.TableV2(stack, 'Catalog', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryptionV2.customerManagedKey(createSecureKey(stack, 'CatalogKey', { description: 'catalog' })),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
  });
  const logs = createAccessLogBucket(stack, 'AccessLogs', RemovalPolicy.RETAIN);
  const topic = createEncryptedAlertTopic(stack, 'AlarmTopic', createSecureKey(stack, 'AlarmKey', { description: 'alarms' }), 'alarms');
  const vpc = props.vpc ? new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }) : undefined;
  const landing = new LandingStorage(stack, 'Landing', props.options ?? {}, {
    accessLogBucket: logs,
    alarmTopic: topic,
    catalogTable: table,
    tenants: props.tenants ?? ['tenant-a', 'tenant-b'],
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    handlerVpc: vpc,
  });
  return { stack, landing, table, topic, logs, get template() { return Template.fromStack(stack); } };
}

const ref = (construct: { node: { defaultChild?: any } } | any) => ({ Ref: logicalId(construct) });
const arn = (construct: any) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });
function logicalId(construct: any): string {
  const cfn = construct.node.defaultChild ?? construct;
  return Stack.of(construct).getLogicalId(cfn);
}

function resourceOf(template: Template, type: string, id: string): any {
  const resources = template.findResources(type);
  expect(Object.keys(resources)).toContain(id);
  return resources[id];
}

describe('LandingStorage defaults', () => {
  const f = landingFixture();
  const { landing, template } = f;
  const bucket = () => resourceOf(template, 'AWS::S3::Bucket', logicalId(landing.bucket));
  const inventoryBucket = () => resourceOf(template, 'AWS::S3::Bucket', logicalId(landing.inventoryBucket));

  test('two customer-managed keys with rotation, retained, that allow grants only for AWS services', () => {
    for (const key of [landing.key, landing.pipelineKey]) {
      const resource = resourceOf(template, 'AWS::KMS::Key', logicalId(key));
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(resource.Properties.EnableKeyRotation).toBe(true);
      expect(resource.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({
        Sid: 'DenyGrantsExceptForAwsServices', Effect: 'Deny', Action: 'kms:CreateGrant',
      }));
    }
  });

  test('the data key lets S3 of this account encrypt inventory files, and nothing else from outside the account', () => {
    const statements = resourceOf(template, 'AWS::KMS::Key', logicalId(landing.key)).Properties.KeyPolicy.Statement;
    expect(statements).toHaveLength(3);
    expect(statements).toContainEqual({
      Sid: 'AllowS3InventoryDelivery',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'kms:GenerateDataKey',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': ENV.account } },
    });
  });

  test('the pipeline key serves EventBridge (sending to the encrypted queue) and CloudWatch Logs', () => {
    const statements = resourceOf(template, 'AWS::KMS::Key', logicalId(landing.pipelineKey)).Properties.KeyPolicy.Statement;
    expect(statements).toContainEqual({
      Sid: 'AllowEventsToUseKey',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
    });
    expect(statements).toContainEqual(expect.objectContaining({ Sid: 'AllowCloudWatchLogsToUseKey' }));
    expect(statements).not.toContainEqual(expect.objectContaining({ Sid: 'AllowS3InventoryDelivery' }));
  });

  test('the landing bucket is versioned, object-locked in governance mode for 30 days, and retained', () => {
    const b = bucket();
    expect(b.DeletionPolicy).toBe('Retain');
    expect(b.UpdateReplacePolicy).toBe('Retain');
    expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(b.Properties.ObjectLockEnabled).toBe(true);
    expect(b.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Days: 30, Mode: 'GOVERNANCE' } },
    });
    expect(landing.objectLockDays).toBe(30);
  });

  test('the landing bucket is encrypted with the data key (bucket keys on), public-blocked, ACL-free and access-logged under landing/', () => {
    const p = bucket().Properties;
    expect(p.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { KMSMasterKeyID: arn(landing.key), SSEAlgorithm: 'aws:kms' },
      }],
    });
    expect(p.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    expect(p.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(p.LoggingConfiguration).toEqual({ DestinationBucketName: ref(f.logs), LogFilePrefix: 'landing/' });
  });

  test('S3 sends events to EventBridge from the bucket itself: no notification custom resource or helper Lambda', () => {
    expect(bucket().Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
    template.resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('the bucket policy only denies requests without TLS', () => {
    const policy = template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: ref(landing.bucket) } });
    const [document] = Object.values(policy).map((r: any) => r.Properties.PolicyDocument);
    expect(document.Statement).toEqual([{
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: [arn(landing.bucket), { 'Fn::Join': ['', [arn(landing.bucket), '/*']] }],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }]);
  });

  test('lifecycle: current versions to Glacier Instant Retrieval after 30 days, noncurrent versions expire after the 30-day lock, uploads aborted after 7 days', () => {
    const rules = bucket().Properties.LifecycleConfiguration.Rules;
    expect(rules).toContainEqual({
      Id: 'TransitionToCold', Status: 'Enabled', Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }],
    });
    expect(rules).toContainEqual({ Id: 'ExpireNoncurrentVersions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } });
    expect(rules).toContainEqual(expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }));
    // Nothing ever expires a current version: what landed stays until somebody with the right deletes it after the lock.
    expect(rules.filter((r: any) => r.ExpirationInDays !== undefined || r.ExpirationDate !== undefined)).toEqual([]);
  });

  test('a daily Parquet inventory of all versions, with checksum, encryption and object-lock fields, into the inventory bucket', () => {
    expect(bucket().Properties.InventoryConfigurations).toEqual([{
      Id: 'DailyAllVersions',
      Enabled: true,
      IncludedObjectVersions: 'All',
      ScheduleFrequency: 'Daily',
      Destination: { BucketArn: arn(landing.inventoryBucket), Format: 'Parquet', Prefix: 'inventory' },
      OptionalFields: INVENTORY_FIELDS,
    }]);
    expect(INVENTORY_FIELDS).toEqual(expect.arrayContaining([
      'ChecksumAlgorithm', 'ObjectLockRetainUntilDate', 'ObjectLockMode', 'ObjectLockLegalHoldStatus', 'EncryptionStatus',
    ]));
  });

  test('the inventory bucket is KMS-encrypted with the data key, versioned, public-blocked, access-logged, retained', () => {
    const b = inventoryBucket();
    expect(b.DeletionPolicy).toBe('Retain');
    expect(b.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { KMSMasterKeyID: arn(landing.key), SSEAlgorithm: 'aws:kms' },
        }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: ref(f.logs), LogFilePrefix: 'landing-inventory/' },
    });
    expect(b.Properties.ObjectLockConfiguration).toBeUndefined();
  });

  test('only S3 inventory of the landing bucket, from this account, may write into the inventory bucket, and only over TLS', () => {
    const policy = template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: ref(landing.inventoryBucket) } });
    const [document] = Object.values(policy).map((r: any) => r.Properties.PolicyDocument);
    expect(document.Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      {
        Sid: 'AllowS3InventoryDelivery',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [arn(landing.inventoryBucket), '/inventory/*']] },
        Condition: {
          StringEquals: { 'aws:SourceAccount': ENV.account },
          ArnLike: { 'aws:SourceArn': arn(landing.bucket) },
        },
      },
    ]);
  });

  test('an EventBridge rule sends Object Created events of this bucket only to the queue, undeliverable ones to the DLQ', () => {
    const rule = resourceOf(template, 'AWS::Events::Rule', logicalId(landing.objectCreatedRule));
    expect(rule.Properties.EventPattern).toEqual({
      'source': ['aws.s3'],
      'detail-type': ['Object Created'],
      'detail': { bucket: { name: [ref(landing.bucket)] } },
    });
    expect(rule.Properties.Targets).toEqual([{
      Id: 'Target0',
      Arn: arn(landing.queue),
      DeadLetterConfig: { Arn: arn(landing.deadLetterQueue) },
      RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
    }]);
  });

  test('the queue is encrypted with the pipeline key, redrives to the DLQ after 5 receives, and hides messages 6x the function timeout', () => {
    const q = resourceOf(template, 'AWS::SQS::Queue', logicalId(landing.queue)).Properties;
    expect(q).toEqual({
      KmsMasterKeyId: arn(landing.pipelineKey),
      MessageRetentionPeriod: 1209600,
      VisibilityTimeout: 1800,
      RedrivePolicy: { deadLetterTargetArn: arn(landing.deadLetterQueue), maxReceiveCount: 5 },
    });
    const timeout = resourceOf(template, 'AWS::Lambda::Function', logicalId(landing.verifierFunction)).Properties.Timeout;
    expect(q.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    const dlq = resourceOf(template, 'AWS::SQS::Queue', logicalId(landing.deadLetterQueue)).Properties;
    expect(dlq.KmsMasterKeyId).toEqual(arn(landing.pipelineKey));
    expect(dlq.MessageRetentionPeriod).toBe(1209600);
  });

  test('queue and DLQ accept only TLS, and only this rule may send to them', () => {
    for (const [queue, sid] of [[landing.queue, 'AllowObjectCreatedRule'], [landing.deadLetterQueue, 'AllowUndeliverableObjectCreatedEvents']] as const) {
      const policies = template.findResources('AWS::SQS::QueuePolicy', { Properties: { Queues: [ref(queue)] } });
      const [document] = Object.values(policies).map((r: any) => r.Properties.PolicyDocument);
      expect(document.Statement).toEqual([
        { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sqs:*', Resource: arn(queue), Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        {
          Sid: sid,
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: arn(queue),
          Condition: { ArnEquals: { 'aws:SourceArn': arn(landing.objectCreatedRule) } },
        },
      ]);
    }
  });

  test('the verifier consumes the queue in batches of 10 with partial batch responses', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arn(landing.queue),
      FunctionName: ref(landing.verifierFunction),
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  test('anything in the DLQ raises an alarm on the alarm topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(landing.deadLetterQueue), 'QueueName'] } }],
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [ref(f.topic)],
    });
  });

  test('the verifier: Node.js 24 on arm64, 5-minute timeout, 512 MB, JSON logs into an encrypted log group, and its environment', () => {
    const fn = resourceOf(template, 'AWS::Lambda::Function', logicalId(landing.verifierFunction)).Properties;
    expect(fn).toMatchObject({ Runtime: NEWEST_NODE_RUNTIME, Architectures: ['arm64'], Timeout: 300, MemorySize: 512 });
    expect(fn.LoggingConfig).toMatchObject({ LogFormat: 'JSON' });
    expect(fn.Environment.Variables).toEqual({
      TABLE_NAME: ref(f.table),
      ALARM_TOPIC_ARN: ref(f.topic),
      TENANTS: 'tenant-a,tenant-b',
      POWERTOOLS_SERVICE_NAME: 'landing-verifier',
      POWERTOOLS_METRICS_NAMESPACE: 'CompliantBackup',
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: arn(landing.pipelineKey), RetentionInDays: 365 });
  });

  test('the verifier role has exactly the permissions the handler needs, written out', () => {
    const policy = resourceOf(template, 'AWS::IAM::ManagedPolicy', logicalId((landing.verifierRole as any).policy));
    const viaService = (service: string) => ({ StringEquals: { 'kms:ViaService': `${service}.us-east-1.amazonaws.com` } });
    expect(policy.Properties.Roles).toEqual([ref(landing.verifierRole)]);
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: expect.anything() },
      // Lambda dead-letters failed invocations as this role, into a queue encrypted with the pipeline key.
      { Sid: 'DeadLetterQueueKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: arn(landing.pipelineKey) },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arn(landing.deadLetterQueue) },
      {
        Sid: 'ReadLandingObjectVersions',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: { 'Fn::Join': ['', [arn(landing.bucket), '/*']] },
      },
      { Sid: 'DecryptLandingObjects', Effect: 'Allow', Action: 'kms:Decrypt', Resource: arn(landing.key), Condition: viaService('s3') },
      { Sid: 'WriteCatalogRecords', Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: arn(f.table) },
      {
        Sid: 'UseCatalogKey',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: arn(f.table.encryptionKey),
        Condition: viaService('dynamodb'),
      },
      { Sid: 'PublishFailedVerifications', Effect: 'Allow', Action: 'sns:Publish', Resource: ref(f.topic) },
      {
        Sid: 'UseAlarmTopicKey',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: arn(f.topic.masterKey),
        Condition: viaService('sns'),
      },
      {
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        Resource: arn(landing.queue),
      },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: arn(landing.pipelineKey) },
    ]);
    // No inline policies and no AWS-managed policy on the role.
    const role = resourceOf(template, 'AWS::IAM::Role', logicalId(landing.verifierRole)).Properties;
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.Policies).toBeUndefined();
  });

  test('no IAM statement of the landing storage has a wildcard action', () => {
    const actions: string[] = [];
    for (const type of ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy', 'AWS::S3::BucketPolicy', 'AWS::SQS::QueuePolicy']) {
      for (const [id, resource] of Object.entries(template.findResources(type)) as [string, any][]) {
        if (!id.startsWith('Landing')) continue;
        for (const s of resource.Properties.PolicyDocument.Statement) {
          if (s.Effect === 'Allow') actions.push(...[s.Action].flat());
        }
      }
    }
    expect(actions.length).toBeGreaterThan(10);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });

  test('the tenant policy: objects and listing under the principal\'s tenant tag, the data key through S3, nothing else', () => {
    const policy = resourceOf(template, 'AWS::IAM::ManagedPolicy', logicalId(landing.tenantPolicy));
    const tag = '${aws:PrincipalTag/cdk-compliant-backup:tenant}';
    const tagged = { Null: { 'aws:PrincipalTag/cdk-compliant-backup:tenant': 'false' } };
    expect(TENANT_TAG_KEY).toBe('cdk-compliant-backup:tenant');
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'TenantObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [arn(landing.bucket), `/${tag}/*`]] },
        Condition: tagged,
      },
      {
        Sid: 'TenantListing',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: arn(landing.bucket),
        Condition: { ...tagged, StringLike: { 's3:prefix': `${tag}/*` } },
      },
      {
        Sid: 'TenantEncryption',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: arn(landing.key),
        Condition: { ...tagged, StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
      },
    ]);
    // Attached to nobody until a tenant is granted.
    expect(policy.Properties.Roles).toBeUndefined();
  });

  test('the verifier is the one handler; nothing outside a VPC is claimed to be inside one', () => {
    const fn = resourceOf(template, 'AWS::Lambda::Function', logicalId(landing.verifierFunction)).Properties;
    expect(fn.VpcConfig).toBeUndefined();
    expect(fn.DeadLetterConfig).toEqual({ TargetArn: arn(landing.deadLetterQueue) });
  });
});

describe('LandingStorage options', () => {
  test('compliance mode, a year\'s lock, cold after 90 days, noncurrent versions kept 400 days', () => {
    const { landing, template } = landingFixture({
      options: {
        objectLockMode: s3.ObjectLockMode.COMPLIANCE,
        objectLockRetention: Duration.days(365),
        transitionToColdAfter: Duration.days(90),
        noncurrentVersionExpiration: Duration.days(400),
      },
    });
    const p = resourceOf(template, 'AWS::S3::Bucket', logicalId(landing.bucket)).Properties;
    expect(p.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Days: 365, Mode: 'COMPLIANCE' } } });
    expect(p.LifecycleConfiguration.Rules).toEqual(expect.arrayContaining([
      { Id: 'TransitionToCold', Status: 'Enabled', Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }] },
      { Id: 'ExpireNoncurrentVersions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 400 } },
    ]));
  });

  test('noncurrent versions follow a longer lock by default', () => {
    const { landing, template } = landingFixture({ options: { objectLockRetention: Duration.days(90) } });
    const rules = resourceOf(template, 'AWS::S3::Bucket', logicalId(landing.bucket)).Properties.LifecycleConfiguration.Rules;
    expect(rules).toContainEqual({ Id: 'ExpireNoncurrentVersions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 90 } });
  });

  test('a noncurrent expiration equal to the lock is accepted', () => {
    const options = { objectLockRetention: Duration.days(10), noncurrentVersionExpiration: Duration.days(10) };
    expect(() => landingFixture({ options })).not.toThrow();
  });

  test('removalPolicy DESTROY reaches the buckets and keys', () => {
    const { landing, template } = landingFixture({ removalPolicy: RemovalPolicy.DESTROY });
    for (const [type, c] of [['AWS::S3::Bucket', landing.bucket], ['AWS::S3::Bucket', landing.inventoryBucket],
      ['AWS::KMS::Key', landing.key], ['AWS::KMS::Key', landing.pipelineKey]] as const) {
      expect(resourceOf(template, type, logicalId(c)).DeletionPolicy).toBe('Delete');
    }
  });

  test('handlerVpc places the verifier in the VPC\'s private subnets', () => {
    const { landing, template } = landingFixture({ vpc: true });
    const fn = resourceOf(template, 'AWS::Lambda::Function', logicalId(landing.verifierFunction)).Properties;
    expect(fn.VpcConfig.SubnetIds).toHaveLength(2);
  });

  test('no tenants: no TENANTS variable, and the tenant policy still exists for later grants', () => {
    const { landing, template } = landingFixture({ tenants: [] });
    const env = resourceOf(template, 'AWS::Lambda::Function', logicalId(landing.verifierFunction)).Properties.Environment.Variables;
    expect(env.TENANTS).toBeUndefined();
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 2);
  });

  test('a tenant list too long for the Lambda environment becomes "*": the first key segment is the tenant', () => {
    const tenants = Array.from({ length: 400 }, (_, i) => `tenant-${String(i).padStart(4, '0')}`);
    expect(tenants.join(',').length).toBeGreaterThan(TENANTS_ENV_BUDGET);
    const { landing, template } = landingFixture({ tenants });
    const env = resourceOf(template, 'AWS::Lambda::Function', logicalId(landing.verifierFunction)).Properties.Environment.Variables;
    expect(env.TENANTS).toBe('*');
  });

  test('a tenant list that fits is passed whole', () => {
    const tenants = Array.from({ length: 200 }, (_, i) => `tenant-${String(i).padStart(4, '0')}`);
    const { landing, template } = landingFixture({ tenants });
    const env = resourceOf(template, 'AWS::Lambda::Function', logicalId(landing.verifierFunction)).Properties.Environment.Variables;
    expect(env.TENANTS).toBe(tenants.join(','));
  });
});

describe('grantTenantAccess', () => {
  test('tags a role with its tenant and attaches the one tenant policy by ARN', () => {
    const f = landingFixture();
    const role = new iam.Role(f.stack, 'TenantARole', { assumedBy: new iam.AccountRootPrincipal() });
    f.landing.grantTenantAccess('tenant-a', role);
    const r = resourceOf(f.template, 'AWS::IAM::Role', logicalId(role)).Properties;
    expect(r.Tags).toEqual([{ Key: 'cdk-compliant-backup:tenant', Value: 'tenant-a' }]);
    expect(r.ManagedPolicyArns).toEqual([ref(f.landing.tenantPolicy)]);
  });

  test('works through a grantable whose principal is a role of this app (a Lambda function) and for a user', () => {
    const f = landingFixture();
    const fn = new lambda.Function(f.stack, 'Uploader', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    const user = new iam.User(f.stack, 'Operator');
    f.landing.grantTenantAccess('tenant-b', fn);
    f.landing.grantTenantAccess('tenant-a', user);
    const role = resourceOf(f.template, 'AWS::IAM::Role', logicalId(fn.role!)).Properties;
    expect(role.Tags).toContainEqual({ Key: 'cdk-compliant-backup:tenant', Value: 'tenant-b' });
    expect(role.ManagedPolicyArns).toContainEqual(ref(f.landing.tenantPolicy));
    const u = resourceOf(f.template, 'AWS::IAM::User', logicalId(user)).Properties;
    expect(u.Tags).toEqual([{ Key: 'cdk-compliant-backup:tenant', Value: 'tenant-a' }]);
    expect(u.ManagedPolicyArns).toEqual([ref(f.landing.tenantPolicy)]);
  });

  test('granting the same tenant twice is idempotent', () => {
    const f = landingFixture();
    const role = new iam.Role(f.stack, 'TenantARole', { assumedBy: new iam.AccountRootPrincipal() });
    f.landing.grantTenantAccess('tenant-a', role);
    f.landing.grantTenantAccess('tenant-a', role);
    expect(resourceOf(f.template, 'AWS::IAM::Role', logicalId(role)).Properties.ManagedPolicyArns).toEqual([ref(f.landing.tenantPolicy)]);
  });
});

describe('LandingStorage rules', () => {
  test('objectLockRetention must be whole days', () => {
    expect(() => landingFixture({ options: { objectLockRetention: Duration.hours(36) } })).toThrow(
      `${PATH}: landingStorage.objectLockRetention is 1 day 12 hours; S3 counts object lock and lifecycle periods in whole days (use Duration.days())`);
  });

  test('objectLockRetention is 1-36500 days', () => {
    expect(() => landingFixture({ options: { objectLockRetention: Duration.days(0), noncurrentVersionExpiration: Duration.days(1) } })).toThrow(
      `${PATH}: landingStorage.objectLockRetention is 0 days; S3 Object Lock default retention is 1-36500 days`);
    expect(() => landingFixture({ options: { objectLockRetention: Duration.days(36501) } })).toThrow(
      `${PATH}: landingStorage.objectLockRetention is 36501 days; S3 Object Lock default retention is 1-36500 days`);
  });

  test('transitionToColdAfter must be whole days', () => {
    expect(() => landingFixture({ options: { transitionToColdAfter: Duration.hours(12) } })).toThrow(
      `${PATH}: landingStorage.transitionToColdAfter is 12 hours; S3 counts object lock and lifecycle periods in whole days (use Duration.days())`);
  });

  test('noncurrentVersionExpiration must respect the lock', () => {
    expect(() => landingFixture({ options: { objectLockRetention: Duration.days(90), noncurrentVersionExpiration: Duration.days(30) } })).toThrow(
      `${PATH}: landingStorage.noncurrentVersionExpiration is 30 days; noncurrent versions must be kept at least as long as `
      + 'landingStorage.objectLockRetention (90 days): S3 cannot expire a locked version');
  });

  test('noncurrentVersionExpiration must be whole days', () => {
    expect(() => landingFixture({ options: { noncurrentVersionExpiration: Duration.hours(800) } })).toThrow(
      `${PATH}: landingStorage.noncurrentVersionExpiration is 33 days 8 hours; S3 counts object lock and lifecycle periods in whole days (use Duration.days())`);
  });

  test('tenant ids follow the safe pattern', () => {
    for (const bad of ['Tenant-A', 'a/b', 'a*', '-a', 'a-', 'a,b', '', 'x'.repeat(64)]) {
      expect(() => landingFixture({ tenants: ['ok', bad] })).toThrow(
        `${PATH}: tenants[1] is '${bad}'; a tenant id is 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit`);
    }
    expect(() => landingFixture({ tenants: ['a', '0', 'x'.repeat(63), 'a-b-1'] })).not.toThrow();
  });

  test('tenant ids are unique', () => {
    expect(() => landingFixture({ tenants: ['a', 'b', 'a'] })).toThrow(`${PATH}: tenants[2] is 'a'; tenant ids must be unique`);
  });

  test('tenant ids are known at synth', () => {
    expect(() => landingFixture({ tenants: [Token.asString({ Ref: 'TenantParam' })] })).toThrow(
      `${PATH}: tenants[0] is (token); tenant ids must be known at synth: they become IAM tag values and key prefixes`);
  });

  test('only declared tenants can be granted', () => {
    const f = landingFixture();
    const role = new iam.Role(f.stack, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => f.landing.grantTenantAccess('tenant-c', role)).toThrow(
      `${PATH}: grantTenantAccess(tenantId) is 'tenant-c'; it must be one of the declared tenants ('tenant-a', 'tenant-b'); add it to tenants`);
    expect(() => f.landing.grantTenantAccess('*', role)).toThrow(
      `${PATH}: grantTenantAccess(tenantId) is '*'; it must be one of the declared tenants ('tenant-a', 'tenant-b'); add it to tenants`);
    const none = landingFixture({ tenants: [] });
    expect(() => none.landing.grantTenantAccess('tenant-a', new iam.Role(none.stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }))).toThrow(
      `${PATH}: grantTenantAccess(tenantId) is 'tenant-a'; it must be one of the declared tenants (none); add it to tenants`);
  });

  test('an imported role cannot be tagged from here', () => {
    const f = landingFixture();
    const imported = iam.Role.fromRoleArn(f.stack, 'Imported', 'arn:aws:iam::111111111111:role/uploader');
    expect(() => f.landing.grantTenantAccess('tenant-a', imported)).toThrow(
      `${PATH}: grantTenantAccess(grantee) is 'arn:aws:iam::111111111111:role/uploader'; tenant isolation is attribute-based and needs `
      + 'the principal tag cdk-compliant-backup:tenant=tenant-a, which can only be set where the principal is defined: pass an iam.Role '
      + 'or iam.User of this app, or tag the role where it is defined and attach tenantPolicy (its managedPolicyArn) to it yourself');
  });

  test('a principal that is not a role or user (an account) is rejected too', () => {
    const f = landingFixture();
    expect(() => f.landing.grantTenantAccess('tenant-a', new iam.AccountPrincipal('222222222222'))).toThrow(
      /^LandingStack\/Landing: grantTenantAccess\(grantee\) is a principal of type AccountPrincipal; tenant isolation is attribute-based/);
  });

  test('a principal belongs to one tenant', () => {
    const f = landingFixture();
    const role = new iam.Role(f.stack, 'Shared', { assumedBy: new iam.AccountRootPrincipal() });
    f.landing.grantTenantAccess('tenant-a', role);
    expect(() => f.landing.grantTenantAccess('tenant-b', role)).toThrow(
      `${PATH}: grantTenantAccess(grantee) is LandingStack/Shared; it already belongs to tenant 'tenant-a'; `
      + 'a principal carries one tenant tag, so it can belong to one tenant only');
  });
});

// cdk-nag AwsSolutions, HIPAA Security, NIST 800-53 rev5, PCI DSS 3.2.1 and the
// AWS Control Tower proactive controls (cfn-guard): zero unacknowledged findings.
describe('LandingStorage passes the compliance packs', () => {
  test('with its defaults', () => {
    const f = landingFixture();
    expect(describeFindings(synthFindings(f.stack.node.root as any))).toEqual([]);
  });

  test('with every option, a VPC and tenants granted', () => {
    const f = landingFixture({
      options: {
        objectLockMode: s3.ObjectLockMode.COMPLIANCE,
        objectLockRetention: Duration.days(365),
        transitionToColdAfter: Duration.days(90),
        noncurrentVersionExpiration: Duration.days(730),
      },
      vpc: true,
    });
    f.landing.grantTenantAccess('tenant-a', new iam.Role(f.stack, 'TenantA', { assumedBy: new iam.AccountRootPrincipal() }));
    f.landing.grantTenantAccess('tenant-b', new iam.Role(f.stack, 'TenantB', { assumedBy: new iam.AccountRootPrincipal() }));
    const findings = synthFindings(f.stack.node.root as any)
      // The fixture's VPC is the test's, not the library's: it has no flow logs.
      .filter((x) => !x.paths.every((p) => p.startsWith('LandingStack/Vpc')));
    expect(describeFindings(findings)).toEqual([]);
  });

  test('the acknowledgements are narrow: another wildcard on the verifier role is still reported', () => {
    const f = landingFixture();
    f.landing.verifierRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::somebody-elses-bucket/*'],
    }));
    const rules = synthFindings(f.stack.node.root as any).map((x) => `${x.rule} @ ${x.paths.join(', ')}`);
    expect(rules).toEqual(['AwsSolutions-IAM5[Resource::arn:aws:s3:::somebody-elses-bucket/*] @ LandingStack/Landing/VerifierRole/Policy/Resource']);
  });
});

describe('LandingStorage operations', () => {
  const { template, stack, landing } = landingFixture();

  test('objects waiting over an hour for verification raise an alarm', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [stack.getLogicalId(landing.queue.node.defaultChild as any), 'QueueName'] } }],
      Threshold: 3600,
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  test('the inventory bucket keeps a year of daily listings', () => {
    const inventory = template.toJSON().Resources[stack.getLogicalId(landing.inventoryBucket.node.defaultChild as any)];
    expect(inventory.Properties.LifecycleConfiguration.Rules).toEqual(expect.arrayContaining([
      expect.objectContaining({ Id: 'expire-old-inventories', ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
    ]));
  });
});
