import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { DrContext } from './dr-context';
import { FailoverOptions } from './failover-options';
import { putDrMetricsStatement } from './readiness';
import { acknowledgeWildcardResources } from '../private/acknowledgements';
import { HandlerResources, createHandler } from '../private/handler-resources';
import { ManagedPolicyRole } from '../private/managed-policy-role';

/** An Aurora global database the runbook switches: the identifiers its steps and the failover handler name. */
export interface AuroraRunbookEntry {
  readonly globalClusterIdentifier: string;
  readonly secondaryClusterArn: string;
  /** Both member clusters: the source in the primary region and the secondary in the DR region. */
  readonly memberArns: string[];
}

/** An RDS cross-region read replica the runbook promotes. */
export interface RdsRunbookEntry {
  readonly identifier: string;
  readonly arn: string;
}

/** Where the failover handler runs: Region switch needs one function in each region of the plan. */
interface FailoverSite {
  readonly handler: HandlerResources;
  readonly topic: sns.ITopic;
}

const DEFAULT_STEP_TIMEOUT = Duration.minutes(15);

/**
 * The failover runbook of a CrossRegionDr: the active-region parameter, the failover
 * handler in both regions (Region switch's custom Lambda step names one function per
 * plan region and runs the one in the activating region), and the ARC Region switch plan
 * with its execution role.
 * Database steps are registered as databases are added; the plan renders them lazily.
 */
export class Runbook {
  public readonly activeRegionParameter: ssm.StringParameter;
  /** The failover handler in the DR region (recovery stack). */
  public readonly drFailover: HandlerResources;
  /** The failover handler in the primary region (primary stack), run when failing back. */
  public readonly primaryFailover: HandlerResources;
  public readonly planRole: ManagedPolicyRole;
  public readonly plan: arcregionswitch.CfnPlan;

  private readonly aurora: AuroraRunbookEntry[] = [];
  private readonly databaseStatements = new Map<string, iam.PolicyStatement>();
  /** The parameter's name as a plain string: the primary-region handler cannot reference the DR stack. */
  private readonly parameterName: string;
  /** Deterministic, so the plan in the DR region names it without a cross-region reference. */
  private readonly primaryFailoverName: string;
  private readonly rdsReplicas: RdsRunbookEntry[] = [];
  private readonly stepTimeout: Duration;
  private readonly hostedZoneId?: string;

  constructor(
    private readonly ctx: DrContext,
    primaryScope: Construct,
    drPath: string,
    private readonly options: FailoverOptions,
    primaryOperationsKey: kms.IKey,
  ) {
    const recovery = ctx.recoveryStack;
    this.stepTimeout = options.stepTimeout ?? DEFAULT_STEP_TIMEOUT;
    this.hostedZoneId = options.hostedZone?.hostedZoneId;
    const primaryName = ctx.primaryStack.stackName;

    this.parameterName = options.activeRegionParameterName ?? `/${ctx.namePrefix}/active-region`;
    this.primaryFailoverName = `${ctx.namePrefix}-failback`;
    this.activeRegionParameter = new ssm.StringParameter(recovery, 'ActiveRegion', {
      parameterName: this.parameterName,
      stringValue: ctx.primaryRegion,
      description: `The region the application of ${primaryName} serves from; flipped by the failover runbook`,
    });
    // After a failover it holds the answer to "where does the application run now?": never drop it on replace.
    this.activeRegionParameter.applyRemovalPolicy(ctx.removalPolicy);

    const drSite = this.createFailover(recovery, 'Failover', ctx.drOperationsKey, ctx.drAlarmTopic,
      `Fails ${primaryName} over to ${ctx.drRegion}: databases, active-region parameter, notification, RTO`);
    // Failing back runs in the primary region, which is healthy by then: its report goes to the primary alarm topic.
    const primarySite = this.createFailover(primaryScope, 'PrimaryFailover', primaryOperationsKey, ctx.primaryAlarmTopic,
      `Fails ${primaryName} back to ${ctx.primaryRegion}: databases, active-region parameter, notification, RTO`, this.primaryFailoverName);
    this.drFailover = drSite.handler;
    this.primaryFailover = primarySite.handler;

    this.planRole = this.createPlanRole(drPath);
    this.plan = new arcregionswitch.CfnPlan(recovery, 'RegionSwitchPlan', {
      name: `${ctx.namePrefix}-failover`,
      description: `Fails ${primaryName} over from ${ctx.primaryRegion} to ${ctx.drRegion} and back`,
      executionRole: this.planRole.roleArn,
      recoveryApproach: 'activePassive',
      primaryRegion: ctx.primaryRegion,
      regions: [ctx.primaryRegion, ctx.drRegion],
      recoveryTimeObjectiveMinutes: Math.max(1, Math.ceil(ctx.rto.toMilliseconds() / 60_000)),
      workflows: Lazy.any({ produce: () => this.renderWorkflows() }),
    });
  }

  /** The ARNs of both failover functions, usable from the recovery stack: the DR region's first. */
  public get failoverFunctionArns(): string[] {
    return [this.drFailover.fn.functionArn, this.ctx.arns.of('lambda', this.ctx.primaryRegion, `function:${this.primaryFailoverName}`)];
  }

  /** Switchover and failover are authorized on the global cluster and on both member clusters. */
  public addAuroraGlobalCluster(entry: AuroraRunbookEntry): void {
    this.aurora.push(entry);
    this.grantDatabaseActions('aurora', ['rds:DescribeGlobalClusters', 'rds:FailoverGlobalCluster', 'rds:SwitchoverGlobalCluster'],
      [this.ctx.arns.rdsGlobalCluster(entry.globalClusterIdentifier), ...entry.memberArns]);
    // Region switch's Aurora block also reads the member clusters (AWS's sample execution policy).
    this.planStatement('DescribeAuroraClusters', ['rds:DescribeDBClusters']).addResources(...entry.memberArns);
  }

  /** Promotion is authorized on the replica; Region switch's RDS block also modifies it (AWS's sample execution policy). */
  public addRdsReadReplica(entry: RdsRunbookEntry): void {
    this.rdsReplicas.push(entry);
    this.grantDatabaseActions('rds', ['rds:DescribeDBInstances', 'rds:PromoteReadReplica'], [entry.arn]);
    this.planStatement('ModifyPromotedReplicas', ['rds:ModifyDBInstance']).addResources(entry.arn);
  }

  /** The environment entries of the failover handler that list the databases, rendered at synth. */
  private databaseEnvironment(): Record<string, string> {
    return {
      RDS_REPLICAS: Lazy.string({ produce: () => JSON.stringify(this.rdsReplicas.map((r) => r.identifier)) }),
      AURORA_GLOBAL_CLUSTERS: Lazy.string({
        produce: () => JSON.stringify(this.aurora.map(({ globalClusterIdentifier, secondaryClusterArn }) =>
          ({ globalClusterIdentifier, secondaryClusterArn }))),
      }),
    };
  }

  /**
   * The failover handlers and the Region switch plan run the same database actions: one
   * statement per kind of database, which each database extends with its ARNs, so that the
   * roles' policies grow by ARNs, not by statements, as databases are added.
   */
  private grantDatabaseActions(kind: 'aurora' | 'rds', actions: string[], resources: string[]): void {
    let statement = this.databaseStatements.get(kind);
    if (!statement) {
      statement = new iam.PolicyStatement({ actions });
      this.databaseStatements.set(kind, statement);
      for (const role of [this.drFailover.role, this.primaryFailover.role, this.planRole]) role.addToPrincipalPolicy(statement);
    }
    statement.addResources(...resources);
  }

  /** A statement of the plan role only, created once and extended with each database's ARNs. */
  private planStatement(sid: string, actions: string[]): iam.PolicyStatement {
    let statement = this.databaseStatements.get(sid);
    if (!statement) {
      statement = new iam.PolicyStatement({ sid, actions });
      this.databaseStatements.set(sid, statement);
      this.planRole.addToPrincipalPolicy(statement);
    }
    return statement;
  }

  private createFailover(scope: Construct, id: string, key: kms.IKey, topic: sns.ITopic, description: string, functionName?: string): FailoverSite {
    const ctx = this.ctx;
    const handler = createHandler(scope, id, 'failover', {
      key,
      description,
      functionName,
      timeout: this.stepTimeout,
      environment: {
        // In the recovery stack a reference (same template); in the primary stack the plain name.
        ACTIVE_REGION_PARAMETER: Stack.of(scope) === ctx.recoveryStack ? this.activeRegionParameter.parameterName : this.parameterName,
        PRIMARY_REGION: ctx.primaryRegion,
        DR_REGION: ctx.drRegion,
        TOPIC_ARN: topic.topicArn,
        METRIC_NAMESPACE: ctx.metricNamespace,
        RTO_SECONDS: String(Math.max(1, Math.ceil(ctx.rto.toMilliseconds() / 1000))),
        ...this.databaseEnvironment(),
      },
    });
    const role = handler.role;
    // The parameter lives in the DR region: named by its ARN, not by a (cross-region) reference.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ssm:GetParameter', 'ssm:PutParameter'],
      resources: [ctx.arns.ssmParameter(ctx.drRegion, this.parameterName)],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    // Publishing to an encrypted topic uses its key (createHandler already grants the handler's own key).
    const topicKey = (topic as { masterKey?: kms.IKey }).masterKey;
    if (topicKey && topicKey !== key) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [topicKey.keyArn] }));
    }
    role.addToPrincipalPolicy(putDrMetricsStatement(ctx));
    acknowledgeWildcardResources(role, [{
      resource: '*',
      reason: 'cloudwatch:PutMetricData supports no resource-level permissions; it is limited to this DR metric namespace by the cloudwatch:namespace condition.',
    }]);
    return { handler, topic };
  }

  /** The role Region switch assumes to evaluate and run the plan (AWS's sample execution policies, per block). */
  private createPlanRole(drPath: string): ManagedPolicyRole {
    const role = new ManagedPolicyRole(this.ctx.recoveryStack, 'RegionSwitchRole', {
      assumedBy: new iam.ServicePrincipal('arc-region-switch.amazonaws.com'),
      description: `ARC Region switch runs the failover runbook of ${drPath}`,
    });
    // Plan evaluation checks that both functions exist (GetFunction) before a run invokes one.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'InvokeFailoverFunctions',
      actions: ['lambda:GetFunction', 'lambda:InvokeFunction'],
      resources: this.failoverFunctionArns,
    }));
    if (this.hostedZoneId) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'ReadFailoverRecords',
        actions: ['route53:ListResourceRecordSets'],
        resources: [this.ctx.arns.route53HostedZone(this.hostedZoneId)],
      }));
    }
    return role;
  }

  private renderWorkflows(): arcregionswitch.CfnPlan.WorkflowProperty[] {
    return [
      { workflowTargetAction: 'activate', workflowTargetRegion: this.ctx.drRegion, workflowDescription: 'Fail over to the DR region', steps: this.steps(this.ctx.drRegion) },
      { workflowTargetAction: 'activate', workflowTargetRegion: this.ctx.primaryRegion, workflowDescription: 'Fail back to the primary region', steps: this.steps(this.ctx.primaryRegion) },
    ];
  }

  /** Databases first (Aurora switchover, then RDS promotion when activating DR), then DNS, then our step. */
  private steps(target: string): arcregionswitch.CfnPlan.StepProperty[] {
    const stepMinutes = Math.max(1, Math.ceil(this.stepTimeout.toSeconds() / 60));
    const steps: arcregionswitch.CfnPlan.StepProperty[] = this.aurora.map((aurora) => ({
      name: `aurora-${aurora.globalClusterIdentifier}`.slice(0, 64),
      description: 'Switch the Aurora global database writer to the target region',
      executionBlockType: 'AuroraGlobalDatabase',
      executionBlockConfiguration: {
        globalAuroraConfig: {
          behavior: 'switchoverOnly',
          globalClusterIdentifier: aurora.globalClusterIdentifier,
          databaseClusterArns: aurora.memberArns,
          timeoutMinutes: 60,
          ungraceful: { ungraceful: 'failover' },
        },
      },
    }));
    if (target === this.ctx.drRegion) {
      for (const replica of this.rdsReplicas) {
        steps.push({
          name: `promote-${replica.identifier}`.slice(0, 64),
          description: 'Promote the RDS cross-region read replica to a standalone instance',
          executionBlockType: 'RdsPromoteReadReplica',
          executionBlockConfiguration: {
            rdsPromoteReadReplicaConfig: { dbInstanceArnMap: { [this.ctx.drRegion]: replica.arn }, timeoutMinutes: 60 },
          },
        });
      }
    }
    if (this.hostedZoneId && this.options.recordName) {
      steps.push({
        name: 'route53-health-check',
        description: 'Move DNS to the target region',
        executionBlockType: 'Route53HealthCheck',
        executionBlockConfiguration: {
          route53HealthCheckConfig: { hostedZoneId: this.hostedZoneId, recordName: this.options.recordName, timeoutMinutes: 30 },
        },
      });
    }
    steps.push({
      name: 'failover-step',
      description: 'Flip the active-region parameter, notify, and record the measured RTO',
      executionBlockType: 'CustomActionLambda',
      executionBlockConfiguration: {
        customActionLambdaConfig: {
          // One function per plan region; Region switch runs the one in the activating region.
          lambdas: this.failoverFunctionArns.map((arn) => ({ arn })),
          regionToRun: 'activatingRegion',
          retryIntervalMinutes: stepMinutes,
          timeoutMinutes: stepMinutes * 2,
          ungraceful: { behavior: 'skip' },
        },
      },
    });
    return steps;
  }
}
