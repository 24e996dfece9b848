/** LandingStorage: what the defaults synthesize. */
import { ENV, landingFixture, ref, arn, logicalId, resourceOf } from './fixtures';
import { INVENTORY_FIELDS, TENANT_TAG_KEY } from '../../../src/backup-system/landing-storage';
import { NEWEST_NODE_RUNTIME } from '../../support/runtime';

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
