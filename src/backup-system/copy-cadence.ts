import { Duration } from 'aws-cdk-lib';

/** How fresh the copies in one vault can be: the most frequent tier that copies there sets it. */
export interface CopyCadence {
  /** The tier that copies most often into the vault. */
  readonly tierName: string;
  /** The longest gap between two of that tier's scheduled backups. */
  readonly interval: Duration;
  /** The interval plus the tier's start and completion windows: the oldest a newest copy can be. */
  readonly worstCaseAge: Duration;
}
