import { RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createReportPlans } from './audit';
import { AuditOptions, ReportTemplate } from './audit-options';
import { IndexedResourceType, allowBackupRoleToIndexEbs, createIndexFailureRule } from './backup-indexes';
import { BackupTier } from './backup-tier';
import { allowBackupRoleToScan, createScanAlarmRule, createScannerRole } from './malware-scanning';
import { BackupPlanModel } from './plan';

/** The audit evidence a scan job report joins, once the system has created it. */
export interface ScanReportTarget {
  readonly audit: AuditOptions;
  readonly bucket?: s3.IBucket;
  readonly framework?: backup.CfnFramework;
  readonly reportPlans: backup.CfnReportPlan[];
  readonly removalPolicy: RemovalPolicy;
}

/**
 * What scanning and indexing tiers bring to a CompliantBackupSystem, each created once, when
 * the first tier that needs it joins the plan (at construction or through addTier): the
 * scanner role, the backup role's scan policy, the scan alarm and the scan job report; the
 * indexing alarm and, for EBS indexes, the backup role's EBS direct read policy. Created in
 * the system's scope: their construct ids are public API.
 */
export class ScanAndIndexResources {
  private scanner?: iam.IRole;
  private indexFailureRule?: events.Rule;
  private ebsIndexPolicy?: iam.ManagedPolicy;
  private reports?: ScanReportTarget;

  constructor(
    private readonly system: Construct,
    private readonly model: BackupPlanModel,
    private readonly backupRole: iam.IRole,
    private readonly alarmTopic: sns.ITopic,
  ) {}

  /** The scanner role, once a tier scans. */
  public get scannerRole(): iam.IRole | undefined {
    return this.scanner;
  }

  /** A tier joined the plan: create what its scanning and indexing need. */
  public tierAdded(tier: BackupTier): void {
    if (tier.props.malwareScan !== undefined) this.scanning();
    const indexes = tier.props.backupIndexes ?? [];
    if (indexes.length > 0) {
      this.indexFailureRule ??= createIndexFailureRule(this.system, this.alarmTopic);
      if (indexes.includes(IndexedResourceType.EBS)) this.ebsIndexPolicy ??= allowBackupRoleToIndexEbs(this.system, this.backupRole);
    }
  }

  /** The audit evidence exists: the scan job report can join it (now, or when the first tier scans). */
  public reportsReady(target: ScanReportTarget): void {
    this.reports = target;
    if (this.scanner) this.addScanJobReport();
  }

  private scanning(): void {
    if (this.scanner) return;
    this.scanner = createScannerRole(this.system);
    this.model.scannerRoleArn = this.scanner.roleArn;
    allowBackupRoleToScan(this.system, this.backupRole, this.scanner);
    createScanAlarmRule(this.system, this.alarmTopic);
    if (this.reports) this.addScanJobReport();
  }

  /** The scan job report joins the default reports, never a list the user chose. */
  private addScanJobReport(): void {
    const r = this.reports!;
    if (r.audit.reportTemplates !== undefined || !r.bucket) return;
    r.reportPlans.push(...createReportPlans(this.system, r.bucket, r.framework, r.audit, [ReportTemplate.SCAN_JOB_REPORT], r.removalPolicy));
  }
}
