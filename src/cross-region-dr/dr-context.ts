import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';

import { DrArns } from './dr-arns';

export type { RpoCapability } from './rpo-capability';

/**
 * What the parts of a CrossRegionDr share. Values that cross regions are plain
 * deterministic strings (names, alias and vault ARNs), never cross-stack
 * references: CloudFormation exports do not cross regions.
 */
export interface DrContext {
  readonly primaryStack: Stack;
  /** DR foundation stack (DR region, deploys before the primary): keys, DR vault, replica buckets. */
  readonly drStack: Stack;
  /** DR recovery stack (DR region, deploys after the primary): database secondaries, readiness, runbook. */
  readonly recoveryStack: Stack;
  readonly primaryRegion: string;
  readonly drRegion: string;
  readonly account: string;
  readonly partition: string;
  readonly rpo: Duration;
  readonly rto: Duration;
  /** Lowercase, deterministic, unique per CrossRegionDr: prefix of physical names. */
  readonly namePrefix: string;
  /** The DR-region key (in drStack); use it only for resources in drStack. */
  readonly drKey: kms.IKey;
  /** `alias/...` of the DR key. */
  readonly drKeyAliasName: string;
  /** ARN of the DR key's alias, usable from any stack (S3 ReplicaKmsKeyID, RDS KmsKeyId). */
  readonly drKeyAliasArn: string;
  /** Alarm topic in the primary region (replication alarms live where S3 publishes the metrics). */
  readonly primaryAlarmTopic: sns.ITopic;
  /** Alarm topic in the DR region (recoveryStack). */
  readonly drAlarmTopic: sns.ITopic;
  /** Access-log bucket in drStack for replica buckets. */
  readonly drAccessLogBucket: s3.IBucket;
  /** Encrypts the DR alarm topic and the DR handlers' logs and dead letters (recoveryStack). */
  readonly drOperationsKey: kms.IKey;
  /** Name of the DR vault (drStack), deterministic so the other stacks can name it. */
  readonly drVaultName: string;
  /** The CloudWatch namespace of this DR's readiness and failover metrics. */
  readonly metricNamespace: string;
  /** Builds the ARNs that cross regions by name. */
  readonly arns: DrArns;
  readonly removalPolicy: RemovalPolicy;
}


/** What the readiness handler measures (its REPLICATION and DATABASES env entries). */
export interface ReplicationReadiness {
  /** Unset for a bucket CloudFormation names: readiness finds it at run time. */
  readonly sourceBucket?: string;
  readonly destinationBucket: string;
  readonly ruleId: string;
}

export interface DatabaseReadiness {
  readonly kind: 'aurora-global' | 'rds-replica' | 'dynamodb-global';
  readonly identifier: string;
  readonly region: string;
}
