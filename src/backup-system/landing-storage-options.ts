import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * The object-locked landing bucket that applications push their own backups into
 * (for example a nightly document export), with its lifecycle.
 *
 * Every object version is locked for `objectLockRetention` from the moment it lands,
 * verified by a checksum that is recorded in the backup catalog, listed in a daily
 * inventory, and moved to cold storage after `transitionToColdAfter`. Tenants own the
 * key prefix `<tenantId>/`.
 */
export interface LandingStorageOptions {
  /**
   * The Object Lock mode applied by default to every object version that lands.
   *
   * `GOVERNANCE`: principals with `s3:BypassGovernanceRetention` can still shorten or
   * remove a lock (break glass). `COMPLIANCE`: nobody, the root user included, can
   * shorten or remove it until it expires — the bucket cannot be emptied before then.
   *
   * @default s3.ObjectLockMode.GOVERNANCE
   */
  readonly objectLockMode?: s3.ObjectLockMode;

  /**
   * How long each object version is locked after it lands. Whole days, 1-36500.
   *
   * @default Duration.days(30)
   */
  readonly objectLockRetention?: Duration;

  /**
   * When current object versions move to S3 Glacier Instant Retrieval: same
   * millisecond reads as S3 Standard (a restore needs no thaw), lower storage price,
   * 90-day minimum storage charge. Whole days.
   *
   * @default Duration.days(30)
   */
  readonly transitionToColdAfter?: Duration;

  /**
   * When an object version that was overwritten or deleted (a noncurrent version)
   * expires. Whole days, and at least `objectLockRetention`: a shorter expiration would
   * promise a deletion that the lock forbids. S3 lifecycle never removes a locked
   * version in any case.
   *
   * @default - the object lock retention: a version expires once no default lock can still hold it
   *            (it became noncurrent after it landed, so its lock has run out by then)
   */
  readonly noncurrentVersionExpiration?: Duration;
}
