import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AdditionalResourceType } from './additional-resource-type';
import { AdvancedBackupSettings } from './advanced-backup-settings-options';
import { AuditOptions } from './audit-options';
import { BackupTier } from './backup-tier';
import { KeyStrategy } from './key-strategy';
import { LandingStorageOptions } from './landing-storage-options';
import { LegalHoldOptions } from './legal-hold-options';
import { RestoreTestingOptions } from './restore-testing-options';
import { S3LowCostTierOptions } from './s3-tiering-options';
import { SelectionConditions } from './selection-options';
import { AuditedVaultProps } from '../audited-vault-props';
import { ComplianceProfile } from '../compliance/compliance-profile';

/**
 * Properties of a `CompliantBackupSystem`.
 */
export interface CompliantBackupSystemProps {
  /**
   * The plan's tiers, one backup rule each. More can be added with `addTier()`.
   *
   * @default - one daily tier kept 35 days
   */
  readonly tiers?: BackupTier[];
  /**
   * Minimums the tiers, the vault lock and the copies must meet.
   *
   * @default - no profile
   */
  readonly profile?: ComplianceProfile;
  /**
   * Resources carrying ALL of these tags are backed up (AND, through the selection's
   * `Conditions`). Pass `{}` to select only what `protect()` names.
   *
   * @default { Backup: 'true' }
   */
  readonly selectionTags?: Record<string, string>;
  /**
   * Properties of the primary vault.
   *
   * @default - an `AuditedVault` locked to the shortest tier retention, in compliance
   *            mode when the profile asks for it, notifying the alarm topic
   */
  readonly vault?: AuditedVaultProps;
  /**
   * Create a logically air-gapped vault for tiers marked `airGapped`.
   *
   * @default - created when any tier is `airGapped`
   */
  readonly airGappedVault?: boolean;
  /**
   * The audit framework, its reports and the report bucket.
   *
   * @default - framework and reports into a new report bucket; no AWS Config recorder
   */
  readonly audit?: AuditOptions;
  /**
   * A verified backup catalog: a DynamoDB table of every backup, copy and restore
   * job (and every object pushed into landing storage), kept by an event-driven
   * handler and a scheduled reconciler.
   *
   * @default true
   */
  readonly catalog?: boolean;
  /**
   * Landing storage for backups applications push themselves (nightly exports,
   * documents): an object-locked bucket whose every object gets a verified checksum
   * in the catalog.
   *
   * @default - no landing storage
   */
  readonly landingStorage?: LandingStorageOptions;
  /**
   * Tenants of landing storage: each owns the key prefix `<tenantId>/` (see `grantTenantAccess()`).
   *
   * @default - no tenants
   */
  readonly tenants?: string[];
  /**
   * Restore testing: restore recovery points on a schedule and validate what was restored.
   *
   * @default - no restore testing
   */
  readonly restoreTesting?: RestoreTestingOptions;
  /**
   * The topic for alarms and failure events.
   *
   * @default - a new KMS-encrypted, TLS-only topic
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * The backup plan's name.
   *
   * @default - derived from the construct path
   */
  readonly planName?: string;
  /**
   * Where the library's Lambda handlers run.
   *
   * @default - outside a VPC (they call only AWS APIs)
   */
  readonly handlerVpc?: ec2.IVpc;
  /**
   * How many customer-managed keys the system creates (each costs $1 a month).
   *
   * @default - KeyStrategy.PER_PURPOSE with a compliance profile, KeyStrategy.SHARED without one
   */
  readonly keyStrategy?: KeyStrategy;
  /**
   * What happens to stateful resources (vaults, keys, buckets) when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Tag conditions beside `selectionTags`, ANDed with them: patterns (`stringLike`) and opt-out
   * tags (`stringNotEquals`, `stringNotLike`), so "everything tagged Backup=true except Env=scratch"
   * is `selectionConditions: { stringNotEquals: { Env: 'scratch' } }`. With `selectionTags: {}`
   * the conditions alone make the selection (only opt-out conditions select every resource of the
   * backup role's types that does not opt out, and the library warns).
   *
   * @default - only `selectionTags`
   */
  readonly selectionConditions?: SelectionConditions;
  /**
   * ARNs (`*` as a wildcard) the tag selection leaves out even when their tags match
   * (`NotResources`): at most 500, or 30 when any has a wildcard.
   *
   * @default - none excluded
   */
  readonly excludeResources?: string[];
  /**
   * Legal holds on this system's recovery points, for litigation or an investigation. Each is an
   * `AWS::Backup::LegalHold` with construct id derived from its title, kept (RETAIN) when it
   * leaves the stack. More can be added with `addLegalHold()`.
   *
   * @default - no legal hold
   */
  readonly legalHolds?: LegalHoldOptions[];
  // --- Storage tiers and plan settings (issue 14) ---
  /**
   * Move S3 recovery points in the primary vault to AWS Backup's low-cost warm tier after
   * `tierDownAfter` (an `AWS::Backup::TieringConfiguration`, kept on removal like the vault).
   *
   * @default - S3 recovery points stay in the standard warm tier
   */
  readonly s3LowCostTier?: S3LowCostTierOptions;
  /**
   * Resource-type options of the plan: Windows VSS for EC2, ACLs and object tags for S3.
   *
   * @default - none rendered: AWS Backup's defaults (no VSS; S3 ACLs and tags included)
   */
  readonly advancedBackupSettings?: AdvancedBackupSettings;

  // --- Resource types beyond the default seven (issue 14) ---
  /**
   * Resource types to protect besides EBS, EC2, RDS, Aurora, DynamoDB, EFS and S3: their
   * clusters join the tag selection and the backup role gets their backup and restore actions.
   * AWS Backup must be opted in to them in the region (Service Opt-in), and restore testing
   * does not cover them.
   *
   * @default - none: the seven default types only
   */
  readonly additionalResourceTypes?: AdditionalResourceType[];
}
