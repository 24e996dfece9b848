import { invokeFunction } from './deliver';
import { Actor, Check, Edge, access, constraint, roleActor, unproven } from './edge';
import { AppModel, ModelResource } from '../cfn/app-model';

/**
 * ARC Region switch plan steps, run as the plan's execution role. The permissions are
 * those of AWS's sample policies per execution block (ARC developer guide, "Execution
 * block permissions"); a custom-action Lambda step names one function per plan region.
 */
export function regionSwitchEdges(app: AppModel): Edge[] {
  const edges: Edge[] = [];
  for (const plan of app.ofType('AWS::ARCRegionSwitch::Plan')) {
    const role = app.role(String(plan.props.ExecutionRole));
    const regions: string[] = (plan.props.Regions ?? []).map(String);
    for (const workflow of (plan.props.Workflows ?? []) as any[]) {
      for (const step of (workflow.Steps ?? []) as any[]) {
        const kind = `Region switch step ${step.Name} (${workflow.WorkflowTargetAction} ${workflow.WorkflowTargetRegion ?? ''})`.replace(' )', ')');
        if (!role) {
          edges.push({ kind, source: plan, target: String(step.ExecutionBlockType), checks: [unproven(`the execution role ${plan.props.ExecutionRole} is not a role of this app`)] });
          continue;
        }
        edges.push(...stepEdges(app, plan, roleActor(app, role), regions, step, kind));
      }
    }
  }
  return edges;
}

function stepEdges(app: AppModel, plan: ModelResource, actor: Actor, regions: string[], step: any, kind: string): Edge[] {
  const config = step.ExecutionBlockConfiguration ?? {};
  const { partition, account } = plan.stack;
  const tls = { 'aws:SecureTransport': 'true' };
  switch (step.ExecutionBlockType) {
    case 'CustomActionLambda': {
      const lambdas: any[] = config.CustomActionLambdaConfig?.Lambdas ?? [];
      const arns = lambdas.map((l) => String(l.Arn));
      const covered = new Set(arns.map((a) => a.split(':')[3]));
      const missingRegions = regions.filter((r) => !covered.has(r));
      const edges: Edge[] = [{
        kind,
        source: plan,
        target: `functions in ${[...covered].join(', ')}`,
        checks: [constraint(missingRegions.length === 0,
          `the step names functions in ${[...covered].join(', ') || 'no region'} but the plan's regions are ${regions.join(', ')}: Region switch needs one function per plan region (missing ${missingRegions.join(', ')})`)],
      }];
      for (const arn of arns) {
        const d = invokeFunction(app, actor, plan.stack, arn, undefined, ['lambda:InvokeFunction', 'lambda:GetFunction']);
        edges.push({ kind, source: plan, target: d.target, checks: d.checks });
      }
      return edges;
    }
    case 'AuroraGlobalDatabase': {
      const aurora = config.GlobalAuroraConfig ?? {};
      const globalArn = `arn:${partition}:rds::${account}:global-cluster:${aurora.GlobalClusterIdentifier}`;
      const clusters: string[] = (aurora.DatabaseClusterArns ?? []).map(String);
      const checks: Check[] = [
        constraint(app.ofType('AWS::RDS::GlobalCluster').some((g) => String(g.props.GlobalClusterIdentifier).toLowerCase() === String(aurora.GlobalClusterIdentifier).toLowerCase()),
          `the global cluster ${aurora.GlobalClusterIdentifier} is not in this app`),
        ...clusters.filter((c) => !app.byArn(c)).map((c) => unproven(`the cluster ${c} is not a cluster of this app`)),
        access(actor, 'rds:DescribeGlobalClusters', globalArn, account, tls),
        ...clusters.map((c) => access(actor, 'rds:DescribeDBClusters', c, account, tls)),
        ...[globalArn, ...clusters].flatMap((r) => ['rds:FailoverGlobalCluster', 'rds:SwitchoverGlobalCluster'].map((a) => access(actor, a, r, account, tls))),
      ];
      return [{ kind, source: plan, target: `global cluster ${aurora.GlobalClusterIdentifier}`, checks }];
    }
    case 'RdsPromoteReadReplica': {
      const map: Record<string, string> = config.RdsPromoteReadReplicaConfig?.DbInstanceArnMap ?? {};
      return Object.values(map).map((arn) => ({
        kind,
        source: plan,
        target: String(arn),
        checks: [
          ...(app.byArn(String(arn)) ? [] : [unproven(`the DB instance ${arn} is not a resource of this app`)]),
          ...['rds:DescribeDBInstances', 'rds:PromoteReadReplica'].map((a) => access(actor, a, String(arn), account, tls)),
        ],
      }));
    }
    case 'Route53HealthCheck': {
      const zone = config.Route53HealthCheckConfig?.HostedZoneId;
      const zoneArn = `arn:${partition}:route53:::hostedzone/${zone}`;
      return [{ kind, source: plan, target: `hosted zone ${zone}`, checks: [access(actor, 'route53:ListResourceRecordSets', zoneArn, account, tls)] }];
    }
    default:
      return [{ kind, source: plan, target: String(step.ExecutionBlockType), checks: [unproven(`no rule of the checker judges Region switch blocks of type ${step.ExecutionBlockType}`)] }];
  }
}
