import * as crypto from 'crypto';
import { Annotations, Duration, Lazy, RemovalPolicy, Stack, Stage, Token, Validations } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { AuditedVault, AuditedVaultProps } from '../audited-vault';
import { CompliantBackupSystem } from '../backup-system';
import { AuroraGlobalClusterOptions, RdsReadReplicaOptions } from './database-options';
import {
  DrDatabaseNetwork, addAuroraGlobalCluster, addGlobalTable, addRdsReadReplica, createDrDatabaseNetwork,
} from './databases';
import { DatabaseReadiness, DrContext, ReplicationReadiness, RpoCapability } from './dr-context';
import { FailoverOptions } from './failover-options';
import { REPLICATION_RPO, replicateBucket } from './replication';
import { ReplicateBucketOptions } from './replication-options';
import { ALL_PROTECTED_RESOURCE_TYPES } from '../backup-system/backup-service-policy';
import { ComplianceRuleError, checkRetentionWithinLock, describeDuration } from '../compliance/rules';
import { createEncryptedAlertTopic } from '../private/encrypted-topic';
import { createHandler } from '../private/handler-resources';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { createAccessLogBucket } from '../private/secure-bucket';
import { createSecureKey } from '../private/secure-key';

/**
 * Properties of a `CrossRegionDr`.
 */
export interface CrossRegionDrProps {
  /** The DR region: differs from the primary stack's region. */
  readonly drRegion: string;
  /** The most data, as time, the business accepts to lose. Every mechanism is checked against it. */
  readonly rpo: Duration;
  /** How long the business accepts to be down. The failover step measures the real one against it. */
  readonly rto: Duration;
  /**
   * The backup system whose `copyToDr` tiers copy into the DR vault.
   *
   * @default - no backup copies (replication and databases only)
   */
  readonly backupSystem?: CompliantBackupSystem;
  /**
   * Buckets to replicate into the DR region (see `replicateBucket()`).
   *
   * @default - none
   */
  readonly replicateBuckets?: s3.Bucket[];
  /**
   * How the failover runbook is built.
   *
   * @default - Region switch plan with the database steps and the failover step
   */
  readonly failover?: FailoverOptions;
  /**
   * The DR alarm topic. It must be in the DR region.
   *
   * @default - a new KMS-encrypted topic in the DR recovery stack
   */
  readonly notificationTopic?: sns.ITopic;
  /**
   * Properties of the DR vault.
   *
   * @default - locked in governance mode, 1-day minimum
   */
  readonly drVault?: AuditedVaultProps;
  /**
   * How often readiness is measured.
   *
   * @default Duration.minutes(5)
   */
  readonly readinessInterval?: Duration;
  /**
   * What happens to the DR stateful resources when they leave their stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A declared RPO and RTO made real in a second region: a DR foundation stack
 * (keys, DR vault, replica buckets) deployed before the primary, a DR recovery
 * stack (database secondaries, readiness, runbook, alarms) deployed after it, and
 * the primary-side replication, all checked against the RPO at synth.
 *
 * Values cross regions as deterministic names and ARNs, not stack exports:
 * CloudFormation exports do not cross regions.
 */
export class CrossRegionDr extends Construct {
  /** DR foundation stack (DR region): replica keys, the DR vault, replica buckets. Deploys first. */
  public readonly drStack: Stack;
  /** DR recovery stack (DR region): database secondaries, readiness, runbook, DR alarms. Deploys last. */
  public readonly recoveryStack: Stack;
  /** The vault `copyToDr` tiers copy into. */
  public readonly drVault: AuditedVault;
  /** The DR-region key (in `drStack`). */
  public readonly drKey: kms.IKey;
  /** ARN of the DR key's alias: pass it as a replica key ARN (DynamoDB `replicaKeyArns`, and so on). */
  public readonly drKeyAliasArn: string;
  /** Measures the real RPO on a schedule. */
  public readonly readinessFunction: lambda.IFunction;
  /** Flips the active region, notifies and measures the RTO; Region switch's custom step. */
  public readonly failoverFunction: lambda.IFunction;
  /** The failover runbook: an ARC Region switch plan. */
  public readonly failoverRunbook: arcregionswitch.CfnPlan;
  /** The parameter the application reads to know the active region. */
  public readonly activeRegionParameter: ssm.StringParameter;
  /** DR alarms go here (DR region). */
  public readonly drAlarmTopic: sns.ITopic;
  /** Replication alarms go here (primary region). */
  public readonly primaryAlarmTopic: sns.ITopic;
  /** Encrypts the DR alarm topic and the DR handlers' logs and dead letters. */
  public readonly drOperationsKey: kms.IKey;
  /** Route 53 health check of the primary endpoint, when asked for. */
  public readonly healthCheck?: route53.CfnHealthCheck;

  private readonly ctx: DrContext;
  private readonly drVaultName: string;
  private readonly metricNamespace: string;
  private readonly capabilities: RpoCapability[] = [];
  private readonly replicationReadiness: ReplicationReadiness[] = [];
  private readonly databaseReadiness: DatabaseReadiness[] = [];
  private readonly failoverRole: iam.IRole;
  private readonly planRole: iam.IRole;
  private readonly auroraClusters: Array<{ globalClusterIdentifier: string; secondaryClusterArn: string; memberArns: string[] }> = [];
  private readonly rdsReplicas: Array<{ identifier: string; arn: string }> = [];
  private network?: DrDatabaseNetwork;
  private readonly failover: FailoverOptions;

  constructor(scope: Construct, id: string, props: CrossRegionDrProps) {
    super(scope, id);
    const primary = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.failover = props.failover ?? {};
    if (Token.isUnresolved(primary.region) || Token.isUnresolved(primary.account)) {
      throw new ComplianceRuleError(this, 'the primary stack env', `{ account: ${primary.account}, region: ${primary.region} }`,
        'CrossRegionDr needs a primary stack with a concrete account and region (set env on the stack)');
    }
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.drRegion)) {
      throw new ComplianceRuleError(this, 'drRegion', `'${props.drRegion}'`, "expected an AWS region name such as 'us-west-2'");
    }
    if (props.drRegion === primary.region) {
      throw new ComplianceRuleError(this, 'drRegion', `'${props.drRegion}'`, 'the DR region must differ from the primary region');
    }
    if (props.rpo.toMilliseconds() < 1000) {
      throw new ComplianceRuleError(this, 'rpo', describeDuration(props.rpo), 'an RPO is at least 1 second');
    }
    const stepTimeout = this.failover.stepTimeoutMinutes;
    if (stepTimeout !== undefined && (!Number.isInteger(stepTimeout) || stepTimeout < 1 || stepTimeout > 15)) {
      throw new ComplianceRuleError(this, 'failover.stepTimeoutMinutes', String(stepTimeout),
        'the failover step is a Lambda function: a whole number of minutes from 1 to 15');
    }
    const interval = props.readinessInterval;
    if (interval && (interval.toMilliseconds() < 60_000 || interval.toMilliseconds() % 60_000 !== 0)) {
      throw new ComplianceRuleError(this, 'readinessInterval', describeDuration(interval), 'a whole number of minutes, at least 1');
    }
    const topicRegion = props.notificationTopic?.env.region;
    if (topicRegion && !Token.isUnresolved(topicRegion) && topicRegion !== props.drRegion) {
      throw new ComplianceRuleError(this, 'notificationTopic', `a topic in ${topicRegion}`,
        `DR alarms must work while the primary region is down: pass a topic in the DR region (${props.drRegion})`);
    }

    const stage = (Stage.of(primary) ?? primary.node.root) as Construct;
    const env = { account: primary.account, region: props.drRegion };
    const stackId = (suffix: string) => `${primary.node.id}-${suffix}`;
    if (stage.node.tryFindChild(stackId('DrFoundation'))) {
      throw new ComplianceRuleError(this, 'scope', primary.node.path,
        'this primary stack already has a CrossRegionDr: one DR setup per primary stack (add more resources to it)');
    }
    this.drStack = new Stack(stage, stackId('DrFoundation'), {
      env,
      stackName: `${primary.stackName}-DrFoundation`,
      description: `DR foundation of ${primary.stackName} in ${props.drRegion}: keys, DR vault, replica buckets (deploy before ${primary.stackName})`,
    });
    this.recoveryStack = new Stack(stage, stackId('DrRecovery'), {
      env,
      stackName: `${primary.stackName}-DrRecovery`,
      description: `DR recovery of ${primary.stackName} in ${props.drRegion}: database secondaries, readiness, runbook (deploy after ${primary.stackName})`,
    });
    primary.addStackDependency(this.drStack, 'replication and copies need their DR destinations first');
    this.recoveryStack.addStackDependency(primary, 'database secondaries need their primaries first');

    const namePrefix = `dr-${crypto.createHash('sha256').update(`${primary.account}/${this.node.path}`).digest('hex').slice(0, 10)}`;
    const aliasName = `alias/${namePrefix}/dr`;
    this.drKeyAliasArn = `arn:${primary.partition}:kms:${props.drRegion}:${primary.account}:${aliasName}`;
    this.metricNamespace = `CompliantBackup/DR/${namePrefix}`;

    // --- DR foundation: key, vault, log bucket.
    this.drKey = createSecureKey(this.drStack, 'DrKey', { description: `DR-region key of ${this.node.path}`, alias: aliasName, removalPolicy });
    const drAccessLogBucket = createAccessLogBucket(this.drStack, 'DrAccessLogBucket', removalPolicy);
    // Deterministic, so the primary and recovery stacks name it without a cross-region reference.
    this.drVaultName = props.drVault?.vaultName ?? `${namePrefix}-vault`;
    this.drVault = new AuditedVault(this.drStack, 'DrVault', {
      vaultName: this.drVaultName,
      removalPolicy,
      ...props.drVault,
    });

    // --- Topics.
    this.primaryAlarmTopic = props.backupSystem?.alarmTopic ?? createEncryptedAlertTopic(this, 'PrimaryAlarmTopic',
      createSecureKey(this, 'PrimaryAlarmKey', { description: `Encrypts the DR alarms of ${this.node.path} in the primary region`, removalPolicy }),
      `DR alarms (primary region): ${this.node.path}`);
    // Encrypts the DR alarm topic and the DR handlers' logs and dead letters.
    this.drOperationsKey = createSecureKey(this.recoveryStack, 'DrOperationsKey', {
      description: `Encrypts the DR alarms, handler logs and dead letters of ${this.node.path}`, removalPolicy,
    });
    this.drAlarmTopic = props.notificationTopic ?? createEncryptedAlertTopic(this.recoveryStack, 'DrAlarmTopic',
      this.drOperationsKey, `DR alarms: ${this.node.path}`);

    this.ctx = {
      primaryStack: primary,
      drStack: this.drStack,
      recoveryStack: this.recoveryStack,
      primaryRegion: primary.region,
      drRegion: props.drRegion,
      account: primary.account,
      partition: primary.partition,
      rpo: props.rpo,
      rto: props.rto,
      namePrefix,
      drKey: this.drKey,
      drKeyAliasName: aliasName,
      drKeyAliasArn: this.drKeyAliasArn,
      primaryAlarmTopic: this.primaryAlarmTopic,
      drAlarmTopic: this.drAlarmTopic,
      drAccessLogBucket,
      removalPolicy,
    };

    // --- Backups copied into the DR vault.
    if (props.backupSystem) this.bindBackupSystem(props.backupSystem);

    // --- Readiness: the real RPO, measured in the DR region.
    const readiness = createHandler(this.recoveryStack, 'Readiness', 'readiness', {
      key: this.drOperationsKey,
      description: `Measures the real RPO of ${this.node.path} against ${describeDuration(props.rpo)}`,
      timeout: Duration.minutes(2),
      environment: {
        DR_REGION: props.drRegion,
        PRIMARY_REGION: primary.region,
        RPO_SECONDS: String(Math.floor(props.rpo.toMilliseconds() / 1000)),
        METRIC_NAMESPACE: this.metricNamespace,
        BACKUP_RESOURCE_TYPES: JSON.stringify(ALL_PROTECTED_RESOURCE_TYPES),
        REPLICATION: Lazy.string({ produce: () => JSON.stringify(this.replicationReadiness) }),
        DATABASES: Lazy.string({ produce: () => JSON.stringify(this.databaseReadiness) }),
        ...(props.backupSystem ? { DR_VAULT_NAME: this.drVaultName } : {}),
      },
    });
    this.readinessFunction = readiness.fn;
    this.grantReadiness(readiness.role);
    new events.Rule(this.recoveryStack, 'ReadinessSchedule', {
      description: `Measures the RPO of ${this.node.path}`,
      schedule: events.Schedule.rate(props.readinessInterval ?? Duration.minutes(5)),
      targets: [new targets.LambdaFunction(readiness.fn, { deadLetterQueue: readiness.deadLetterQueue, retryAttempts: 2 })],
    });
    this.createReadinessAlarms(props.rpo, props.backupSystem !== undefined);

    // --- Failover: the active-region parameter, our step, and the Region switch plan.
    this.activeRegionParameter = new ssm.StringParameter(this.recoveryStack, 'ActiveRegion', {
      parameterName: this.failover.activeRegionParameterName ?? `/${namePrefix}/active-region`,
      stringValue: primary.region,
      description: `The region the application of ${primary.stackName} serves from; flipped by the failover runbook`,
    });
    const failover = createHandler(this.recoveryStack, 'Failover', 'failover', {
      key: this.drOperationsKey,
      description: `Fails ${primary.stackName} over to ${props.drRegion}: databases, active-region parameter, notification, RTO`,
      timeout: Duration.minutes(Math.min(15, this.failover.stepTimeoutMinutes ?? 15)),
      environment: {
        ACTIVE_REGION_PARAMETER: this.activeRegionParameter.parameterName,
        PRIMARY_REGION: primary.region,
        DR_REGION: props.drRegion,
        TOPIC_ARN: this.drAlarmTopic.topicArn,
        METRIC_NAMESPACE: this.metricNamespace,
        RTO_SECONDS: String(Math.max(1, Math.ceil(props.rto.toMilliseconds() / 1000))),
        RDS_REPLICAS: Lazy.string({ produce: () => JSON.stringify(this.rdsReplicas.map((r) => r.identifier)) }),
        AURORA_GLOBAL_CLUSTERS: Lazy.string({
          produce: () => JSON.stringify(this.auroraClusters.map(({ globalClusterIdentifier, secondaryClusterArn }) => ({
            globalClusterIdentifier, secondaryClusterArn,
          }))),
        }),
      },
    });
    this.failoverFunction = failover.fn;
    this.failoverRole = failover.role;
    this.grantFailover(failover.role);

    if (this.failover.healthCheckDomainName) {
      this.healthCheck = new route53.CfnHealthCheck(this.recoveryStack, 'PrimaryHealthCheck', {
        healthCheckConfig: {
          type: 'HTTPS',
          fullyQualifiedDomainName: this.failover.healthCheckDomainName,
          resourcePath: this.failover.healthCheckPath ?? '/',
          port: 443,
          requestInterval: 30,
          failureThreshold: 3,
        },
      });
    }

    this.planRole = this.createPlanRole(failover.fn);
    this.failoverRunbook = new arcregionswitch.CfnPlan(this.recoveryStack, 'RegionSwitchPlan', {
      name: `${namePrefix}-failover`,
      description: `Fails ${primary.stackName} over from ${primary.region} to ${props.drRegion} and back`,
      executionRole: this.planRole.roleArn,
      recoveryApproach: 'activePassive',
      primaryRegion: primary.region,
      regions: [primary.region, props.drRegion],
      recoveryTimeObjectiveMinutes: Math.max(1, Math.ceil(props.rto.toMilliseconds() / 60_000)),
      workflows: Lazy.any({ produce: () => this.renderWorkflows() }) as any,
    });

    for (const bucket of props.replicateBuckets ?? []) this.replicateBucket(bucket);
  }

  /**
   * Replicates `bucket` into a new replica bucket in the DR region, with
   * Replication Time Control (99.99% of objects within 15 minutes). Objects that
   * exist before replication is on need S3 Batch Replication.
   */
  public replicateBucket(bucket: s3.Bucket, options?: ReplicateBucketOptions): s3.Bucket {
    this.checkRpo({ resource: bucket.node.path, mechanism: 'S3 replication with Replication Time Control', deliverable: REPLICATION_RPO });
    const replicated = replicateBucket(this.ctx, this, `Replication${this.replicationReadiness.length}`, bucket, options);
    this.capabilities.push(replicated.capability);
    this.replicationReadiness.push(replicated.readiness);
    return replicated.replicaBucket;
  }

  /**
   * Makes `cluster` the primary of an Aurora global database with a secondary
   * cluster (no credentials) in the DR region.
   */
  public addAuroraGlobalCluster(cluster: rds.DatabaseCluster, options?: AuroraGlobalClusterOptions): rds.CfnDBCluster {
    const added = addAuroraGlobalCluster(this.ctx, this, `Aurora${this.auroraClusters.length}`, cluster, this.databaseNetwork(), options);
    this.registerDatabase(added);
    // Built from the identifier: the recovery stack cannot reference the primary stack across regions.
    const primaryIdentifier = (cluster.node.defaultChild as rds.CfnDBCluster).dbClusterIdentifier;
    const primaryArn = `arn:${this.ctx.partition}:rds:${this.ctx.primaryRegion}:${this.ctx.account}:cluster:${primaryIdentifier}`;
    const memberArns = [primaryArn, added.failoverEntry.secondaryClusterArn];
    this.auroraClusters.push({ ...added.failoverEntry, memberArns });
    const globalArn = `arn:${this.ctx.partition}:rds::${this.ctx.account}:global-cluster:${added.failoverEntry.globalClusterIdentifier}`;
    // Switchover and failover are authorized on the global cluster and on its member clusters.
    this.grantRunbook(new iam.PolicyStatement({
      actions: ['rds:DescribeGlobalClusters', 'rds:FailoverGlobalCluster', 'rds:SwitchoverGlobalCluster'],
      resources: [globalArn, ...memberArns],
    }));
    return added.secondaryCluster;
  }

  /** Adds a cross-region read replica of `instance` in the DR region, promoted on failover. */
  public addRdsReadReplica(instance: rds.DatabaseInstance, options?: RdsReadReplicaOptions): rds.CfnDBInstance {
    const added = addRdsReadReplica(this.ctx, this, `RdsReplica${this.rdsReplicas.length}`, instance, this.databaseNetwork(), options);
    this.registerDatabase(added);
    const arn = `arn:${this.ctx.partition}:rds:${this.ctx.drRegion}:${this.ctx.account}:db:${added.failoverEntry}`;
    this.rdsReplicas.push({ identifier: added.failoverEntry, arn });
    this.grantRunbook(new iam.PolicyStatement({ actions: ['rds:DescribeDBInstances', 'rds:PromoteReadReplica'], resources: [arn] }));
    return added.replica;
  }

  /**
   * Checks that `table` has a replica in the DR region (declare it on the table:
   * `replicas: [{ region }]`, with `crossRegionDr.drKeyAliasArn` in `replicaKeyArns`
   * for a customer-managed key) and alarms on its replication latency.
   */
  public addGlobalTable(table: dynamodb.TableV2): void {
    this.registerDatabase(addGlobalTable(this.ctx, this, table));
  }

  /** A database mechanism: checked against the RPO, then measured by readiness. */
  private registerDatabase(added: { capability: RpoCapability; readiness: DatabaseReadiness }): void {
    this.checkRpo(added.capability);
    this.capabilities.push(added.capability);
    this.databaseReadiness.push(added.readiness);
  }

  /** The failover step and the Region switch plan run the same database actions. */
  private grantRunbook(statement: iam.PolicyStatement): void {
    this.failoverRole.addToPrincipalPolicy(statement);
    this.planRole.addToPrincipalPolicy(statement);
  }

  /** The age of the newest recovery point in the DR vault (the worst protected resource), as measured by readiness. */
  public metricRecoveryPointAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.metricNamespace,
      metricName: 'MaxRecoveryPointAgeSeconds',
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(5),
      region: this.ctx.drRegion,
      ...props,
    });
  }

  /** What each mechanism can deliver, checked against the RPO. */
  public get rpoCapabilities(): RpoCapability[] {
    return [...this.capabilities];
  }

  private checkRpo(capability: RpoCapability): void {
    if (this.ctx.rpo.toMilliseconds() < capability.deliverable.toMilliseconds()) {
      throw new ComplianceRuleError(this, 'rpo', describeDuration(this.ctx.rpo),
        `${capability.resource} relies on ${capability.mechanism}, which cannot deliver an RPO below ${describeDuration(capability.deliverable)}`);
    }
  }

  private bindBackupSystem(system: CompliantBackupSystem): void {
    const drVaultArn = `arn:${this.ctx.partition}:backup:${this.ctx.drRegion}:${this.ctx.account}:backup-vault:${this.drVaultName}`;
    const drTiers = system.planTiers.filter((t) => t.props.copyToDr);
    for (const tier of drTiers) {
      const lifecycle = tier.copyLifecycle;
      const prop = `tiers['${tier.name}'].copyRetention`;
      if (lifecycle.deleteAfter) {
        checkRetentionWithinLock(system, prop, lifecycle.deleteAfter, `the DR vault ${this.drVault.node.path}`, this.drVault.lockDays);
      } else if (this.drVault.lockDays.maxRetentionDays !== undefined) {
        throw new ComplianceRuleError(system, prop, 'undefined (kept forever)',
          `copies land in the DR vault ${this.drVault.node.path}, locked with a maximum retention of ${this.drVault.lockDays.maxRetentionDays} days`);
      }
    }
    if (drTiers.length > 0) {
      // Every tier backs up the same selections: the most frequent copied tier sets the RPO they get.
      const best = drTiers
        .map((tier) => ({ tier, interval: system.tierInterval(tier.name) }))
        .sort((a, b) => a.interval.toMilliseconds() - b.interval.toMilliseconds())[0];
      const capability = {
        resource: `the resources backed up by ${system.node.path}`,
        mechanism: `AWS Backup copies (most frequent copied tier: '${best.tier.name}')`,
        deliverable: best.interval,
      };
      this.checkRpo(capability);
      this.capabilities.push(capability);
      const worst = best.interval.plus(best.tier.props.startWindow!).plus(best.tier.props.completionWindow!);
      if (worst.toMilliseconds() > this.ctx.rpo.toMilliseconds()) {
        Annotations.of(this).addWarningV2('cdk-compliant-backup:rpo-windows',
          `${system.node.path} tiers['${best.tier.name}'] backs up every ${describeDuration(best.interval)}, but with its start and completion windows a copy can be `
          + `${describeDuration(worst)} old, more than the RPO of ${describeDuration(this.ctx.rpo)}`);
      }
    }
    system._bindDrVault(AuditedVault.fromVaultAttributes(this, 'DrVaultRef', { backupVaultArn: drVaultArn }));
  }

  private databaseNetwork(): DrDatabaseNetwork {
    this.network ??= createDrDatabaseNetwork(this.ctx);
    return this.network;
  }

  private grantReadiness(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['backup:ListRecoveryPointsByBackupVault'],
      resources: [`arn:${this.ctx.partition}:backup:${this.ctx.drRegion}:${this.ctx.account}:backup-vault:${this.drVaultName}`],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['backup:DescribeRegionSettings', 'cloudwatch:GetMetricData'],
      resources: ['*'],
    }));
    role.addToPrincipalPolicy(this.putMetricsStatement());
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'backup:DescribeRegionSettings, cloudwatch:GetMetricData and cloudwatch:PutMetricData support no resource-level '
        + 'permissions; PutMetricData is limited to this DR metric namespace by the cloudwatch:namespace condition.',
    });
  }

  /** PutMetricData has no resource-level permission: the namespace condition scopes it to this DR. */
  private putMetricsStatement(): iam.PolicyStatement {
    return new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': this.metricNamespace } },
    });
  }

  private grantFailover(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ssm:GetParameter', 'ssm:PutParameter'],
      resources: [this.activeRegionParameter.parameterArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.drAlarmTopic.topicArn] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.drOperationsKey.keyArn] }));
    role.addToPrincipalPolicy(this.putMetricsStatement());
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'cloudwatch:PutMetricData supports no resource-level permissions; it is limited to this DR metric namespace by the cloudwatch:namespace condition.',
    });
  }

  /** The role Region switch assumes to run the plan's steps. */
  private createPlanRole(failoverFunction: lambda.IFunction): iam.IRole {
    const role = new ManagedPolicyRole(this.recoveryStack, 'RegionSwitchRole', {
      assumedBy: new iam.ServicePrincipal('arc-region-switch.amazonaws.com'),
      description: `ARC Region switch runs the failover runbook of ${this.node.path}`,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [failoverFunction.functionArn] }));
    if (this.failover.hostedZoneId) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:GetHealthCheck', 'route53:UpdateHealthCheck'],
        resources: [`arn:${this.ctx.partition}:route53:::hostedzone/${this.failover.hostedZoneId}`],
      }));
    }
    return role;
  }

  private renderWorkflows(): any[] {
    const stepTimeout = this.failover.stepTimeoutMinutes ?? 15;
    const steps = (target: string, graceful: boolean): any[] => {
      const out: any[] = [];
      for (const aurora of this.auroraClusters) {
        out.push({
          name: `aurora-${aurora.globalClusterIdentifier}`.slice(0, 64),
          description: 'Switch the Aurora global database writer to the target region',
          executionBlockType: 'AuroraGlobalDatabase',
          executionBlockConfiguration: {
            globalAuroraConfig: {
              behavior: graceful ? 'switchoverOnly' : 'failover',
              globalClusterIdentifier: aurora.globalClusterIdentifier,
              databaseClusterArns: aurora.memberArns,
              timeoutMinutes: 60,
              ungraceful: { ungraceful: 'failover' },
            },
          },
        });
      }
      if (target === this.ctx.drRegion && this.rdsReplicas.length > 0) {
        for (const replica of this.rdsReplicas) {
          out.push({
            name: `promote-${replica.identifier}`.slice(0, 64),
            description: 'Promote the RDS cross-region read replica to a standalone instance',
            executionBlockType: 'RdsPromoteReadReplica',
            executionBlockConfiguration: {
              rdsPromoteReadReplicaConfig: { dbInstanceArnMap: { [this.ctx.drRegion]: replica.arn }, timeoutMinutes: 60 },
            },
          });
        }
      }
      if (this.failover.hostedZoneId && this.failover.recordName) {
        out.push({
          name: 'route53-health-check',
          description: 'Move DNS to the target region',
          executionBlockType: 'Route53HealthCheck',
          executionBlockConfiguration: {
            route53HealthCheckConfig: { hostedZoneId: this.failover.hostedZoneId, recordName: this.failover.recordName, timeoutMinutes: 30 },
          },
        });
      }
      out.push({
        name: 'failover-step',
        description: 'Flip the active-region parameter, notify, and record the measured RTO',
        executionBlockType: 'CustomActionLambda',
        executionBlockConfiguration: {
          customActionLambdaConfig: {
            lambdas: [{ arn: this.failoverFunction.functionArn }],
            regionToRun: 'activatingRegion',
            retryIntervalMinutes: stepTimeout,
            timeoutMinutes: stepTimeout * 2,
            ungraceful: { behavior: 'skip' },
          },
        },
      });
      return out;
    };
    return [
      { workflowTargetAction: 'activate', workflowTargetRegion: this.ctx.drRegion, workflowDescription: 'Fail over to the DR region', steps: steps(this.ctx.drRegion, true) },
      { workflowTargetAction: 'activate', workflowTargetRegion: this.ctx.primaryRegion, workflowDescription: 'Fail back to the primary region', steps: steps(this.ctx.primaryRegion, true) },
    ];
  }

  private createReadinessAlarms(rpo: Duration, measuresBackups: boolean): void {
    const alarm = (id: string, metricName: string, threshold: number, description: string, statistic = cloudwatch.Stats.MAXIMUM) => {
      const metric = new cloudwatch.Metric({ namespace: this.metricNamespace, metricName, statistic, period: Duration.minutes(5) });
      const a = metric.createAlarm(this.recoveryStack, id, {
        alarmDescription: description,
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      a.addAlarmAction(new cloudwatchActions.SnsAction(this.drAlarmTopic));
      return a;
    };
    // Missing readiness data is itself a breach: nobody is measuring the RPO.
    alarm('RpoBreachAlarm', 'RpoBreaches', 0, `A DR check of ${this.node.path} exceeds the RPO of ${describeDuration(rpo)}`);
    if (measuresBackups) {
      alarm('RecoveryPointAgeAlarm', 'MaxRecoveryPointAgeSeconds', rpo.toMilliseconds() / 1000, `The newest DR recovery point is older than the RPO of ${describeDuration(rpo)}`);
      alarm('MissingRecoveryPointsAlarm', 'MissingRecoveryPoints', 0, 'A protected resource has no recovery point in the DR vault');
    }
    alarm('BackupOptInAlarm', 'BackupOptInMissing', 0, 'AWS Backup is not opted in for a protected resource type in one of the regions');
  }
}
