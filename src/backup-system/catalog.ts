import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tenantsEnvironment } from './tenants-env';
import { acknowledgeWildcardResources } from '../private/acknowledgements';
import { backlogAlarm, deadLetterAlarm } from '../private/alarms';
import { createHandler, handlerRuleTarget } from '../private/handler-resources';
import { KeyProvider, keyFor } from '../private/key-provider';
import { allowServicesToUseKey } from '../private/secure-key';
import { checkCatalogRegion } from '../validation/landing';

/**
 * The catalog's global secondary indexes. lambda-src/shared/catalog-schema.ts
 * (CATALOG_INDEXES) is the source of truth for the handlers; jsii compiles src/
 * only, so the names are repeated here and a unit test keeps both in step.
 */
export const CATALOG_TABLE_INDEXES = {
  byResource: { partitionKey: 'resourceArn', sortKey: 'eventTime' },
  byTenant: { partitionKey: 'tenantId', sortKey: 'eventTime' },
  byRecoveryPoint: { partitionKey: 'recoveryPointArn', sortKey: 'sk' },
} as const;

/** CloudWatch namespace of the metrics the library's handlers publish (EMF). */
export const HANDLER_METRICS_NAMESPACE = 'CdkCompliantBackup';

/** AWS Backup job events the catalog records (malware scans included: lambda-src/catalog/job-record.ts). */
export const CATALOG_JOB_DETAIL_TYPES = ['Backup Job State Change', 'Copy Job State Change', 'Restore Job State Change', 'Scan Job State Change'];

/** How far back the reconciler re-reads jobs: 25 h, so that two hourly runs always overlap. */
export const RECONCILER_LOOKBACK_HOURS = 25;
/** Most List* pages a reconciler run reads (all listings together). */
export const RECONCILER_MAX_PAGES = 100;

const CATALOG_FUNCTION_TIMEOUT = Duration.seconds(60);
const RECONCILER_TIMEOUT = Duration.minutes(10);
/** A message that fails this often goes to the dead-letter queue. */
const MAX_RECEIVE_COUNT = 5;

/** What the catalog needs from the system that owns it. */
export interface BackupCatalogDeps {
  /** Receives the dead-letter alarms. */
  readonly alarmTopic: sns.ITopic;
  /** Tenant ids: a job whose resource is an S3 object under `<tenant>/` is tagged with that tenant. */
  readonly tenants: string[];
  /** The vaults the reconciler re-reads (VAULT_NAMES); may contain tokens. Empty = every vault. */
  readonly vaultNames: string[];
  /** What happens to the table and the key when they leave the stack. */
  readonly removalPolicy: RemovalPolicy;
  /** Where the handlers run; outside a VPC when unset. */
  readonly handlerVpc?: ec2.IVpc;
  /** Hands out the key (shared or per purpose). @default - a key of its own */
  readonly keys?: KeyProvider;
}

/**
 * The backup catalog: every AWS Backup job (backup, copy, restore) of the
 * account and region, recorded once per job with its newest state.
 *
 * `aws.backup` job events → EventBridge rule → encrypted SQS queue (dead-letter
 * queue after 5 receives, alarmed) → catalog handler (Describe* enrichment,
 * conditional write) → DynamoDB table (CMK, PITR, deletion protection).
 * Events are best effort, so an hourly reconciler re-reads the jobs of the last
 * 25 hours and writes any that an event did not.
 */
export class BackupCatalog extends Construct {
  /** The catalog table (layout in lambda-src/shared/catalog-schema.ts). */
  public readonly table: dynamodb.TableV2;
  /** Encrypts the table, the queues and the handlers' logs. */
  public readonly key: kms.Key;
  /** Job events wait here for the catalog handler. */
  public readonly queue: sqs.Queue;
  /** Job events that failed `MAX_RECEIVE_COUNT` times. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The rule that sends job events to the queue. */
  public readonly jobEventRule: events.Rule;
  /** Records job events. */
  public readonly catalogFunction: lambda.Function;
  /** Re-reads jobs by time window, hourly. */
  public readonly reconcilerFunction: lambda.Function;
  /** The hourly schedule of the reconciler. */
  public readonly reconcilerSchedule: events.Rule;
  /** Alarms when a job event is dead-lettered. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Job events waiting over an hour: the catalog handler is not keeping up. */
  public readonly backlogAlarm: cloudwatch.Alarm;
  /** Alarms when a reconciler run could not be delivered or kept failing. */
  public readonly reconcilerDeadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, deps: BackupCatalogDeps) {
    super(scope, id);
    const stack = Stack.of(this);
    checkCatalogRegion(this, stack.region);

    this.key = keyFor(this, deps, 'Key', `Encrypts the backup catalog of ${this.node.path}: table, job-event queues and handler logs`);

    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.key),
      // Deletion protection would keep a DESTROY stack from being deleted.
      deletionProtection: deps.removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy: deps.removalPolicy,
      globalSecondaryIndexes: Object.entries(CATALOG_TABLE_INDEXES).map(([indexName, keys]) => ({
        indexName,
        partitionKey: { name: keys.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: keys.sortKey, type: dynamodb.AttributeType.STRING },
      })),
    });

    // Events → queue. EventBridge encrypts with the key when it sends to the queue.
    allowServicesToUseKey(this.key, ['events.amazonaws.com']);
    this.deadLetterQueue = new sqs.Queue(this, 'JobEventDeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
    });
    this.queue = new sqs.Queue(this, 'JobEventQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      // Lambda's guidance: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(CATALOG_FUNCTION_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    this.jobEventRule = new events.Rule(this, 'JobEventRule', {
      description: `AWS Backup job state changes for the backup catalog of ${this.node.path}`,
      eventPattern: { source: ['aws.backup'], detailType: CATALOG_JOB_DETAIL_TYPES },
    });
    // Written out instead of targets.SqsQueue: that target grants EventBridge wildcard
    // key actions (kms:GenerateDataKey*, kms:ReEncrypt*) on an encrypted queue.
    this.queue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowJobEventRuleToSend',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [this.queue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': this.jobEventRule.ruleArn } },
    }));
    this.jobEventRule.addTarget({ bind: () => ({ arn: this.queue.queueArn, targetResource: this.queue }) });

    const commonEnv = {
      TABLE_NAME: this.table.tableName,
      POWERTOOLS_METRICS_NAMESPACE: HANDLER_METRICS_NAMESPACE,
      ...tenantsEnvironment(deps.tenants),
    };

    // The event handler.
    const catalog = createHandler(this, 'CatalogFunction', 'catalog', {
      key: this.key,
      description: 'the backup catalog: records AWS Backup job events in the catalog table',
      environment: { ...commonEnv, POWERTOOLS_SERVICE_NAME: 'catalog' },
      timeout: CATALOG_FUNCTION_TIMEOUT,
      vpc: deps.handlerVpc,
    });
    this.catalogFunction = catalog.fn;
    catalog.fn.addEventSource(new lambdaEventSources.SqsEventSource(this.queue, {
      batchSize: 10,
      reportBatchItemFailures: true,
    }));
    catalog.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'DescribeJobs',
      actions: ['backup:DescribeBackupJob', 'backup:DescribeCopyJob', 'backup:DescribeRestoreJob', 'backup:DescribeScanJob'],
      resources: ['*'],
    }));
    catalog.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'DescribeRecoveryPoints',
      actions: ['backup:DescribeRecoveryPoint'],
      resources: recoveryPointArns(stack),
    }));
    this.grantCatalogWrite(catalog.role);
    acknowledgeWildcardResources(catalog.role, [
      { resource: '*', reason: 'backup:DescribeBackupJob, backup:DescribeCopyJob, backup:DescribeRestoreJob and backup:DescribeScanJob support no resource-level permissions (Service Authorization Reference: AWS Backup has no job resource type).' },
      ...recoveryPointArns(stack).map((arn) => ({
        resource: arn,
        reason: 'backup:DescribeRecoveryPoint on the recovery points of this account and region, in each ARN format AWS Backup gives them; the catalog records jobs of every vault, whose recovery point ids are known only at run time.',
      })),
    ]);

    // The reconciler.
    const reconciler = createHandler(this, 'ReconcilerFunction', 'catalog-reconciler', {
      key: this.key,
      description: 'the backup catalog reconciler: re-reads AWS Backup jobs of the last hours into the catalog table',
      environment: {
        ...commonEnv,
        POWERTOOLS_SERVICE_NAME: 'catalog-reconciler',
        LOOKBACK_HOURS: String(RECONCILER_LOOKBACK_HOURS),
        MAX_PAGES: String(RECONCILER_MAX_PAGES),
        ...(deps.vaultNames.length > 0 ? { VAULT_NAMES: deps.vaultNames.join(',') } : {}),
      },
      timeout: RECONCILER_TIMEOUT,
      vpc: deps.handlerVpc,
    });
    this.reconcilerFunction = reconciler.fn;
    reconciler.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ListJobs',
      actions: ['backup:ListBackupJobs', 'backup:ListCopyJobs', 'backup:ListRestoreJobs', 'backup:ListScanJobs'],
      resources: ['*'],
    }));
    this.grantCatalogWrite(reconciler.role);
    acknowledgeWildcardResources(reconciler.role, [
      { resource: '*', reason: 'backup:ListBackupJobs, backup:ListCopyJobs, backup:ListRestoreJobs and backup:ListScanJobs are list actions without resource-level permissions (Service Authorization Reference).' },
    ]);
    this.reconcilerSchedule = new events.Rule(this, 'ReconcilerSchedule', {
      description: `Hourly run of the backup catalog reconciler of ${this.node.path}`,
      schedule: events.Schedule.rate(Duration.hours(1)),
    });
    this.reconcilerSchedule.addTarget(handlerRuleTarget(reconciler, {
      retryAttempts: 2,
      // A run that starts later than this is superseded by the next one.
      maxEventAge: Duration.hours(1),
    }));

    this.backlogAlarm = backlogAlarm(this, 'JobEventBacklogAlarm', this.queue, deps.alarmTopic,
      `AWS Backup job events for ${this.node.path} have waited over an hour: the catalog handler is not keeping up`);
    this.deadLetterAlarm = deadLetterAlarm(this, 'JobEventDeadLetterAlarm', this.deadLetterQueue, deps.alarmTopic,
      `Backup job events could not be recorded in the catalog of ${this.node.path}; read the dead-letter queue (the reconciler retries them within 25 hours)`);
    this.reconcilerDeadLetterAlarm = deadLetterAlarm(this, 'ReconcilerDeadLetterAlarm', reconciler.deadLetterQueue, deps.alarmTopic,
      `A run of the backup catalog reconciler of ${this.node.path} failed; read its dead-letter queue`);
  }

  /**
   * Lets `grantee` create and update catalog items (PutItem, UpdateItem) and use
   * the table's key: for the landing-storage verifier and the restore validator.
   */
  public grantRecordWrite(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resourceArns: [this.table.tableArn],
    });
    grant.combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resourceArns: [this.key.keyArn],
    }));
    return grant;
  }

  /** The catalog handlers write with one conditional UpdateItem (catalog/writer.ts). */
  private grantCatalogWrite(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'WriteCatalog',
      actions: ['dynamodb:UpdateItem'],
      resources: [this.table.tableArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'UseCatalogKey',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [this.key.keyArn],
    }));
  }
}

/**
 * Recovery point ARNs of this account and region, in every format AWS Backup
 * uses (developer guide, "Resources and operations"): its own
 * `recovery-point:` ARNs and the native snapshot/backup ARNs of EBS, EC2, RDS,
 * Aurora, DynamoDB and FSx.
 */
export function recoveryPointArns(stack: Stack): string[] {
  const { partition, region, account } = stack;
  return [
    stack.formatArn({ service: 'backup', resource: 'recovery-point', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    `arn:${partition}:ec2:${region}::snapshot/*`,
    `arn:${partition}:ec2:${region}::image/*`,
    `arn:${partition}:rds:${region}:${account}:snapshot:awsbackup:*`,
    `arn:${partition}:rds:${region}:${account}:cluster-snapshot:awsbackup:*`,
    `arn:${partition}:dynamodb:${region}:${account}:table/*/backup/*`,
    `arn:${partition}:fsx:${region}:${account}:backup/*`,
  ];
}

/** One wildcard resource of a role's policy and why it is needed. */
