import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Where the DR database secondaries run: a VPC of the user's in the DR region, so that
 * the application that fails over can reach the database it fails over to.
 */
export interface DrDatabaseNetworkOptions {
  /** A VPC in the DR region (defined in a stack of that region, or imported). */
  readonly vpc: ec2.IVpc;
  /**
   * The subnets of the DB subnet group: at least two Availability Zones.
   *
   * @default - the VPC's private subnets (isolated, or with egress when it has no isolated ones)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The security groups of the secondaries.
   *
   * @default - a new security group without ingress or egress: allow your DR application in
   *            with `crossRegionDr.databaseSecurityGroup.addIngressRule(...)`
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}
