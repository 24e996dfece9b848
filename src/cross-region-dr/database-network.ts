import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { databasesScope } from './database-common';
import { DrDatabaseNetworkOptions } from './database-network-options';
import { DrContext } from './dr-context';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { allowLogsToUseKey, createSecureKey } from '../private/secure-key';
import { ComplianceRuleError } from '../validation/errors';

/** The network the DR secondaries run in. */
export interface DrDatabaseNetwork {
  /** Name of the DB subnet group. */
  readonly subnetGroupName: string;
  /** The security groups of every secondary. */
  readonly securityGroupIds: string[];
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /**
   * The secondaries' security group when the library created it. It has no ingress:
   * allow the DR region's application in (`securityGroup.addIngressRule`).
   */
  readonly securityGroup?: ec2.ISecurityGroup;
}

/**
 * The network of the DR secondaries, in the recovery stack. With `options`, the user's
 * VPC, subnets and security groups; otherwise an isolated VPC of the library's: isolated
 * subnets only (replication is service-managed and does not flow through the VPC), in
 * two Availability Zones chosen at deploy time (so synth needs no AZ lookup), flow logs
 * to a KMS-encrypted log group, and a security group without ingress and egress.
 */
export function createDrDatabaseNetwork(ctx: DrContext, drPath: string, options?: DrDatabaseNetworkOptions): DrDatabaseNetwork {
  const scope = new Construct(databasesScope(ctx), 'Network');
  if (options) return userNetwork(ctx, scope, drPath, options);

  const key = createSecureKey(scope, 'FlowLogKey', {
    description: `Encrypts the flow logs of the DR database VPC of ${ctx.namePrefix}`,
    removalPolicy: ctx.removalPolicy,
  });
  allowLogsToUseKey(key, ctx.drRegion, ctx.account, ctx.partition);
  const flowLogGroup = new logs.LogGroup(scope, 'FlowLogs', {
    encryptionKey: key,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: ctx.removalPolicy,
  });
  const flowLogRole = new ManagedPolicyRole(scope, 'FlowLogRole', {
    assumedBy: new iam.PrincipalWithConditions(new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'), {
      StringEquals: { 'aws:SourceAccount': ctx.account },
    }),
    description: `Delivers the flow logs of the DR database VPC of ${ctx.namePrefix}`,
  });

  const vpc = new ec2.Vpc(scope, 'Vpc', {
    // Two zones picked by Fn::GetAZs at deploy time (see DrRecoveryStack): no context lookup.
    availabilityZones: Stack.of(scope).availabilityZones,
    natGateways: 0,
    subnetConfiguration: [{ name: 'databases', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    // Removes the default security group's rules (a CDK custom resource): nothing may use it.
    restrictDefaultSecurityGroup: true,
    flowLogs: {
      all: {
        destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup, flowLogRole),
        trafficType: ec2.FlowLogTrafficType.ALL,
      },
    },
  });
  const provider = Stack.of(vpc).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
  if (provider) {
    Validations.of(provider).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason: 'aws-cdk-lib\'s provider that removes the rules of the VPC\'s default security group runs only during deployment, '
        + 'calls only the EC2 API and holds no data; placing it in the isolated VPC would cut it off from that API.',
    });
  }
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc,
    allowAllOutbound: false,
    description: 'DR database secondaries: no ingress until the DR application is allowed in, no egress',
  });
  const subnetGroup = subnetGroupOf(ctx, scope, vpc.isolatedSubnets.map((s) => s.subnetId));
  return { subnetGroupName: subnetGroup.ref, securityGroupIds: [securityGroup.securityGroupId], vpc, securityGroup };
}

function userNetwork(ctx: DrContext, scope: Construct, drPath: string, options: DrDatabaseNetworkOptions): DrDatabaseNetwork {
  const region = options.vpc.env.region;
  if (!Token.isUnresolved(region) && region !== ctx.drRegion) {
    throw new ComplianceRuleError(scope.node.scope!, 'databaseNetwork.vpc', `a VPC in ${region} (${options.vpc.node.path})`,
      `the DR secondaries run in the DR region ${ctx.drRegion}: pass a VPC of that region (${drPath})`);
  }
  const selection = options.vpcSubnets ?? {
    subnetType: options.vpc.isolatedSubnets.length > 0 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS,
  };
  const subnets = options.vpc.selectSubnets(selection);
  const zones = new Set(subnets.availabilityZones);
  if (subnets.subnetIds.length === 0 || (!subnets.availabilityZones.some((z) => Token.isUnresolved(z)) && zones.size < 2)) {
    throw new ComplianceRuleError(scope.node.scope!, 'databaseNetwork.vpcSubnets', `${subnets.subnetIds.length} subnets in ${zones.size} Availability Zones`,
      'a DB subnet group needs subnets in at least two Availability Zones of the DR VPC');
  }
  let securityGroup: ec2.ISecurityGroup | undefined;
  let groups = options.securityGroups ?? [];
  if (groups.length === 0) {
    securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
      vpc: options.vpc,
      allowAllOutbound: false,
      description: 'DR database secondaries: no ingress until the DR application is allowed in, no egress',
    });
    groups = [securityGroup];
  }
  const subnetGroup = subnetGroupOf(ctx, scope, subnets.subnetIds);
  return { subnetGroupName: subnetGroup.ref, securityGroupIds: groups.map((g) => g.securityGroupId), vpc: options.vpc, securityGroup };
}

function subnetGroupOf(ctx: DrContext, scope: Construct, subnetIds: string[]): rds.CfnDBSubnetGroup {
  return new rds.CfnDBSubnetGroup(scope, 'SubnetGroup', {
    dbSubnetGroupName: `${ctx.namePrefix}-dr-databases`,
    dbSubnetGroupDescription: `Isolated subnets of the DR database secondaries of ${ctx.namePrefix}`,
    subnetIds,
  });
}
