import { Duration } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import { IndexedResourceType } from './backup-indexes';
import { MalwareScanMode } from './malware-scanning';

// The tier options' enums are public API: exported from here, where the options are.
export { IndexedResourceType } from './backup-indexes';
export { MalwareScanMode } from './malware-scanning';

/**
 * Options of a `BackupTier` preset. Everything is optional: the preset fills the
 * name, the schedule and the retention.
 */
export interface BackupTierOptions {
  /**
   * The tier's name, also the backup rule's name (letters, digits, `-`, `_`, `.`; up to 50).
   *
   * @default - the preset's name (`hourly`, `daily`, `weekly`, `monthly`, `continuous`)
   */
  readonly name?: string;
  /**
   * When backups start: a cron schedule (AWS Backup rejects rate()).
   *
   * @default - the preset's schedule, at 05:00 UTC for daily and longer tiers
   */
  readonly schedule?: events.Schedule;
  /**
   * How long recovery points are kept.
   *
   * @default - the preset's retention: hourly 7 days, daily 35 days, weekly 90 days,
   *            monthly 365 days, continuous 35 days
   */
  readonly retention?: Duration;
  /**
   * Move recovery points to cold storage after this long. Retention must then be
   * at least 90 days longer.
   *
   * @default - recovery points stay in warm storage
   */
  readonly moveToColdStorageAfter?: Duration;
  /**
   * Back up into the system's logically air-gapped vault too (supported resources go
   * there directly; AWS Backup keeps the others in the primary vault).
   *
   * @default false
   */
  readonly airGapped?: boolean;
  /**
   * Copy every recovery point into the DR vault of the `CrossRegionDr` wired to this system.
   *
   * @default false
   */
  readonly copyToDr?: boolean;
  /**
   * Copy every recovery point into these vaults (another region or account).
   *
   * @default - no copies
   */
  readonly copyTo?: backup.IBackupVault[];
  /**
   * How long copies are kept. When neither this nor `copyMoveToColdStorageAfter` is
   * set, copies inherit the tier's whole lifecycle; otherwise the copy lifecycle is
   * exactly what these two say.
   *
   * @default - the tier's lifecycle
   */
  readonly copyRetention?: Duration;
  /**
   * Move copies to cold storage after this long (see `copyRetention`).
   *
   * @default - the tier's lifecycle
   */
  readonly copyMoveToColdStorageAfter?: Duration;
  /**
   * How long after the scheduled time a backup may start before it is cancelled. At least 1 hour.
   *
   * @default Duration.hours(1)
   */
  readonly startWindow?: Duration;
  /**
   * How long a started backup may run before it is cancelled. Longer than the start window.
   *
   * @default Duration.hours(8)
   */
  readonly completionWindow?: Duration;
  /**
   * The IANA time zone of the schedule, e.g. `Europe/Berlin`.
   *
   * @default UTC
   */
  readonly scheduleTimeZone?: string;
  /**
   * Tags added to every recovery point of this tier.
   *
   * @default - a `BackupTier` tag with the tier's name
   */
  readonly recoveryPointTags?: Record<string, string>;

  // --- Storage tiers (issue 14) ---
  /**
   * Move EBS snapshots to the EBS Snapshots Archive tier when they go cold
   * (`Lifecycle.OptInToArchiveForSupportedResources`), on the rule and on every copy whose
   * lifecycle moves to cold storage. Without it AWS Backup keeps EBS snapshots in warm
   * storage whatever `moveToColdStorageAfter` says. Needs `moveToColdStorageAfter` or
   * `copyMoveToColdStorageAfter`. An archived snapshot becomes a full snapshot, stays
   * archived at least 90 days and takes up to 72 hours to restore; AWS recommends archiving
   * monthly or rarer snapshots, not daily ones
   * (https://docs.aws.amazon.com/ebs/latest/userguide/snapshot-archive-considerations.html).
   *
   * @default false
   */
  readonly archiveEbsSnapshots?: boolean;

  // --- Malware scanning and backup indexes (issue 14) ---
  /**
   * Scan every recovery point of the tier for malware with Amazon GuardDuty Malware Protection
   * for AWS Backup (EBS, EC2 and S3 recovery points). The system creates the scanner role,
   * a SCAN_JOB_REPORT report plan and an alarm on infected and failed scans.
   *
   * @default - no malware scanning
   */
  readonly malwareScan?: MalwareScanMode;
  /**
   * Index the tier's recovery points of this resource type for search and item-level restore
   * (one type per tier; not on an air-gapped tier). The system alarms on failed indexing.
   *
   * @default - no backup index
   */
  readonly backupIndexes?: IndexedResourceType[];
}

/**
 * A complete backup tier. Flat: every `BackupTierOptions` field, with name,
 * schedule and retention required.
 */
export interface BackupTierProps {
  /** The tier's name, also the backup rule's name (letters, digits, `-`, `_`, `.`; up to 50). */
  readonly name: string;
  /** When backups start: a cron schedule (AWS Backup rejects rate()). */
  readonly schedule: events.Schedule;
  /** How long recovery points are kept. */
  readonly retention: Duration;
  /**
   * Continuous backup (point-in-time recovery) for supported resources; retention 1-35 days, no cold storage.
   *
   * @default false
   */
  readonly continuous?: boolean;
  /**
   * Move recovery points to cold storage after this long; retention must be at least 90 days longer.
   *
   * @default - recovery points stay in warm storage
   */
  readonly moveToColdStorageAfter?: Duration;
  /**
   * Back up into the system's logically air-gapped vault too.
   *
   * @default false
   */
  readonly airGapped?: boolean;
  /**
   * Copy every recovery point into the DR vault of the `CrossRegionDr` wired to the system.
   *
   * @default false
   */
  readonly copyToDr?: boolean;
  /**
   * Copy every recovery point into these vaults (another region or account).
   *
   * @default - no copies
   */
  readonly copyTo?: backup.IBackupVault[];
  /**
   * How long copies are kept; with `copyMoveToColdStorageAfter`, the copy lifecycle is exactly these two.
   *
   * @default - the tier's lifecycle
   */
  readonly copyRetention?: Duration;
  /**
   * Move copies to cold storage after this long; set `copyRetention` too (at least 90 days longer).
   *
   * @default - the tier's lifecycle
   */
  readonly copyMoveToColdStorageAfter?: Duration;
  /**
   * How long after the scheduled time a backup job may start before it is cancelled (at least 1 hour, whole minutes).
   *
   * @default Duration.hours(1)
   */
  readonly startWindow?: Duration;
  /**
   * How long a started job may run before AWS Backup cancels it; longer than the start window.
   *
   * @default Duration.hours(8)
   */
  readonly completionWindow?: Duration;
  /**
   * The IANA time zone of `schedule`, for example `Europe/Berlin`.
   *
   * @default UTC
   */
  readonly scheduleTimeZone?: string;
  /**
   * Tags AWS Backup puts on every recovery point of the tier.
   *
   * @default - a `BackupTier` tag with the tier's name
   */
  readonly recoveryPointTags?: Record<string, string>;

  // --- Storage tiers (issue 14) ---
  /**
   * Move EBS snapshots to the EBS Snapshots Archive tier when they go cold
   * (`Lifecycle.OptInToArchiveForSupportedResources`), on the rule and on every copy whose
   * lifecycle moves to cold storage. Without it AWS Backup keeps EBS snapshots in warm
   * storage whatever `moveToColdStorageAfter` says. Needs `moveToColdStorageAfter` or
   * `copyMoveToColdStorageAfter`. An archived snapshot becomes a full snapshot, stays
   * archived at least 90 days and takes up to 72 hours to restore; AWS recommends archiving
   * monthly or rarer snapshots, not daily ones
   * (https://docs.aws.amazon.com/ebs/latest/userguide/snapshot-archive-considerations.html).
   *
   * @default false
   */
  readonly archiveEbsSnapshots?: boolean;

  // --- Malware scanning and backup indexes (issue 14) ---
  /**
   * Scan every recovery point of the tier for malware with Amazon GuardDuty Malware Protection
   * for AWS Backup (EBS, EC2 and S3 recovery points). The system creates the scanner role,
   * a SCAN_JOB_REPORT report plan and an alarm on infected and failed scans.
   *
   * @default - no malware scanning
   */
  readonly malwareScan?: MalwareScanMode;
  /**
   * Index the tier's recovery points of this resource type for search and item-level restore
   * (one type per tier; not on an air-gapped tier). The system alarms on failed indexing.
   *
   * @default - no backup index
   */
  readonly backupIndexes?: IndexedResourceType[];
}

/** The lifecycle of a recovery point or a copy. */
export interface TierLifecycle {
  /**
   * Delete after this long.
   *
   * @default - never
   */
  readonly deleteAfter?: Duration;
  /**
   * Move to cold storage after this long.
   *
   * @default - never
   */
  readonly moveToColdStorageAfter?: Duration;
}

/**
 * One tier of a backup plan: how often, how long, where. Becomes one backup rule.
 *
 * @example
 * import { Duration } from 'aws-cdk-lib';
 * import { BackupTier } from 'cdk-compliant-backup';
 *
 * BackupTier.daily({ retention: Duration.days(2555), moveToColdStorageAfter: Duration.days(90), copyToDr: true });
 */
export class BackupTier {
  /** Every hour on the hour; kept 7 days. */
  public static hourly(options: BackupTierOptions = {}): BackupTier {
    return BackupTier.preset('hourly', events.Schedule.cron({ minute: '0' }), Duration.days(7), options);
  }

  /** Every day at 05:00 UTC; kept 35 days. */
  public static daily(options: BackupTierOptions = {}): BackupTier {
    return BackupTier.preset('daily', events.Schedule.cron({ minute: '0', hour: '5' }), Duration.days(35), options);
  }

  /** Every Sunday at 05:00 UTC; kept 90 days. */
  public static weekly(options: BackupTierOptions = {}): BackupTier {
    return BackupTier.preset('weekly', events.Schedule.cron({ minute: '0', hour: '5', weekDay: 'SUN' }), Duration.days(90), options);
  }

  /** On the first of every month at 05:00 UTC; kept 365 days. */
  public static monthly(options: BackupTierOptions = {}): BackupTier {
    return BackupTier.preset('monthly', events.Schedule.cron({ minute: '0', hour: '5', day: '1' }), Duration.days(365), options);
  }

  /**
   * Continuous backup (point-in-time recovery) for resources that support it, with a
   * daily snapshot for the others; kept 35 days, the longest AWS Backup allows.
   */
  public static continuous(options: BackupTierOptions = {}): BackupTier {
    return new BackupTier({
      ...options,
      name: options.name ?? 'continuous',
      schedule: options.schedule ?? events.Schedule.cron({ minute: '0', hour: '5' }),
      retention: options.retention ?? Duration.days(35),
      continuous: true,
    });
  }

  private static preset(name: string, schedule: events.Schedule, retention: Duration, options: BackupTierOptions): BackupTier {
    return new BackupTier({
      ...options,
      name: options.name ?? name,
      schedule: options.schedule ?? schedule,
      retention: options.retention ?? retention,
    });
  }

  /** The tier as declared, with defaults filled in. */
  public readonly props: BackupTierProps;

  /**
   * @param props the whole tier; the presets (`BackupTier.daily()` and the others) fill most of it
   */
  constructor(props: BackupTierProps) {
    this.props = {
      ...props,
      startWindow: props.startWindow ?? Duration.hours(1),
      completionWindow: props.completionWindow ?? Duration.hours(8),
      recoveryPointTags: props.recoveryPointTags ?? { BackupTier: props.name },
    };
  }

  /** The tier's name. */
  public get name(): string {
    return this.props.name;
  }

  /** How long recovery points are kept. */
  public get retention(): Duration {
    return this.props.retention;
  }

  /** Whether the tier keeps continuous (point-in-time) backups. */
  public get isContinuous(): boolean {
    return this.props.continuous ?? false;
  }

  /** Whether the tier also lands in the logically air-gapped vault. */
  public get airGapped(): boolean {
    return this.props.airGapped ?? false;
  }

  /** The lifecycle of copies: the tier's own unless a copy lifecycle prop is set. */
  public get copyLifecycle(): TierLifecycle {
    const { copyRetention, copyMoveToColdStorageAfter } = this.props;
    if (copyRetention === undefined && copyMoveToColdStorageAfter === undefined) {
      return { deleteAfter: this.props.retention, moveToColdStorageAfter: this.props.moveToColdStorageAfter };
    }
    return { deleteAfter: copyRetention, moveToColdStorageAfter: copyMoveToColdStorageAfter };
  }
}
