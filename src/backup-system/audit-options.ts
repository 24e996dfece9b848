import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

/** A format AWS Backup Audit Manager writes reports in. */
export enum ReportFormat {
  /** Comma-separated values, one row per job or resource. */
  CSV = 'CSV',
  /** JSON, for tools that read the reports. */
  JSON = 'JSON',
}

/** The AWS Backup Audit Manager report templates. */
export enum ReportTemplate {
  /** Every backup job and its outcome. */
  BACKUP_JOB_REPORT = 'BACKUP_JOB_REPORT',
  /** Every copy job (cross-region and cross-account copies) and its outcome. */
  COPY_JOB_REPORT = 'COPY_JOB_REPORT',
  /** Every restore job, restore tests included, and its outcome. */
  RESTORE_JOB_REPORT = 'RESTORE_JOB_REPORT',
  /** The compliance of each control of the audit framework. */
  CONTROL_COMPLIANCE_REPORT = 'CONTROL_COMPLIANCE_REPORT',
  /** The compliance of each resource against the audit framework's controls. */
  RESOURCE_COMPLIANCE_REPORT = 'RESOURCE_COMPLIANCE_REPORT',
  /** Every malware scan job (GuardDuty Malware Protection for AWS Backup), its state and its result. */
  SCAN_JOB_REPORT = 'SCAN_JOB_REPORT',
}

/**
 * The audit part of a `CompliantBackupSystem`.
 */
export interface AuditOptions {
  /**
   * The framework's name: starts with a letter; letters, digits and underscores; up to 256.
   * Changing it replaces the framework.
   *
   * @default - derived from the construct path
   */
  readonly frameworkName?: string;
  /**
   * Formats of every report.
   *
   * @default [ReportFormat.CSV, ReportFormat.JSON]
   */
  readonly reportFormats?: ReportFormat[];
  /**
   * Where reports are delivered. It must allow AWS Backup's report delivery to write
   * (see the README).
   *
   * @default - a new KMS-encrypted, versioned, TLS-only, access-logged bucket
   */
  readonly reportBucket?: s3.IBucket;
  /**
   * Lock report objects (S3 object lock, governance mode) for this long. Opt-in:
   * AWS does not document report delivery into an object-locked bucket.
   *
   * @default - no object lock
   */
  readonly reportObjectLockRetention?: Duration;
  /**
   * Create an AWS Config recorder for the resource types the framework evaluates.
   * Only one recorder may exist per region (AWS Control Tower may already own it).
   *
   * @default false - a synth warning says what to check
   */
  readonly configRecorder?: boolean;
  /**
   * Create the audit framework (AWS Backup Audit Manager) whose controls are derived from
   * the tiers. A compliance profile needs it: it is the profile's evidence. It evaluates
   * nothing unless AWS Config records the backup resource types (see `configRecorder`).
   *
   * @default true
   */
  readonly framework?: boolean;
  /**
   * The reports to deliver, one report plan each. `[]` creates no report plan (and no
   * report bucket, unless `configRecorder` needs it). The compliance reports need the framework.
   *
   * @default - backup, copy and restore jobs, control and resource compliance, and scan jobs
   *            while a tier has `malwareScan`
   */
  readonly reportTemplates?: ReportTemplate[];
  /**
   * Add the restore-time control with this target.
   *
   * @default - no restore-time control
   */
  readonly maxRestoreTime?: Duration;
}
