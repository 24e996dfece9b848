import { Duration, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LandingStorageOptions } from './landing-storage-options';
import { TENANT_TAG_KEY, createTenantPolicy, describePrincipal } from './landing-tenants';
import { tenantsEnvironment } from './tenants-env';
import { backlogAlarm, deadLetterAlarm } from '../private/alarms';
import { createHandler } from '../private/handler-resources';
import { KeyProvider, keyFor } from '../private/key-provider';
import { createSecureBucket } from '../private/secure-bucket';
import { allowServicesToUseKey } from '../private/secure-key';
import { ComplianceRuleError } from '../validation/errors';
import { checkNoncurrentExpiration, checkObjectLockRetention, checkTenantGrant, checkTenantIds, s3WholeDays } from '../validation/landing';

/** What the landing storage takes from the system around it. */
export interface LandingStorageDeps {
  /** The shared access-log bucket; the landing and inventory buckets log under `landing/` and `landing-inventory/`. */
  readonly accessLogBucket: s3.IBucket;
  /** Failed verifications and the dead-letter alarm publish here. */
  readonly alarmTopic: sns.ITopic;
  /** The backup catalog: the verifier writes one `LandingObjectRecord` per object version. */
  readonly catalogTable: dynamodb.ITableV2;
  /** Tenant ids; each owns the key prefix `<tenantId>/`. */
  readonly tenants: string[];
  readonly removalPolicy: RemovalPolicy;
  /** Run the verifier inside this VPC (private subnets with egress or endpoints). */
  readonly handlerVpc?: ec2.IVpc;
  /** Hands out the keys (shared or per purpose). @default - keys of its own */
  readonly keys?: KeyProvider;
}

export { TENANT_TAG_KEY } from './landing-tenants';

/** Defaults of `LandingStorageOptions`. */
export const LANDING_DEFAULTS = {
  objectLockMode: s3.ObjectLockMode.GOVERNANCE,
  objectLockRetention: Duration.days(30),
  transitionToColdAfter: Duration.days(30),
  verifierTimeout: Duration.minutes(5),
  maxReceiveCount: 5,
} as const;

export { TENANTS_ENV_BUDGET } from './tenants-env';

/** Optional fields of the daily inventory: what an auditor needs to check every version's protection. */
export const INVENTORY_FIELDS = [
  'Size', 'LastModifiedDate', 'StorageClass', 'ETag', 'IsMultipartUploaded', 'EncryptionStatus', 'BucketKeyStatus',
  'ChecksumAlgorithm', 'ObjectLockRetainUntilDate', 'ObjectLockMode', 'ObjectLockLegalHoldStatus',
];

/**
 * The object-locked landing bucket for pushed backups, with its daily inventory, its
 * verification pipeline (S3 → EventBridge → SQS → verifier → catalog + alarm) and
 * attribute-based tenant isolation that adds no resource per tenant.
 */
export class LandingStorage extends Construct {
  /** The landing bucket: versioned, object-locked, KMS-encrypted, TLS-only, access-logged. */
  public readonly bucket: s3.Bucket;
  /** Receives the daily inventory of the landing bucket. */
  public readonly inventoryBucket: s3.Bucket;
  /** Encrypts the landing bucket and its inventory. */
  public readonly key: kms.Key;
  /** Encrypts the verification pipeline: queue, dead letters and the verifier's logs. */
  public readonly pipelineKey: kms.Key;
  /** Object-created events wait here for the verifier. */
  public readonly queue: sqs.Queue;
  /** Messages the verifier failed on `maxReceiveCount` times, and events EventBridge could not deliver. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Verifies every object version and records it in the catalog. */
  public readonly verifierFunction: lambda.Function;
  /** The role the verifier runs as. */
  public readonly verifierRole: iam.Role;
  /** Sends the landing bucket's `Object Created` events to the queue. */
  public readonly objectCreatedRule: events.Rule;
  /** Alarms when anything reaches the dead-letter queue. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** New objects waiting over an hour for verification. */
  public readonly backlogAlarm: cloudwatch.Alarm;
  /**
   * The one policy every tenant role gets: read and write under `<tenant tag>/` only.
   * Attach it yourself to roles that `grantTenantAccess` cannot tag (see there).
   */
  public readonly tenantPolicy: iam.ManagedPolicy;
  /** The declared tenant ids. */
  public readonly tenants: readonly string[];
  /** The lock in whole days. */
  public readonly objectLockDays: number;

  private readonly tenantOfPrincipal = new Map<iam.IPrincipal, string>();

  constructor(scope: Construct, id: string, options: LandingStorageOptions, deps: LandingStorageDeps) {
    super(scope, id);
    const stack = Stack.of(this);
    checkTenantIds(this, 'tenants', deps.tenants);
    this.tenants = [...deps.tenants];

    const lockMode = options.objectLockMode ?? LANDING_DEFAULTS.objectLockMode;
    const lockRetention = options.objectLockRetention ?? LANDING_DEFAULTS.objectLockRetention;
    this.objectLockDays = checkObjectLockRetention(this, 'landingStorage.objectLockRetention', lockRetention);
    const coldAfter = options.transitionToColdAfter ?? LANDING_DEFAULTS.transitionToColdAfter;
    s3WholeDays(this, 'landingStorage.transitionToColdAfter', coldAfter);
    const noncurrentExpiration = options.noncurrentVersionExpiration ?? Duration.days(this.objectLockDays);
    checkNoncurrentExpiration(this, 'landingStorage.noncurrentVersionExpiration', noncurrentExpiration,
      'landingStorage.objectLockRetention', this.objectLockDays);

    this.key = keyFor(this, deps, 'Key', `Encrypts pushed backups and their inventory in the landing storage ${this.node.path}`);
    this.pipelineKey = keyFor(this, deps, 'PipelineKey', `Encrypts the verification queue, dead letters and verifier logs of ${this.node.path}`);

    // Inventory first: the landing bucket names it as its inventory destination.
    this.inventoryBucket = createSecureBucket(this, 'InventoryBucket', {
      encryptionKey: this.key,
      serverAccessLogsBucket: deps.accessLogBucket,
      serverAccessLogsPrefix: 'landing-inventory/',
      removalPolicy: deps.removalPolicy,
      noObjectLockReason: 'The inventory is a daily listing derived from the object-locked landing bucket, which S3 can '
        + 'list again at any time; the backups themselves are locked there.',
      // A year of daily listings; older ones are derivable again from the landing bucket.
      lifecycleRules: [{ id: 'expire-old-inventories', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    });
    // S3 writes inventory files as the service and encrypts them with the destination's default key.
    // The key policy cannot name the landing bucket (the bucket already depends on the key: a cycle),
    // so it pins the account, and the inventory bucket policy below pins the source bucket.
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowS3InventoryDelivery',
      principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
      actions: ['kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));

    this.bucket = createSecureBucket(this, 'Bucket', {
      encryptionKey: this.key,
      serverAccessLogsBucket: deps.accessLogBucket,
      serverAccessLogsPrefix: 'landing/',
      removalPolicy: deps.removalPolicy,
      objectLock: { mode: lockMode, retention: lockRetention },
      lifecycleRules: [
        {
          id: 'TransitionToCold',
          transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: coldAfter }],
        },
        { id: 'ExpireNoncurrentVersions', noncurrentVersionExpiration: noncurrentExpiration },
        // createSecureBucket adds the rule that aborts incomplete multipart uploads after 7 days.
      ],
      // S3 → EventBridge set on the bucket itself: no notification custom resource and its helper Lambda.
      eventBridgeEnabled: true,
      inventories: [{
        // An imported reference, so that aws-cdk-lib adds no delivery statement of its own: ours below
        // also pins the source account.
        destination: {
          bucket: s3.Bucket.fromBucketAttributes(this, 'InventoryDestination', {
            bucketArn: this.inventoryBucket.bucketArn,
            bucketName: this.inventoryBucket.bucketName,
          }),
          prefix: 'inventory',
        },
        inventoryId: 'DailyAllVersions',
        format: s3.InventoryFormat.PARQUET,
        frequency: s3.InventoryFrequency.DAILY,
        includeObjectVersions: s3.InventoryObjectVersion.ALL,
        optionalFields: INVENTORY_FIELDS,
      }],
    });
    this.inventoryBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowS3InventoryDelivery',
      principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [this.inventoryBucket.arnForObjects('inventory/*')],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': this.bucket.bucketArn },
      },
    }));

    // Verifier: its dead-letter queue also takes the queue's redrive and EventBridge's undeliverable events.
    allowServicesToUseKey(this.pipelineKey, ['events.amazonaws.com']);
    const handler = createHandler(this, 'Verifier', 'verifier', {
      key: this.pipelineKey,
      description: `Verifies every object version pushed into ${this.node.path} and records it in the catalog`,
      environment: this.verifierEnvironment(deps),
      timeout: LANDING_DEFAULTS.verifierTimeout,
      memorySize: 512,
      vpc: deps.handlerVpc,
    });
    this.verifierFunction = handler.fn;
    this.verifierRole = handler.role;
    this.deadLetterQueue = handler.deadLetterQueue;
    this.grantVerifier(handler.role, deps);

    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.pipelineKey,
      enforceSSL: true,
      // AWS's advice for Lambda event sources: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(LANDING_DEFAULTS.verifierTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: LANDING_DEFAULTS.maxReceiveCount },
    });
    this.verifierFunction.addEventSource(new lambdaEventSources.SqsEventSource(this.queue, {
      batchSize: 10,
      reportBatchItemFailures: true,
    }));

    this.objectCreatedRule = new events.Rule(this, 'ObjectCreatedRule', {
      description: `Object versions created in the landing bucket of ${this.node.path}, for the verifier`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [this.bucket.bucketName] } },
      },
    });
    this.objectCreatedRule.addTarget(this.queueTarget());

    this.deadLetterAlarm = deadLetterAlarm(this, 'DeadLetterAlarm', this.deadLetterQueue, deps.alarmTopic,
      `Object versions in ${this.node.path} could not be verified; read the dead-letter queue`);
    this.backlogAlarm = backlogAlarm(this, 'BacklogAlarm', this.queue, deps.alarmTopic,
      `New objects in ${this.node.path} have waited over an hour for verification: the verifier is not keeping up`);

    this.tenantPolicy = createTenantPolicy(this, this.bucket, this.key);
  }

  /**
   * Lets `grantee` read and write objects under `<tenantId>/` of the landing bucket, and
   * nothing else: no delete, no retention change, no governance bypass.
   *
   * Isolation is attribute-based: the grantee's role is tagged
   * `cdk-compliant-backup:tenant=<tenantId>` and gets the one shared `tenantPolicy`, whose
   * resources are `<bucket>/${aws:PrincipalTag/cdk-compliant-backup:tenant}/*`. So no
   * resource is added per tenant: a tag is a property of the role, and the policy is
   * attached by ARN. Limits, measured in test/backup-system/tenant-scaling.test.ts: the
   * policy is about 1,000 of IAM's 6,144 characters, whatever the number of tenants; each
   * role gets 1 of its 50 tags and 1 of its 10 managed policies (quota up to 20).
   *
   * The grantee must be a role or user defined in this app, because the tag must be set
   * where the principal is defined. For an imported role, tag it and attach
   * `tenantPolicy.managedPolicyArn` where it is defined. Tenant roles must not allow
   * `sts:TagSession` for this tag key in their trust policy (a session tag overrides the
   * role's tag), and `iam:TagRole`/`iam:UntagRole` on this key belongs to administrators only.
   */
  public grantTenantAccess(tenantId: string, grantee: iam.IGrantable): void {
    checkTenantGrant(this, tenantId, this.tenants);
    const principal = grantee.grantPrincipal;
    const identity = iam.Role.isRole(principal) || principal instanceof iam.User ? principal : undefined;
    if (!identity) {
      throw new ComplianceRuleError(this, 'grantTenantAccess(grantee)', describePrincipal(principal),
        `tenant isolation is attribute-based and needs the principal tag ${TENANT_TAG_KEY}=${tenantId}, which can only be set where `
        + 'the principal is defined: pass an iam.Role or iam.User of this app, or tag the role where it is defined and attach '
        + 'tenantPolicy (its managedPolicyArn) to it yourself');
    }
    const existing = this.tenantOfPrincipal.get(identity);
    if (existing !== undefined && existing !== tenantId) {
      throw new ComplianceRuleError(this, 'grantTenantAccess(grantee)', identity.node.path,
        `it already belongs to tenant '${existing}'; a principal carries one tenant tag, so it can belong to one tenant only`);
    }
    this.tenantOfPrincipal.set(identity, tenantId);
    identity.addManagedPolicy(this.tenantPolicy);
    Tags.of(identity).add(TENANT_TAG_KEY, tenantId);
  }

  private verifierEnvironment(deps: LandingStorageDeps): Record<string, string> {
    const env: Record<string, string> = {
      TABLE_NAME: deps.catalogTable.tableName,
      ALARM_TOPIC_ARN: deps.alarmTopic.topicArn,
      POWERTOOLS_SERVICE_NAME: 'landing-verifier',
      POWERTOOLS_METRICS_NAMESPACE: 'CompliantBackup',
    };
    return { ...env, ...tenantsEnvironment(deps.tenants) };
  }

  /** Exactly what lambda-src/verifier.lambda.ts calls, written out: no wildcard action. */
  private grantVerifier(role: iam.Role, deps: LandingStorageDeps): void {
    const region = Stack.of(this).region;
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadLandingObjectVersions',
      // HeadObject needs s3:GetObject (s3:GetObjectVersion with a version id).
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [this.bucket.arnForObjects('*')],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'DecryptLandingObjects',
      // GetObject of SSE-KMS objects, and HeadObject with ChecksumMode on them.
      actions: ['kms:Decrypt'],
      resources: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'WriteCatalogRecords',
      actions: ['dynamodb:PutItem'],
      resources: [deps.catalogTable.tableArn],
    }));
    const tableKey = deps.catalogTable.encryptionKey;
    if (tableKey) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'UseCatalogKey',
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [tableKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${region}.amazonaws.com` } },
      }));
    }
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'PublishFailedVerifications',
      actions: ['sns:Publish'],
      resources: [deps.alarmTopic.topicArn],
    }));
    const topicKey = deps.alarmTopic.masterKey;
    if (topicKey) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'UseAlarmTopicKey',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [topicKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sns.${region}.amazonaws.com` } },
      }));
    }
    const objectsReason = 'The verifier reads any object version of the landing bucket (it verifies every one of them); '
      + 'the wildcard is the object part of this one bucket ARN, and the role has no other wildcard.';
    Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::<' + this.logicalIdOf(this.bucket) + '.Arn>/*]', reason: objectsReason });
  }

  /** EventBridge → the queue, scoped to this rule; undeliverable events go to the dead-letter queue. */
  private queueTarget(): events.IRuleTarget {
    const queue = this.queue;
    const deadLetters = this.deadLetterQueue;
    return {
      bind: (rule: events.IRule) => {
        for (const [sid, q] of [['AllowObjectCreatedRule', queue], ['AllowUndeliverableObjectCreatedEvents', deadLetters]] as const) {
          q.addToResourcePolicy(new iam.PolicyStatement({
            sid,
            principals: [new iam.ServicePrincipal('events.amazonaws.com')],
            actions: ['sqs:SendMessage'],
            resources: [q.queueArn],
            conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
          }));
        }
        return {
          arn: queue.queueArn,
          targetResource: queue,
          deadLetterConfig: { arn: deadLetters.queueArn },
          retryPolicy: { maximumEventAgeInSeconds: Duration.hours(24).toSeconds(), maximumRetryAttempts: 185 },
        };
      },
    };
  }

  private logicalIdOf(bucket: s3.Bucket): string {
    return Stack.of(this).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
  }
}
