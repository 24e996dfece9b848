import { Duration } from 'aws-cdk-lib';

/**
 * The S3 low-cost warm storage tier of AWS Backup for the system's primary vault.
 *
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-tiering.html
 */
export interface S3LowCostTierOptions {
  /**
   * How long an S3 recovery point stays in the vault before AWS Backup moves it to the
   * low-cost warm tier (same restore performance, lower storage price, a one-time
   * per-object transition fee; the move is one-way). Whole days, 60-36500, and shorter than
   * the longest retention of the tiers whose S3 backups land in the primary vault.
   */
  readonly tierDownAfter: Duration;
}
