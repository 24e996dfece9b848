import * as crypto from 'crypto';
import { Annotations, Duration, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { addAuroraGlobalCluster } from './aurora-global';
import { CrossRegionDrProps } from './cross-region-dr-props';
import { DatabaseDr, protectedResourceId } from './database-common';
import { DrDatabaseNetwork, createDrDatabaseNetwork } from './database-network';
import { DrDatabaseNetworkOptions } from './database-network-options';
import { AuroraGlobalClusterOptions, RdsReadReplicaOptions } from './database-options';
import { DrArns } from './dr-arns';
import { DrContext, RpoCapability } from './dr-context';
import { DrRecoveryStack } from './dr-recovery-stack';
import { addGlobalTable } from './dynamodb-global';
import { addRdsReadReplica } from './rds-replica';
import { ReadinessInputs, createReadiness, readinessMetric } from './readiness';
import { REPLICATION_RPO, replicateBucket } from './replication';
import { ReplicateBucketOptions } from './replication-options';
import { Runbook } from './runbook';
import { AuditedVault } from '../audited-vault';
import { IAuditedVault } from '../audited-vault-props';
import { CompliantBackupSystem } from '../backup-system';
import { VaultLockMode } from '../compliance/compliance-profile';
import { allowAlertPublishers, createEncryptedAlertTopic } from '../private/encrypted-topic';
import { recordRemovalPolicy } from '../private/removal';
import { createAccessLogBucket } from '../private/secure-bucket';
import { createSecureKey } from '../private/secure-key';
import { checkDrProps, checkReplicatedBucketCount } from '../validation/dr';
import { ComplianceRuleError, describeDuration } from '../validation/errors';
import { AURORA_GLOBAL_CLUSTER_SHAPE, CROSS_REGION_DR_SHAPE, RDS_READ_REPLICA_SHAPE, REPLICATE_BUCKET_SHAPE } from '../validation/prop-shapes';
import { checkPropType, checkPropTypes } from '../validation/prop-types';

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
  /** Flips the active region, notifies and measures the RTO; Region switch's custom step in the DR region. */
  public readonly failoverFunction: lambda.IFunction;
  /** The same step in the primary region, which Region switch runs when failing back. */
  public readonly failbackFunction: lambda.IFunction;
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
  /** Encrypts the logs and dead letters of the failback function (primary region). */
  public readonly primaryOperationsKey: kms.IKey;
  /** Route 53 health check of the primary endpoint, when asked for. */
  public readonly healthCheck?: route53.CfnHealthCheck;
  /** Alarms this construct created: readiness, replication and database lag. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  private readonly ctx: DrContext;
  private readonly capabilities: RpoCapability[] = [];
  private readonly readiness: ReadinessInputs;
  private readonly runbook: Runbook;
  private readonly networkOptions?: DrDatabaseNetworkOptions;
  private network?: DrDatabaseNetwork;
  private backupCopies?: { system: CompliantBackupSystem; destination: IAuditedVault };

  /**
   * @param scope where the construct is defined
   * @param id the construct id: part of every logical ID and derived name below it, so keep it stable
   * @param props the CrossRegionDr's configuration
   */
  constructor(scope: Construct, id: string, props: CrossRegionDrProps) {
    super(scope, id);
    checkPropTypes(this, '', props, CROSS_REGION_DR_SHAPE);
    const primary = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const failover = props.failover ?? {};
    checkDrProps(this, primary, props, failover);
    this.networkOptions = props.databaseNetwork;

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
    this.recoveryStack = new DrRecoveryStack(stage, stackId('DrRecovery'), {
      env,
      stackName: `${primary.stackName}-DrRecovery`,
      description: `DR recovery of ${primary.stackName} in ${props.drRegion}: database secondaries, readiness, runbook (deploy after ${primary.stackName})`,
    });
    recordRemovalPolicy(props.removalPolicy, this, this.drStack, this.recoveryStack);
    primary.addStackDependency(this.drStack, 'replication and copies need their DR destinations first');
    this.recoveryStack.addStackDependency(primary, 'database secondaries need their primaries first');

    const namePrefix = `dr-${crypto.createHash('sha256').update(`${primary.account}/${this.node.path}`).digest('hex').slice(0, 10)}`;
    const arns = new DrArns(primary.partition, primary.account);
    const aliasName = `alias/${namePrefix}/dr`;
    this.drKeyAliasArn = arns.kmsAlias(props.drRegion, aliasName);

    // --- DR foundation: key, vault, log bucket.
    this.drKey = createSecureKey(this.drStack, 'DrKey', { description: `DR-region key of ${this.node.path}`, alias: aliasName, removalPolicy });
    const drAccessLogBucket = createAccessLogBucket(this.drStack, 'DrAccessLogBucket', removalPolicy);
    // Deterministic, so the primary and recovery stacks name it without a cross-region reference.
    const drVaultName = props.drVault?.vaultName ?? `${namePrefix}-vault`;
    // The DR vault holds the backup system's copies: its lock follows the system's compliance profile.
    const profile = props.backupSystem?.profile;
    this.drVault = new AuditedVault(this.drStack, 'DrVault', {
      vaultName: drVaultName,
      removalPolicy,
      ...props.drVault,
      vaultLock: props.drVault?.vaultLock ?? {
        minRetention: Duration.days(1),
        changeableFor: profile?.lockMode === VaultLockMode.COMPLIANCE ? Duration.hours(72) : undefined,
      },
    });

    // --- Topics and keys of the alarms and handlers.
    this.primaryAlarmTopic = props.backupSystem?.alarmTopic ?? createEncryptedAlertTopic(this, 'PrimaryAlarmTopic',
      createSecureKey(this, 'PrimaryAlarmKey', { description: `Encrypts the DR alarms of ${this.node.path} in the primary region`, removalPolicy }),
      `DR alarms (primary region): ${this.node.path}`);
    this.primaryOperationsKey = createSecureKey(this, 'PrimaryOperationsKey', {
      description: `Encrypts the failback handler's logs and dead letters of ${this.node.path} in the primary region`, removalPolicy,
    });
    this.drOperationsKey = createSecureKey(this.recoveryStack, 'DrOperationsKey', {
      description: `Encrypts the DR alarms, handler logs and dead letters of ${this.node.path}`, removalPolicy,
    });
    this.drAlarmTopic = props.notificationTopic ?? createEncryptedAlertTopic(this.recoveryStack, 'DrAlarmTopic',
      this.drOperationsKey, `DR alarms: ${this.node.path}`);
    if (props.notificationTopic) allowAlertPublishers(props.notificationTopic);

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
      drOperationsKey: this.drOperationsKey,
      drVaultName,
      metricNamespace: `CompliantBackup/DR/${namePrefix}`,
      arns,
      removalPolicy,
    };

    // --- Backups copied into the DR vault, through the backup system's one seam for copy destinations.
    if (props.backupSystem) this.copyBackupsFrom(props.backupSystem);

    // --- Readiness: the real RPO, measured in the DR region, and the primary endpoint's health.
    const failoverOptions = failover;
    if (failoverOptions.healthCheckDomainName) {
      this.healthCheck = new route53.CfnHealthCheck(this.recoveryStack, 'PrimaryHealthCheck', {
        healthCheckConfig: {
          type: 'HTTPS',
          fullyQualifiedDomainName: failoverOptions.healthCheckDomainName,
          resourcePath: failoverOptions.healthCheckPath ?? '/',
          port: 443,
          requestInterval: 30,
          failureThreshold: 3,
        },
      });
    }
    this.readiness = {
      replication: [], databases: [], drVaultName: props.backupSystem ? drVaultName : undefined, healthCheck: this.healthCheck,
    };
    const readiness = createReadiness(this.ctx, this.node.path, this.readiness, props.readinessInterval);
    this.readinessFunction = readiness.handler.fn;
    this.alarms.push(...readiness.alarms);

    // --- Failover: the active-region parameter, the step in both regions, and the Region switch plan.
    this.runbook = new Runbook(this.ctx, this, this.node.path, failover, this.primaryOperationsKey);
    this.activeRegionParameter = this.runbook.activeRegionParameter;
    this.failoverFunction = this.runbook.drFailover.fn;
    this.failbackFunction = this.runbook.primaryFailover.fn;
    this.failoverRunbook = this.runbook.plan;

    for (const bucket of props.replicateBuckets ?? []) this.replicateBucket(bucket);
  }

  /**
   * Replicates `bucket` into a new replica bucket in the DR region, with
   * Replication Time Control (99.99% of objects within 15 minutes). Objects that
   * exist before replication is on need S3 Batch Replication.
   */
  public replicateBucket(bucket: s3.Bucket, options?: ReplicateBucketOptions): s3.Bucket {
    checkPropType(this, 'replicateBucket(bucket)', bucket, { kind: 'construct', required: true });
    checkPropTypes(this, 'replicateBucket(options)', options, REPLICATE_BUCKET_SHAPE);
    this.checkRpo({ resource: bucket.node.path, mechanism: 'S3 replication with Replication Time Control', deliverable: REPLICATION_RPO });
    checkReplicatedBucketCount(this, this.readiness.replication.length + 1);
    const replicated = replicateBucket(this.ctx, this, protectedResourceId(this, 'Replication', bucket, 'replicateBucket()'), bucket, options);
    this.capabilities.push(replicated.capability);
    this.readiness.replication.push(replicated.readiness);
    this.alarms.push(...replicated.alarms);
    return replicated.replicaBucket;
  }

  /**
   * Makes `cluster` the primary of an Aurora global database with a secondary
   * cluster (no credentials) in the DR region.
   */
  public addAuroraGlobalCluster(cluster: rds.DatabaseCluster, options?: AuroraGlobalClusterOptions): rds.CfnDBCluster {
    checkPropType(this, 'addAuroraGlobalCluster(cluster)', cluster, { kind: 'construct', required: true });
    checkPropTypes(this, 'addAuroraGlobalCluster(options)', options, AURORA_GLOBAL_CLUSTER_SHAPE);
    const added = addAuroraGlobalCluster(this.ctx, this, cluster, this.databaseNetwork(), options);
    this.registerDatabase(added);
    this.runbook.addAuroraGlobalCluster(added.runbookEntry);
    return added.secondaryCluster;
  }

  /** Adds a cross-region read replica of `instance` in the DR region, promoted on failover. */
  public addRdsReadReplica(instance: rds.DatabaseInstance, options?: RdsReadReplicaOptions): rds.CfnDBInstance {
    checkPropType(this, 'addRdsReadReplica(instance)', instance, { kind: 'construct', required: true });
    checkPropTypes(this, 'addRdsReadReplica(options)', options, RDS_READ_REPLICA_SHAPE);
    const added = addRdsReadReplica(this.ctx, instance, this.databaseNetwork(), options);
    this.registerDatabase(added);
    this.runbook.addRdsReadReplica(added.runbookEntry);
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

  /**
   * The security group of the DR database secondaries when the library created it
   * (no ingress: allow your DR application in); created with the first database.
   */
  public get databaseSecurityGroup(): ec2.ISecurityGroup | undefined {
    return this.network?.securityGroup;
  }

  /** The network of the DR database secondaries, created with the first database. */
  private databaseNetwork(): DrDatabaseNetwork {
    this.network ??= createDrDatabaseNetwork(this.ctx, this.node.path, this.networkOptions);
    return this.network;
  }

  /** The age of the newest recovery point in the DR vault (the worst protected resource), as measured by readiness. */
  public metricRecoveryPointAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return readinessMetric(this.ctx, 'MaxRecoveryPointAgeSeconds', props);
  }

  /** What each mechanism can deliver, checked against the RPO. */
  public get rpoCapabilities(): RpoCapability[] {
    const copies = this.backupCopyCapability();
    return [...this.capabilities, ...(copies ? [copies] : [])];
  }

  /** A database mechanism: checked against the RPO, then measured by readiness. */
  private registerDatabase(added: DatabaseDr): void {
    this.checkRpo(added.capability);
    this.capabilities.push(added.capability);
    this.readiness.databases.push(added.readiness);
    this.alarms.push(...added.alarms);
  }

  private checkRpo(capability: RpoCapability): void {
    if (this.ctx.rpo.toMilliseconds() < capability.deliverable.toMilliseconds()) {
      throw new ComplianceRuleError(this, 'rpo', describeDuration(this.ctx.rpo),
        `${capability.resource} relies on ${capability.mechanism}, which cannot deliver an RPO below ${describeDuration(capability.deliverable)}`);
    }
  }

  /**
   * The DR vault joins the system as a copy destination of its `copyToDr` tiers, imported
   * by its deterministic ARN with its lock, so the system checks every copy against that
   * lock. The RPO of the copies is checked at synth, when every tier and mechanism is known.
   */
  private copyBackupsFrom(system: CompliantBackupSystem): void {
    const destination = AuditedVault.fromVaultAttributes(this, 'DrVaultRef', {
      backupVaultArn: this.ctx.arns.backupVault(this.ctx.drRegion, this.ctx.drVaultName),
      vaultLock: this.drVault.vaultLock,
    });
    system.addDrCopyDestination(destination);
    this.backupCopies = { system, destination };
    // Checked at synth only: tiers, buckets and databases added after this call count too.
    this.node.addValidation({
      validate: () => {
        try {
          this.checkBackupCopies(true);
          return [];
        } catch (e) {
          return [(e as Error).message];
        }
      },
    });
  }

  /** The copies' capability: the most frequent tier that copies into the DR vault sets the RPO they deliver. */
  private backupCopyCapability(): RpoCapability | undefined {
    if (!this.backupCopies) return undefined;
    const cadence = this.backupCopies.system.copyCadence(this.backupCopies.destination);
    if (!cadence) return undefined;
    return {
      resource: `the resources backed up by ${this.backupCopies.system.node.path}`,
      mechanism: `AWS Backup copies (most frequent copied tier: '${cadence.tierName}')`,
      deliverable: cadence.interval,
    };
  }

  /**
   * Each resource is credited with its fastest mechanism. When the copies are the only DR
   * mechanism, they must meet the RPO. When replication or a global or replica database
   * carries the RPO of the resources registered here, the copies are a second line for those
   * and the only line for whatever else the system backs up: that gap is said at synth (a
   * warning: it is a design choice, as with HIPAA's daily copies beside a 15-minute database).
   */
  private checkBackupCopies(warn: boolean): void {
    const capability = this.backupCopyCapability();
    if (!capability || !this.backupCopies) return;
    if (this.capabilities.length === 0) {
      this.checkRpo(capability);
    } else if (warn && this.ctx.rpo.toMilliseconds() < capability.deliverable.toMilliseconds()) {
      Annotations.of(this).addWarningV2('cdk-compliant-backup:rpo-copies-only',
        `${this.node.path}: rpo is ${describeDuration(this.ctx.rpo)}; ${this.capabilities.map((c) => c.resource).join(', ')} meet it by `
        + `${[...new Set(this.capabilities.map((c) => c.mechanism))].join(', ')}, but anything else ${this.backupCopies.system.node.path} backs up `
        + `relies on ${capability.mechanism} alone, with an RPO of ${describeDuration(capability.deliverable)}: replicate it too, or accept that RPO for it`);
    }
    const cadence = this.backupCopies.system.copyCadence(this.backupCopies.destination)!;
    // The windows matter where the copies are held to the RPO: the sole mechanism, or one that meets it.
    const heldToRpo = this.capabilities.length === 0 || capability.deliverable.toMilliseconds() <= this.ctx.rpo.toMilliseconds();
    if (warn && heldToRpo && cadence.worstCaseAge.toMilliseconds() > this.ctx.rpo.toMilliseconds()) {
      Annotations.of(this).addWarningV2('cdk-compliant-backup:rpo-windows',
        `${this.backupCopies.system.node.path} tiers['${cadence.tierName}'] backs up every ${describeDuration(cadence.interval)}, but with its `
        + `start and completion windows a copy can be ${describeDuration(cadence.worstCaseAge)} old, more than the RPO of ${describeDuration(this.ctx.rpo)}`);
    }
  }
}
