import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * How `CrossRegionDr.replicateBucket()` replicates one bucket into the DR region.
 *
 * The bucket gets one replication rule with S3 Replication Time Control (RTC):
 * S3 replicates 99.99% of new objects within 15 minutes and reports every rule's
 * latency, so this is the only S3 replication that can serve an RPO, and no RPO
 * under 15 minutes. Replication is live only: objects written before the rule
 * exists (and objects whose replication failed) are not replicated; copy them with
 * S3 Batch Replication (a one-off S3 Batch Operations job with its own role
 * trusted by `batchoperations.s3.amazonaws.com`).
 *
 * Replicas keep the encryption type of their source object: objects encrypted with
 * SSE-KMS are re-encrypted with the DR key, objects encrypted with SSE-S3 stay
 * SSE-S3 (the replica bucket's default key applies only to unencrypted objects).
 * Use a KMS-encrypted source bucket to have every replica under the DR key.
 */
export interface ReplicateBucketOptions {
  /**
   * Name of the replica bucket in the DR region: 3-63 lowercase letters, digits,
   * hyphens and dots, starting and ending with a letter or digit.
   *
   * @default - deterministic from the CrossRegionDr's name prefix and the source bucket's construct path
   */
  readonly replicaBucketName?: string;

  /**
   * Storage class of the replicas. Archive classes (`GLACIER`, `DEEP_ARCHIVE`) must be
   * restored before they can be read, so they are rejected when the declared RTO is
   * shorter than a standard restore (5 and 12 hours).
   *
   * @default - STANDARD
   */
  readonly storageClass?: s3.StorageClass;

  /**
   * Replicate delete markers, so that an object deleted in the primary region is
   * also hidden in the replica (the replica keeps every version either way; S3
   * never replicates the deletion of a version).
   *
   * @default true
   */
  readonly replicateDeleteMarkers?: boolean;
}
