import { RemovalPolicy } from 'aws-cdk-lib';
import { OrganizationTarget, PolicyInheritance, RegionConcurrency, RegionsOperator } from './organization-options';
import { VaultLock } from '../audited-vault-props';
import { BackupTier } from '../backup-system/backup-tier';
import { ComplianceProfile } from '../compliance/compliance-profile';

/**
 * Properties of an `OrganizationBackupPolicy`.
 */
export interface OrganizationBackupPolicyProps {
  /**
   * The plan's tiers, one backup rule each, exactly as for a `CompliantBackupSystem`.
   *
   * @default - one daily tier kept 35 days
   */
  readonly tiers?: BackupTier[];
  /**
   * Minimums the tiers, the member vault lock and the copies must meet (checked as for a `CompliantBackupSystem`).
   *
   * @default - no profile
   */
  readonly profile?: ComplianceProfile;
  /** Where the policy attaches and the member StackSet deploys: the root, OUs or accounts. */
  readonly targets: OrganizationTarget[];
  /** The regions where the plan runs and the member stack is deployed. */
  readonly regions: string[];
  /**
   * `@@assign` (exactly these regions) or `@@append` (added to inherited regions).
   *
   * @default RegionsOperator.ASSIGN
   */
  readonly regionsOperator?: RegionsOperator;
  /**
   * How child policies may change this plan.
   *
   * @default PolicyInheritance.LOCKED - child policies cannot change the plan, but may add plans of their own
   */
  readonly inheritance?: PolicyInheritance;
  /**
   * Resources carrying ALL of these tags are backed up in every member account.
   *
   * @default { Backup: 'true' }
   */
  readonly selectionTags?: Record<string, string>;
  /**
   * The AWS Organizations policy's name.
   *
   * @default - derived from the construct path
   */
  readonly policyName?: string;
  /**
   * The backup plan's name in every member account.
   *
   * @default - derived from the construct path
   */
  readonly planName?: string;
  /**
   * The member vault's name (the policy's `target_backup_vault_name`).
   *
   * @default - derived from the construct path
   */
  readonly memberVaultName?: string;
  /**
   * The member vault's lock.
   *
   * @default - minimum retention of the shortest tier, compliance mode (72 hours to change) when the profile asks for it
   */
  readonly memberVaultLock?: VaultLock;
  /**
   * The name of the backup role in every member account (the policy's `iam_role_arn`).
   *
   * @default - derived from the construct path
   */
  readonly memberRoleName?: string;
  /**
   * The region whose member stack creates the (global) backup role.
   *
   * @default - the first of `regions`
   */
  readonly homeRegion?: string;
  /**
   * The region `copyToDr` tiers copy into: the member's own vault there (the StackSet deploys it too).
   *
   * @default - no DR region; a `copyToDr` tier is an error
   */
  readonly drRegion?: string;
  /**
   * The organization's root id, needed when `targets` names single accounts (the StackSet reaches them through the root).
   *
   * @default - the root target, if any
   */
  readonly organizationRootId?: string;
  /**
   * Enable `advanced_backup_settings.ec2.windows_vss` (VSS backups of Windows EC2 instances).
   *
   * @default - not set
   */
  readonly windowsVss?: boolean;
  /**
   * Deploy as a delegated administrator of CloudFormation StackSets (`CallAs: DELEGATED_ADMIN`).
   *
   * @default false - as the management account (`SELF`)
   */
  readonly delegatedAdmin?: boolean;
  /**
   * At most this share of the accounts of a region is deployed at once.
   *
   * @default 25
   */
  readonly maxConcurrentPercentage?: number;
  /**
   * The StackSet stops in a region after this share of its accounts failed.
   *
   * @default 10
   */
  readonly failureTolerancePercentage?: number;
  /**
   * Regions one after another, or all at once.
   *
   * @default RegionConcurrency.PARALLEL
   */
  readonly regionConcurrency?: RegionConcurrency;
  /**
   * Keep a member's stack (its vault and recovery points) when the account leaves the targets.
   *
   * @default true
   */
  readonly retainStacksOnAccountRemoval?: boolean;
  /**
   * How many accounts the targets hold, to check StackSet quotas at synth. Not needed otherwise:
   * nothing the construct renders depends on it.
   *
   * @default - the quotas are not checked
   */
  readonly expectedMemberAccounts?: number;
  /**
   * Organization-wide job reports (backup, copy, restore) into an encrypted report bucket.
   *
   * @default true
   */
  readonly reports?: boolean;
  /**
   * What happens to the report bucket and its key when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
