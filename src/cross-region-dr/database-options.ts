import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * How `CrossRegionDr.addAuroraGlobalCluster()` builds the Aurora global database
 * and its secondary cluster in the DR region.
 */
export interface AuroraGlobalClusterOptions {
  /**
   * Identifier of the `AWS::RDS::GlobalCluster` that joins the source cluster and the
   * secondary: 1-63 letters, digits and hyphens, starting with a letter, no `--`, no
   * trailing hyphen. Global cluster identifiers are unique per account across regions.
   *
   * @default - derived from the CrossRegionDr's name prefix and the source cluster identifier
   */
  readonly globalClusterIdentifier?: string;
  /**
   * Identifier of the secondary DB cluster in the DR region (same rules as above).
   *
   * @default - `<source cluster identifier>-dr`
   */
  readonly secondaryClusterIdentifier?: string;
  /**
   * Instance class of the secondary cluster's instances. A failed-over secondary
   * takes the primary's load, so size it like the primary writer.
   *
   * @default - the class of the source cluster's writer when it is known at synth, else r6g.large
   */
  readonly secondaryInstanceClass?: ec2.InstanceType;
  /**
   * Number of DB instances in the secondary cluster, 1-16. At least one is needed
   * for the secondary to take writes right after a failover.
   *
   * @default 1
   */
  readonly secondaryInstances?: number;
}

/**
 * How `CrossRegionDr.addRdsReadReplica()` builds the cross-region read replica.
 */
export interface RdsReadReplicaOptions {
  /**
   * Identifier of the read replica in the DR region: 1-63 letters, digits and
   * hyphens, starting with a letter, no `--`, no trailing hyphen.
   *
   * @default - `<source instance identifier>-dr`
   */
  readonly replicaIdentifier?: string;
  /**
   * Instance class of the replica. A promoted replica takes the primary's load.
   *
   * @default - the source instance's class when it is known at synth (error otherwise)
   */
  readonly instanceClass?: ec2.InstanceType;
  /**
   * Run the replica as a Multi-AZ deployment. A promoted replica then is highly
   * available from its first minute as the primary; turning it off halves the cost
   * of the standby and leaves a single-AZ primary after failover.
   *
   * @default true
   */
  readonly multiAz?: boolean;
}
