import { RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';

/** Recovery points created between two instants, both included. */
export interface LegalHoldDateRange {
  /** The earliest creation time of a held recovery point (inclusive). */
  readonly fromDate: Date;
  /** The latest creation time of a held recovery point (inclusive); not in the future. */
  readonly toDate: Date;
}

/**
 * A legal hold (`AWS::Backup::LegalHold`): the recovery points it selects cannot be deleted,
 * by their lifecycle or by anyone, until the hold is cancelled.
 */
export interface LegalHoldOptions {
  /** The hold's title, as reviewers will see it (for example the matter or case number). */
  readonly title: string;
  /** Why the recovery points are held. */
  readonly description: string;
  /**
   * The vaults whose recovery points are held (vaults of this account and region).
   *
   * @default - this system's vaults: the primary vault, and the air-gapped vault when there is one
   */
  readonly vaults?: backup.IBackupVault[];
  /**
   * Hold only the recovery points of these resources (ARNs of the backed-up resources).
   *
   * @default - the recovery points of every resource in the vaults
   */
  readonly resourceArns?: string[];
  /**
   * Hold only the recovery points created in this range.
   *
   * @default - recovery points of any creation date
   */
  readonly dateRange?: LegalHoldDateRange;
  /**
   * What happens to the hold when it leaves the stack. The system's `removalPolicy` does not
   * apply: releasing a legal hold must be a deliberate decision.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
