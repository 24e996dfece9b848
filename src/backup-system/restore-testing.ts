import { Duration, Lazy, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BackupCatalog, HANDLER_METRICS_NAMESPACE, recoveryPointArns } from './catalog';
import { RestoreTestingAlgorithm, RestoreTestingOptions, RestoreTestingResourceType, RestoreTestingSelectionOptions } from './restore-testing-options';
import { WildcardReason, acknowledgeWildcardResources } from '../private/acknowledgements';
import { alarmToTopic, deadLetterAlarm } from '../private/alarms';
import { createHandler, handlerRuleTarget } from '../private/handler-resources';
import { KeyProvider, keyFor } from '../private/key-provider';
import { checkCronSchedule, checkTimeZone } from '../validation/plan';
import {
  checkProtectedResourceArns, checkRestoreSelectionWindow, checkRestoreStartWindow, checkRestoreTestingName,
  checkRestoreTestingResourceType, checkRestoreTestingSelectionCount, checkRestoreTypeCoveredByRole,
  checkRestoreValidationWindow, checkUniqueRestoreTestingSelectionName,
} from '../validation/restore-testing';

/**
 * The types the restore validator checks (lambda-src/restore-validator/checks.ts), which are
 * also the ones AWS Backup restores from inferred metadata alone: the default selections.
 */
export const DEFAULT_RESTORE_TESTING_TYPES: readonly RestoreTestingResourceType[] = [
  RestoreTestingResourceType.S3, RestoreTestingResourceType.DYNAMODB, RestoreTestingResourceType.EBS,
  RestoreTestingResourceType.RDS, RestoreTestingResourceType.AURORA,
];

/** What restore testing needs from the system that owns it. */
export interface RestoreTestingDeps {
  /** The vaults whose recovery points are tested (`IncludeVaults`). */
  readonly sourceVaultArns: string[];
  /** The system's selection tags: a `['*']` selection tests only resources carrying all of them. */
  readonly selectionTags: Record<string, string>;
  /**
   * The system's opt-out tags (`selectionConditions.stringNotEquals`): a `['*']` selection leaves
   * out resources carrying any of them. (Restore testing selections take StringEquals and
   * StringNotEquals only; the vaults hold recovery points of selected resources alone anyway.)
   */
  readonly excludedTags?: Record<string, string>;
  /** The role AWS Backup assumes to restore the test resources. */
  readonly restoreRole: iam.IRole;
  /** The resource types `restoreRole` can restore; a selection of another type is rejected. */
  readonly restorableTypes?: readonly string[];
  /** When set, validation results are also recorded in the catalog. */
  readonly catalog?: BackupCatalog;
  /** Receives the validator's dead-letter alarm. */
  readonly alarmTopic: sns.ITopic;
  /** What happens to the key when it leaves the stack. */
  readonly removalPolicy: RemovalPolicy;
  /** Where the validator runs; outside a VPC when unset. */
  readonly handlerVpc?: ec2.IVpc;
  /** Hands out the key (shared or per purpose). @default - a key of its own */
  readonly keys?: KeyProvider;
  /**
   * Buckets of the system whose objects the validator must never read (the landing bucket:
   * tenants' data). Its S3 read is account-wide because AWS Backup names restored buckets
   * at restore time; an explicit Deny keeps these out.
   * @default - none
   */
  readonly unreadableBuckets?: s3.IBucket[];
}

/**
 * A backup rule whose recovery points must have a clean malware scan: the validator reports one
 * without a scan as FAILED (lambda-src/restore-validator/scan.ts, MALWARE_SCAN_RULES).
 */
export interface MalwareScanRequirement {
  /** The backup plan's name. */
  readonly planName: string;
  /** The rule's name (the tier's name). */
  readonly ruleName: string;
  /** AWS Backup resource types the rule scans: EBS, EC2, S3. */
  readonly resourceTypes: string[];
}

/** The restore testing types whose recovery points GuardDuty can scan (ScanResourceType). */
export const SCANNABLE_RESTORE_TESTING_TYPES: readonly string[] = [
  RestoreTestingResourceType.EBS, RestoreTestingResourceType.EC2, RestoreTestingResourceType.S3,
];

/** AWS Backup's default restore testing schedule is daily; ours is weekly. */
export const DEFAULT_RESTORE_TESTING_SCHEDULE = events.Schedule.cron({ minute: '0', hour: '5', weekDay: 'SUN' });
export const DEFAULT_RESTORE_START_WINDOW = Duration.hours(24);
export const DEFAULT_RESTORE_SELECTION_WINDOW = Duration.days(7);
export const DEFAULT_VALIDATION_WINDOW = Duration.hours(4);
/** Snapshot and continuous (point-in-time) recovery points are both tested. */
export const RESTORE_TESTING_RECOVERY_POINT_TYPES = ['CONTINUOUS', 'SNAPSHOT'];
/** Longest wait of the validator for a restored resource that is still becoming available. */
export const VALIDATION_WAIT_SECONDS = 300;
/** The validator's `service` dimension on its EMF metrics (Powertools adds it to every data point). */
const VALIDATOR_SERVICE_NAME = 'restore-validator';

/** The ARN services of each resource type, for the one-type-per-selection rule. */
const RESOURCE_TYPE_SERVICES: Record<string, string[]> = {
  [RestoreTestingResourceType.AURORA]: ['rds'],
  [RestoreTestingResourceType.DOCUMENTDB]: ['rds'],
  [RestoreTestingResourceType.DYNAMODB]: ['dynamodb'],
  [RestoreTestingResourceType.EBS]: ['ec2'],
  [RestoreTestingResourceType.EC2]: ['ec2'],
  [RestoreTestingResourceType.EFS]: ['elasticfilesystem'],
  [RestoreTestingResourceType.FSX]: ['fsx'],
  [RestoreTestingResourceType.NEPTUNE]: ['rds'],
  [RestoreTestingResourceType.RDS]: ['rds'],
  [RestoreTestingResourceType.S3]: ['s3'],
};

/**
 * A restore testing plan over the system's vaults, one selection per resource
 * type, and the validator that checks each restored resource and reports the
 * verdict with `PutRestoreValidationResult` (and into the catalog when there is one).
 */
export class RestoreTesting extends Construct {
  /** The restore testing plan. */
  public readonly plan: backup.CfnRestoreTestingPlan;
  /** The plan's name. */
  public readonly planName: string;
  /** One selection per entry of `selections`. */
  public readonly selections: backup.CfnRestoreTestingSelection[] = [];
  /** Checks restored resources and reports the verdict. */
  public readonly validatorFunction: lambda.Function;
  /** Sends completed restore jobs of this plan to the validator. */
  public readonly validationRule: events.Rule;
  /** Encrypts the validator's logs and dead-letter queue. */
  public readonly key: kms.Key;
  /** Alarms when a validation could not be delivered or kept failing. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** One per tested resource type: a restore test whose validation FAILED or TIMED_OUT. */
  public readonly validationAlarms: cloudwatch.Alarm[];

  private readonly scanRequirements: MalwareScanRequirement[] = [];
  private readonly validatorRole: iam.IRole;

  constructor(scope: Construct, id: string, options: RestoreTestingOptions, deps: RestoreTestingDeps) {
    super(scope, id);
    const stack = Stack.of(this);

    // Validate every input before creating anything.
    checkRestoreTestingName(this, 'planName', options.planName);
    const schedule = options.schedule ?? DEFAULT_RESTORE_TESTING_SCHEDULE;
    checkCronSchedule(this, 'schedule', schedule.expressionString);
    checkTimeZone(this, 'scheduleTimeZone', options.scheduleTimeZone);
    const startWindowHours = checkRestoreStartWindow(this, 'startWindow', options.startWindow ?? DEFAULT_RESTORE_START_WINDOW);
    const selectionWindowDays = checkRestoreSelectionWindow(this, 'selectionWindow', options.selectionWindow ?? DEFAULT_RESTORE_SELECTION_WINDOW);
    const selections = options.selections ?? DEFAULT_RESTORE_TESTING_TYPES
      .filter((type) => deps.restorableTypes?.includes(type) ?? true)
      .map((resourceType) => ({ resourceType }));
    checkRestoreTestingSelectionCount(this, 'selections', selections.length);
    const planned = this.planSelections(selections, deps.restorableTypes);

    this.planName = options.planName
      ?? Names.uniqueResourceName(this, { maxLength: 50, separator: '_', allowedSpecialCharacters: '_' });
    this.plan = new backup.CfnRestoreTestingPlan(this, 'Resource', {
      restoreTestingPlanName: this.planName,
      scheduleExpression: schedule.expressionString,
      scheduleExpressionTimezone: options.scheduleTimeZone,
      startWindowHours,
      recoveryPointSelection: {
        algorithm: options.algorithm ?? RestoreTestingAlgorithm.LATEST_WITHIN_WINDOW,
        includeVaults: deps.sourceVaultArns,
        recoveryPointTypes: RESTORE_TESTING_RECOVERY_POINT_TYPES,
        selectionWindowDays,
      },
    });
    this.plan.applyRemovalPolicy(deps.removalPolicy);

    const rendered = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key: `aws:ResourceTag/${key}`, value }));
    const conditions = rendered(deps.selectionTags);
    const excluded = rendered(deps.excludedTags ?? {});
    for (const s of planned) {
      const wildcard = s.arns.length === 1 && s.arns[0] === '*';
      this.selections.push(new backup.CfnRestoreTestingSelection(this, `Selection${s.name}`, {
        restoreTestingPlanName: this.plan.ref,
        restoreTestingSelectionName: s.name,
        protectedResourceType: s.options.resourceType,
        iamRoleArn: deps.restoreRole.roleArn,
        protectedResourceArns: s.arns,
        // AWS Backup accepts tag conditions only beside the wildcard, never with specific ARNs.
        protectedResourceConditions: wildcard && conditions.length + excluded.length > 0 ? {
          stringEquals: conditions.length > 0 ? conditions : undefined,
          stringNotEquals: excluded.length > 0 ? excluded : undefined,
        } : undefined,
        restoreMetadataOverrides: s.options.restoreMetadataOverrides,
        validationWindowHours: s.validationWindowHours,
      }));
    }

    // The validator.
    this.key = keyFor(this, deps, 'Key', `Encrypts the restore validator's logs and dead letters of ${this.node.path}`);
    const validator = createHandler(this, 'ValidatorFunction', 'restore-validator', {
      key: this.key,
      description: `the restore validator of restore testing plan ${this.planName}: checks restored resources and reports the verdict`,
      environment: {
        VALIDATION_WAIT_SECONDS: String(VALIDATION_WAIT_SECONDS),
        POWERTOOLS_SERVICE_NAME: VALIDATOR_SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: HANDLER_METRICS_NAMESPACE,
        ...(deps.catalog ? { TABLE_NAME: deps.catalog.table.tableName } : {}),
        // Rendered only once requireCleanScans() was called (an undefined value leaves the variable out).
        MALWARE_SCAN_RULES: Lazy.string({ produce: () => this.renderScanRules() }),
      },
      // The wait, plus a minute for the checks, PutRestoreValidationResult and the catalog write.
      timeout: Duration.seconds(VALIDATION_WAIT_SECONDS + 60),
      vpc: deps.handlerVpc,
    });
    this.validatorFunction = validator.fn;
    this.validatorRole = validator.role;
    const wildcards = this.grantValidation(validator.role, stack, new Set(planned.map((s) => s.options.resourceType)), deps.unreadableBuckets ?? []);
    deps.catalog?.grantRecordWrite(validator.role);
    acknowledgeWildcardResources(validator.role, wildcards);

    this.validationRule = new events.Rule(this, 'ValidationRule', {
      description: `Completed restore jobs of restore testing plan ${this.planName}, for the restore validator`,
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Restore Job State Change'],
        // Only this plan's jobs: a validation result cannot be changed once set, so
        // restore tests of other plans are left to their owners.
        detail: { status: ['COMPLETED'], restoreTestingPlanArn: [this.plan.attrRestoreTestingPlanArn] },
      },
    });
    this.validationRule.addTarget(handlerRuleTarget(validator, {
      retryAttempts: 8,
      // After the shortest validation window AWS Backup has deleted the resource (EventBridge keeps events 24 h at most).
      maxEventAge: Duration.hours(Math.min(24, ...planned.map((s) => s.validationWindowHours))),
    }));
    this.deadLetterAlarm = deadLetterAlarm(this, 'ValidatorDeadLetterAlarm', validator.deadLetterQueue, deps.alarmTopic,
      `A restore test of plan ${this.planName} could not be validated; read the validator's dead-letter queue`);
    this.validationAlarms = [...new Set(planned.map((p) => p.options.resourceType))]
      .map((type) => validationFailedAlarm(this, type, this.planName, deps.alarmTopic));
  }

  /**
   * Recovery points that `rule` of `plan` creates of these resource types must have a clean
   * malware scan: the validator reports one without a scan as FAILED. (Threats found, or a scan
   * that failed, fail a restore test whatever the rule.) Gives the validator
   * backup:DescribeRecoveryPoint, to learn which rule created a restored recovery point.
   */
  public requireCleanScans(requirement: MalwareScanRequirement): void {
    const types = requirement.resourceTypes.filter((t) => SCANNABLE_RESTORE_TESTING_TYPES.includes(t));
    if (types.length === 0) return;
    if (this.scanRequirements.length === 0) {
      const stack = Stack.of(this);
      // The recovery point ARN formats of the scannable types: AWS Backup's own (S3), EBS snapshots, AMIs.
      const arns = recoveryPointArns(stack).slice(0, 3);
      this.validatorRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'DescribeScannedRecoveryPoints', actions: ['backup:DescribeRecoveryPoint'], resources: arns }));
      acknowledgeWildcardResources(this.validatorRole, arns.map((resource) => ({
        resource,
        reason: 'backup:DescribeRecoveryPoint on the recovery points of this account and region that restore tests restore (their ids are known only at run time), '
          + 'to learn which backup rule created one and so whether it must have a malware scan.',
      })));
    }
    this.scanRequirements.push({ ...requirement, resourceTypes: types });
  }

  private renderScanRules(): string | undefined {
    if (this.scanRequirements.length === 0) return undefined;
    return Stack.of(this).toJsonString(this.scanRequirements.map((r) => ({ plan: r.planName, rule: r.ruleName, resourceTypes: r.resourceTypes })));
  }

  private planSelections(selections: RestoreTestingSelectionOptions[], restorableTypes?: readonly string[]): PlannedSelection[] {
    const supported = Object.values(RestoreTestingResourceType) as string[];
    const names = new Set<string>();
    const perType = new Map<string, number>();
    return selections.map((options, i) => {
      const prop = `selections[${i}]`;
      checkRestoreTestingResourceType(this, `${prop}.resourceType`, options.resourceType, supported);
      if (restorableTypes) checkRestoreTypeCoveredByRole(this, `${prop}.resourceType`, options.resourceType, restorableTypes);
      const n = (perType.get(options.resourceType) ?? 0) + 1;
      perType.set(options.resourceType, n);
      const name = options.name ?? `${options.resourceType}_${n}`;
      checkRestoreTestingName(this, `${prop}.name`, name);
      checkUniqueRestoreTestingSelectionName(this, `${prop}.name`, name, names);
      names.add(name);
      const arns = options.protectedResourceArns ?? ['*'];
      checkProtectedResourceArns(this, `${prop}.protectedResourceArns`, arns, options.resourceType,
        RESOURCE_TYPE_SERVICES[options.resourceType]);
      const validationWindowHours = checkRestoreValidationWindow(this, `${prop}.validationWindow`,
        options.validationWindow ?? DEFAULT_VALIDATION_WINDOW);
      return { options, name, arns, validationWindowHours };
    });
  }

  /**
   * The validator's permissions: report the verdict, and read exactly the kinds of
   * restored resource the plan's selections create (lambda-src/restore-validator/checks.ts).
   * Returns the wildcard resources, each with its reason.
   */
  private grantValidation(role: iam.IRole, stack: Stack, types: Set<string>, unreadableBuckets: s3.IBucket[]): WildcardReason[] {
    const { partition, region, account } = stack;
    const wildcards: WildcardReason[] = [];
    const allow = (sid: string, actions: string[], resources: string[], conditions?: Record<string, any>) =>
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions, resources, conditions }));

    allow('ReportValidation', ['backup:DescribeRestoreJob', 'backup:PutRestoreValidationResult'], ['*']);
    const reasons = ['backup:DescribeRestoreJob and backup:PutRestoreValidationResult support no resource-level permissions (Service Authorization Reference: AWS Backup has no restore-job resource type)'];
    if (SCANNABLE_RESTORE_TESTING_TYPES.some((t) => types.has(t))) {
      // A restored recovery point that did not scan clean fails validation (lambda-src/restore-validator/scan.ts).
      allow('ReadScanJobs', ['backup:ListScanJobs'], ['*']);
      reasons.push('backup:ListScanJobs is a list action without resource-level permissions');
    }
    const keysOfAccount = `arn:${partition}:kms:${region}:${account}:key/*`;
    const decryptVia: string[] = [];

    if (types.has(RestoreTestingResourceType.S3)) {
      allow('ReadRestoredBuckets', ['s3:ListBucket'], [`arn:${partition}:s3:::*`], { StringEquals: { 'aws:ResourceAccount': account } });
      allow('ReadRestoredObjects', ['s3:GetObject'], [`arn:${partition}:s3:::*/*`], { StringEquals: { 'aws:ResourceAccount': account } });
      if (unreadableBuckets.length > 0) {
        // Restored buckets are never the landing bucket: tenants' objects stay out of the validator's reach.
        role.addToPrincipalPolicy(new iam.PolicyStatement({
          sid: 'NeverReadLandedObjects',
          effect: iam.Effect.DENY,
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resources: unreadableBuckets.map((b) => b.arnForObjects('*')),
        }));
      }
      wildcards.push(
        { resource: `arn:${partition}:s3:::*`, reason: 's3:ListBucket (HeadBucket, ListObjectsV2) on the buckets restore tests create, whose names AWS Backup chooses at restore time; limited to buckets of this account by aws:ResourceAccount.' },
        { resource: `arn:${partition}:s3:::*/*`, reason: 's3:GetObject (ranged GET and HEAD of at most 3 sampled objects) in the buckets restore tests create, named at restore time; limited to this account by aws:ResourceAccount.' },
      );
      decryptVia.push(`s3.${region}.amazonaws.com`);
    }
    if (types.has(RestoreTestingResourceType.DYNAMODB)) {
      allow('ReadRestoredTables', ['dynamodb:DescribeTable', 'dynamodb:Scan'], [`arn:${partition}:dynamodb:${region}:${account}:table/*`]);
      wildcards.push({ resource: `arn:${partition}:dynamodb:${region}:${account}:table/*`, reason: 'dynamodb:DescribeTable and a Scan of at most 3 pages of 5 items on the tables restore tests create, whose names AWS Backup chooses at restore time.' });
      decryptVia.push(`dynamodb.${region}.amazonaws.com`);
    }
    if (types.has(RestoreTestingResourceType.EBS)) {
      allow('DescribeRestoredVolumes', ['ec2:DescribeVolumes'], ['*']);
      reasons.push('ec2:DescribeVolumes supports no resource-level permissions');
    }
    const rds = types.has(RestoreTestingResourceType.RDS);
    if (rds) {
      allow('DescribeRestoredDbInstances', ['rds:DescribeDBInstances'], [`arn:${partition}:rds:${region}:${account}:db:*`]);
      wildcards.push({ resource: `arn:${partition}:rds:${region}:${account}:db:*`, reason: 'rds:DescribeDBInstances on the DB instances restore tests create, whose identifiers AWS Backup chooses at restore time.' });
    }
    if (rds || types.has(RestoreTestingResourceType.AURORA)) {
      allow('DescribeRestoredDbClusters', ['rds:DescribeDBClusters'], [`arn:${partition}:rds:${region}:${account}:cluster:*`]);
      wildcards.push({ resource: `arn:${partition}:rds:${region}:${account}:cluster:*`, reason: 'rds:DescribeDBClusters on the Aurora and Multi-AZ DB clusters restore tests create, whose identifiers AWS Backup chooses at restore time.' });
    }
    if (decryptVia.length > 0) {
      allow('DecryptRestoredData', ['kms:Decrypt'], [keysOfAccount], { StringEquals: { 'kms:ViaService': decryptVia } });
      wildcards.push({ resource: keysOfAccount, reason: `kms:Decrypt only through ${decryptVia.join(' and ')}, to read restored data encrypted with a customer-managed key of this account, which the restore metadata chooses.` });
    }
    wildcards.push({ resource: '*', reason: `${reasons.join('; ')}; the role has no other Resource::* statement.` });
    return wildcards;
  }
}

interface PlannedSelection {
  readonly options: RestoreTestingSelectionOptions;
  readonly name: string;
  readonly arns: string[];
  readonly validationWindowHours: number;
}

/**
 * A failed or timed-out restore validation is the evidence that a backup does not restore:
 * alarm at the first one. The validator publishes one EMF data point per verdict, with the
 * dimensions service and ResourceType; alarms cannot SEARCH, so there is one per tested type.
 */
function validationFailedAlarm(scope: Construct, resourceType: string, planName: string, topic: sns.ITopic): cloudwatch.Alarm {
  const metric = (metricName: string) => new cloudwatch.Metric({
    namespace: HANDLER_METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: VALIDATOR_SERVICE_NAME, ResourceType: resourceType },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
  });
  return alarmToTopic(scope, `ValidationFailedAlarm${resourceType}`, {
    metric: new cloudwatch.MathExpression({
      expression: 'FILL(failed, 0) + FILL(timedOut, 0)',
      usingMetrics: { failed: metric('RestoreValidationsFailed'), timedOut: metric('RestoreValidationsTimedOut') },
      label: `${resourceType} restore validations failed or timed out`,
      period: Duration.minutes(5),
    }),
    threshold: 0,
    description: `A restore test of ${resourceType} in plan ${planName} failed validation or timed out: that backup did not restore `
      + 'into a working resource. The validator\'s logs and the catalog hold the restore job and the reason',
    topic,
  });
}
