import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';

/**
 * How restore testing picks the recovery point it restores.
 */
export enum RestoreTestingAlgorithm {
  /** The newest recovery point inside the selection window. */
  LATEST_WITHIN_WINDOW = 'LATEST_WITHIN_WINDOW',
  /** A random recovery point inside the selection window. */
  RANDOM_WITHIN_WINDOW = 'RANDOM_WITHIN_WINDOW',
}

/**
 * The resource types AWS Backup restore testing supports (`ProtectedResourceType`
 * of `AWS::Backup::RestoreTestingSelection`).
 *
 * The library's validator checks restored S3 buckets, DynamoDB tables, EBS
 * volumes, RDS DB instances and clusters, and Aurora clusters; the other types are
 * restored and timed, and stay for the validation window so a check of your own
 * can report on them.
 */
export enum RestoreTestingResourceType {
  /** Amazon Aurora DB clusters. */
  AURORA = 'Aurora',
  /** Amazon DocumentDB clusters. */
  DOCUMENTDB = 'DocumentDB',
  /** Amazon DynamoDB tables. */
  DYNAMODB = 'DynamoDB',
  /** Amazon EBS volumes. */
  EBS = 'EBS',
  /** Amazon EC2 instances. */
  EC2 = 'EC2',
  /** Amazon EFS file systems. */
  EFS = 'EFS',
  /** Amazon FSx file systems. */
  FSX = 'FSx',
  /** Amazon Neptune clusters. */
  NEPTUNE = 'Neptune',
  /** Amazon RDS DB instances and Multi-AZ DB clusters. */
  RDS = 'RDS',
  /** Amazon S3 buckets. */
  S3 = 'S3',
}

/**
 * One restore testing selection: the resources of one type whose recovery points
 * are restored and validated.
 */
export interface RestoreTestingSelectionOptions {
  /**
   * The resource type this selection restores. A selection holds exactly one type;
   * add a selection per type.
   */
  readonly resourceType: RestoreTestingResourceType;
  /**
   * Restore metadata that replaces what AWS Backup infers, for example
   * `{ availabilityZone: 'eu-west-1a' }` or a subnet group. Keys are not case sensitive.
   *
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html
   * @default - the metadata AWS Backup infers
   */
  readonly restoreMetadataOverrides?: Record<string, string>;
  /**
   * How long the restored resource is kept for validation before AWS Backup deletes
   * it (sooner when a validation result is reported). 1-168 hours, whole hours.
   *
   * @default Duration.hours(4)
   */
  readonly validationWindow?: Duration;
  /**
   * The protected resources to test: `['*']`, or up to 30 ARNs of this selection's
   * resource type. With `['*']`, the backup system's selection tags (if any) narrow
   * the choice through `ProtectedResourceConditions`; specific ARNs are used as given.
   *
   * @default ['*'] - every protected resource of the type that carries the system's selection tags
   */
  readonly protectedResourceArns?: string[];
  /**
   * The selection's name: 1-50 letters, digits and underscores, unique in the plan.
   * Changing it replaces the selection.
   *
   * @default - the resource type and a counter, e.g. `EBS_1`
   */
  readonly name?: string;
}

/**
 * Scheduled restore tests of the backup system's recovery points, validated by the
 * library's restore validator. Snapshot and continuous (point-in-time) recovery
 * points in the system's vaults are both eligible.
 */
export interface RestoreTestingOptions {
  /**
   * The restore testing plan's name: 1-50 letters, digits and underscores.
   * Changing it replaces the plan.
   *
   * @default - a unique name derived from the construct path
   */
  readonly planName?: string;
  /**
   * When restore tests start. Cron schedules only.
   *
   * @default - weekly, Sundays at 05:00 (`cron(0 5 ? * SUN *)`) in `scheduleTimeZone`
   */
  readonly schedule?: events.Schedule;
  /**
   * The IANA time zone of `schedule`, for example `Europe/Berlin`.
   *
   * @default 'UTC'
   */
  readonly scheduleTimeZone?: string;
  /**
   * How long after the scheduled time a restore job may still start before it is
   * cancelled. 1-168 hours, whole hours.
   *
   * @default Duration.hours(24)
   */
  readonly startWindow?: Duration;
  /**
   * How old a recovery point may be to be chosen: 1-365 days, whole days.
   *
   * @default Duration.days(7)
   */
  readonly selectionWindow?: Duration;
  /**
   * Which recovery point inside the selection window is restored.
   *
   * @default RestoreTestingAlgorithm.LATEST_WITHIN_WINDOW
   */
  readonly algorithm?: RestoreTestingAlgorithm;
  /**
   * The resources to restore, one resource type per selection. At least one when given.
   *
   * @default - one selection per type the library's validator checks (S3, DynamoDB, EBS, RDS,
   *            Aurora) that the backup role can restore, each over every recovery point in the
   *            plan's vaults: the types the plan actually protects are tested, a type with no
   *            recovery points is never restored and costs nothing
   */
  readonly selections?: RestoreTestingSelectionOptions[];
}
