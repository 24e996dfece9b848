import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DrDatabaseNetworkOptions } from './database-network-options';
import { FailoverOptions } from './failover-options';
import { AuditedVaultProps } from '../audited-vault-props';
import { CompliantBackupSystem } from '../backup-system';

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
   * Where the DR database secondaries run: your VPC in the DR region, so the application
   * that fails over can reach them.
   *
   * @default - an isolated VPC of the library's (no ingress, no internet) in the recovery stack
   */
  readonly databaseNetwork?: DrDatabaseNetworkOptions;
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
