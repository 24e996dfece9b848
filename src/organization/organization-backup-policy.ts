import { Duration, Lazy, Names, RemovalPolicy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MEMBER_STACK_NAME, buildMemberStack, memberOutdir, synthesizeMemberTemplate } from './member-template';
import { createOrgReportPlans } from './org-reports';
import { OrganizationBackupPolicyProps } from './organization-backup-policy-props';
import { OrganizationTargetKind, PolicyInheritance, RegionConcurrency, RegionsOperator } from './organization-options';
import { policyCharacters, renderBackupPolicy } from './policy-document';
import { MappedTier, mapTier, partitionOf, shortestRetention } from './tier-mapping';
import { VaultLock } from '../audited-vault-props';
import { createReportStorage } from '../backup-system/audit';
import { AuditControl, deriveControls } from '../backup-system/audit-controls';
import { BackupTier } from '../backup-system/backup-tier';
import { ComplianceProfile } from '../compliance/compliance-profile';
import { recordRemovalPolicy } from '../private/removal';
import { createAccessLogBucket } from '../private/secure-bucket';
import { ComplianceRuleError } from '../validation/errors';
import { checkAccountTargetsReachable, checkOrganizationCrossRegionCopy, checkPercentage, checkPlanName, checkPolicyName, checkPolicySize, checkRegions, checkRoleName, checkSelectionTags, checkStackSetName, checkStackSetScale, checkTargets, checkTemplateBodySize } from '../validation/organization';
import { checkProfileLockMode, checkProfileMinimums } from '../validation/plan';
import { ORGANIZATION_BACKUP_POLICY_SHAPE, checkBackupTierShape } from '../validation/prop-shapes';
import { checkPropTypes } from '../validation/prop-types';
import { checkVaultLock, checkVaultName } from '../validation/vault';

const DEFAULT_SELECTION_TAGS = { Backup: 'true' };
/** Tags the member plans, vaults and recovery points, so the member framework can be scoped to them. */
export const ORGANIZATION_TAG_KEY = 'compliant-backup:organization-policy';
/**
 * The same tiers and compliance profile as a `CompliantBackupSystem`, rolled out to an
 * AWS Organization from the management or delegated-administrator account:
 *
 * - an `AWS::Organizations::Policy` of type BACKUP_POLICY, attached to the targets (AWS
 *   Backup keeps the plan in every account and region they hold, accounts added later included);
 * - a service-managed `AWS::CloudFormation::StackSet` that deploys what the policy names
 *   to every account and region: the locked vault, its key, the backup role, and an audit
 *   framework whose controls are derived from the tiers;
 * - organization-wide job reports.
 *
 * Synth cost does not depend on the number of accounts: the policy and the StackSet name OUs.
 */
export class OrganizationBackupPolicy extends Construct {
  /** The BACKUP_POLICY. */
  public readonly policy: organizations.CfnPolicy;
  /** The rendered policy document. */
  public readonly policyDocument: any;
  /** The service-managed StackSet that deploys the member stack. */
  public readonly stackSet: cloudformation.CfnStackSet;
  /** The member stack (in an app of its own: it is the StackSet's template, not a stack to deploy). */
  public readonly memberStack: Stack;
  /** The vault name every member account and region gets. */
  public readonly memberVaultName: string;
  /** The air-gapped vault name, when a tier is air-gapped. */
  public readonly memberAirGappedVaultName?: string;
  /** The backup role's name in every member account. */
  public readonly memberRoleName: string;
  /** Organization-wide job reports, unless `reports` is false. */
  public readonly reportPlans: backup.CfnReportPlan[];
  /** Where reports are delivered, unless `reports` is false. */
  public readonly reportBucket?: s3.IBucket;
  /** The report bucket's key, unless `reports` is false. */
  public readonly reportKey?: kms.IKey;

  private memberTemplate?: any;

  /**
   * @param scope where the construct is defined
   * @param id the construct id: part of every logical ID and derived name below it, so keep it stable
   * @param props the OrganizationBackupPolicy's configuration
   */
  constructor(scope: Construct, id: string, props: OrganizationBackupPolicyProps) {
    super(scope, id);
    checkPropTypes(this, '', props, ORGANIZATION_BACKUP_POLICY_SHAPE);
    recordRemovalPolicy(props.removalPolicy, this);
    (props.tiers ?? []).forEach((tier, i) => checkBackupTierShape(this, `tiers[${i}]`, tier));
    const tiers = props.tiers ?? [BackupTier.daily()];
    const regions = props.regions;
    checkRegions(this, 'regions', regions);
    checkTargets(this, 'targets', props.targets);
    const policyName = props.policyName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    checkPolicyName(this, 'policyName', policyName);
    const planName = props.planName ?? Names.uniqueResourceName(this, { maxLength: 50, separator: '-' });
    checkPlanName(this, 'planName', planName);
    const selectionTags = props.selectionTags ?? DEFAULT_SELECTION_TAGS;
    checkSelectionTags(this, 'selectionTags', selectionTags);
    if (tiers.length === 0) throw new ComplianceRuleError(this, 'tiers', '[]', 'a backup policy needs at least one rule');
    tiers.forEach((t, i) => {
      if (tiers.slice(0, i).some((o) => o.name === t.name)) {
        throw new ComplianceRuleError(this, `tiers[${i}].name`, `'${t.name}'`, 'tier names must be unique within a plan');
      }
    });

    // Member vaults and role: names the policy uses, in every account.
    this.memberVaultName = props.memberVaultName ?? Names.uniqueResourceName(this, { maxLength: 50, separator: '-' });
    checkVaultName(this, 'memberVaultName', this.memberVaultName);
    this.memberRoleName = props.memberRoleName ?? Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    checkRoleName(this, 'memberRoleName', this.memberRoleName);
    const compliance = props.profile?.lockMode === 'COMPLIANCE';
    const memberLock = props.memberVaultLock ?? {
      minRetention: shortestRetention(tiers),
      changeableFor: compliance ? Duration.hours(72) : undefined,
    };
    const memberLockDays = checkVaultLock(this, memberLock, false);
    if (props.profile) {
      checkProfileLockMode(this, props.profile.name, props.profile.lockMode, memberLockDays.changeableForDays !== undefined ? 'COMPLIANCE' : 'GOVERNANCE',
        'memberVaultLock');
      // The member template always creates a customer-managed key with rotation, so checkProfileKey holds.
    }
    const airGappedTiers = tiers.filter((t) => t.airGapped);
    this.memberAirGappedVaultName = airGappedTiers.length > 0 ? `${this.memberVaultName.slice(0, 40)}-airgapped` : undefined;
    const airGappedLock: VaultLock | undefined = airGappedTiers.length > 0
      ? { minRetention: Duration.days(7), maxRetention: Duration.days(Math.max(7, ...airGappedTiers.map((t) => t.retention.toDays()))) }
      : undefined;
    const airGappedLockDays = airGappedLock ? checkVaultLock(this, airGappedLock, true) : undefined;

    // Tiers -> rules.
    const stack = Stack.of(this);
    const partition = Token.isUnresolved(stack.region) ? 'aws' : partitionOf(stack.region);
    const tagValue = policyName.replace(/[^\w.:/=+@ -]/g, '_').slice(0, 256);
    const mapped: MappedTier[] = tiers.map((tier, i) => mapTier(this, tier, i, {
      partition,
      regions,
      drRegion: props.drRegion,
      memberVaultName: this.memberVaultName,
      memberLock: memberLockDays,
      airGappedVaultName: this.memberAirGappedVaultName,
      airGappedLock: airGappedLockDays,
      extraRecoveryPointTags: { [ORGANIZATION_TAG_KEY]: tagValue },
    }));
    this.checkProfile(props.profile, mapped, regions);

    // The policy.
    this.policyDocument = renderBackupPolicy({
      planName,
      regions,
      regionsOperator: props.regionsOperator ?? RegionsOperator.ASSIGN,
      targetVaultName: this.memberVaultName,
      roleArn: `arn:${partition}:iam::$account:role/${this.memberRoleName}`,
      rules: mapped.map((m) => m.rule),
      selectionTags,
      planTags: { [ORGANIZATION_TAG_KEY]: tagValue },
      inheritance: props.inheritance ?? PolicyInheritance.LOCKED,
      windowsVss: props.windowsVss,
    });
    checkPolicySize(this, policyCharacters(this.policyDocument));
    this.policy = new organizations.CfnPolicy(this, 'Resource', {
      name: policyName,
      type: 'BACKUP_POLICY',
      description: `AWS Backup plan '${planName}' rendered from the tiers of ${this.node.path}`,
      content: this.policyDocument,
      targetIds: props.targets.map((t) => t.id),
    });

    // The member stack and its StackSet.
    const controls = this.deriveMemberControls(mapped, props.profile, selectionTags, tagValue, memberLockDays, regions);
    const ownRegions = [...regions, ...(props.drRegion && mapped.some((m) => m.tier.props.copyToDr) ? [props.drRegion] : [])];
    this.memberStack = buildMemberStack({
      outdir: memberOutdir(Stage.of(this)?.outdir ?? '.', Names.uniqueId(this)),
      vaultName: this.memberVaultName,
      vaultLock: memberLock,
      airGappedVaultName: this.memberAirGappedVaultName,
      airGappedLock,
      roleName: this.memberRoleName,
      homeRegion: props.homeRegion ?? regions[0],
      copyDestinations: uniqueDestinations(mapped),
      frameworkName: `${planName.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^([^a-zA-Z])/, 'F$1')}_framework`,
      controls,
      tags: { [ORGANIZATION_TAG_KEY]: tagValue },
      windowsVss: props.windowsVss,
    });
    this.stackSet = this.createStackSet(props, ownRegions);

    // Organization-wide job reports.
    this.reportPlans = [];
    if (props.reports ?? true) {
      const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
      const logs = createAccessLogBucket(this, 'AccessLogBucket', removalPolicy);
      const storage = createReportStorage(this, {}, logs, removalPolicy);
      this.reportBucket = storage.bucket;
      this.reportKey = storage.key;
      const units = props.targets.filter((t) => t.kind === OrganizationTargetKind.ORGANIZATIONAL_UNIT).map((t) => t.id);
      const accounts = props.targets.some((t) => t.kind === OrganizationTargetKind.ROOT)
        ? ['ROOT']
        : props.targets.filter((t) => t.kind === OrganizationTargetKind.ACCOUNT).map((t) => t.id);
      this.reportPlans = createOrgReportPlans(this, storage.bucket, { accounts, organizationUnits: units, regions: ownRegions }, removalPolicy);
    }

    this.node.addValidation({ validate: () => this.validateMemberTemplate() });
  }

  /** The member template the StackSet deploys (synthesizes the member app on first use). */
  public renderMemberTemplate(): any {
    this.memberTemplate ??= synthesizeMemberTemplate(this.memberStack);
    return this.memberTemplate;
  }

  private createStackSet(props: OrganizationBackupPolicyProps, regions: string[]): cloudformation.CfnStackSet {
    const maxConcurrent = props.maxConcurrentPercentage ?? 25;
    const tolerance = props.failureTolerancePercentage ?? 10;
    checkPercentage(this, 'maxConcurrentPercentage', maxConcurrent, 1);
    checkPercentage(this, 'failureTolerancePercentage', tolerance, 0);
    if (props.expectedMemberAccounts !== undefined) checkStackSetScale(this, props.expectedMemberAccounts, regions.length, maxConcurrent);
    const name = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }).replace(/[^-a-zA-Z0-9]/g, '-').replace(/^([^a-zA-Z])/, 'S$1');
    checkStackSetName(this, 'stack set name', name);

    const units = props.targets.filter((t) => t.kind !== OrganizationTargetKind.ACCOUNT).map((t) => t.id);
    const accounts = props.targets.filter((t) => t.kind === OrganizationTargetKind.ACCOUNT).map((t) => t.id);
    const rootId = props.organizationRootId ?? props.targets.find((t) => t.kind === OrganizationTargetKind.ROOT)?.id;
    checkAccountTargetsReachable(this, 'targets', accounts, rootId);
    const groups: cloudformation.CfnStackSet.StackInstancesProperty[] = [];
    if (units.length > 0) groups.push({ regions, deploymentTargets: { organizationalUnitIds: units } });
    if (accounts.length > 0) {
      groups.push({ regions, deploymentTargets: { organizationalUnitIds: [rootId!], accounts, accountFilterType: 'INTERSECTION' } });
    }

    const stackSet = new cloudformation.CfnStackSet(this, 'MemberStackSet', {
      stackSetName: name,
      description: `Vault, key, backup role and audit framework for the backup policy of ${this.node.path}`,
      permissionModel: 'SERVICE_MANAGED',
      callAs: props.delegatedAdmin ? 'DELEGATED_ADMIN' : 'SELF',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: props.retainStacksOnAccountRemoval ?? true },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        concurrencyMode: 'SOFT_FAILURE_TOLERANCE',
        maxConcurrentPercentage: maxConcurrent,
        failureTolerancePercentage: tolerance,
        regionConcurrencyType: props.regionConcurrency ?? RegionConcurrency.PARALLEL,
        regionOrder: regions,
      },
      stackInstancesGroup: groups,
      templateBody: Lazy.string({ produce: () => JSON.stringify(this.renderMemberTemplate()) }),
    });
    // Deleting the StackSet deletes its stack instances: the member vaults and keys would be orphaned unmanaged.
    stackSet.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    return stackSet;
  }

  /** The profile checks of a CompliantBackupSystem, on the organization's tiers. */
  private checkProfile(profile: ComplianceProfile | undefined, mapped: MappedTier[], regions: readonly string[]): void {
    if (!profile) return;
    checkProfileMinimums(this, profile, mapped.map((m) => ({
      name: m.tier.name, retention: m.tier.retention, interval: Duration.minutes(m.intervalMinutes),
    })));
    // Every region's plan must copy somewhere else.
    const uncovered = regions.filter((r) => !mapped.some((m) => m.copyRegions.some((c) => c !== r)));
    checkOrganizationCrossRegionCopy(this, profile, uncovered);
  }

  private deriveMemberControls(
    mapped: MappedTier[], profile: ComplianceProfile | undefined, selectionTags: Record<string, string>, tagValue: string,
    lock: { minRetentionDays: number; maxRetentionDays?: number }, regions: readonly string[],
  ): AuditControl[] {
    const [tagKey, tagTagValue] = Object.entries(selectionTags)[0];
    const selectionTag = { key: tagKey, value: tagTagValue };
    const copyRegions = [...new Set(mapped.flatMap((m) => m.copyRegions))];
    const { controls } = deriveControls({
      tiers: mapped.map((m) => ({
        name: m.tier.name,
        retentionDays: m.tier.retention.toDays(),
        intervalMinutes: m.intervalMinutes,
        startWindowMinutes: m.tier.props.startWindow!.toMinutes(),
        completionWindowMinutes: m.tier.props.completionWindow!.toMinutes(),
        copies: m.rule.copyActions.length > 0,
        copyRetentionDays: m.tier.copyLifecycle.deleteAfter?.toDays(),
      })),
      profile: profile ? { minRetentionDays: profile.minRetention?.toDays(), maxIntervalMinutes: profile.maxBackupInterval?.toMinutes() } : undefined,
      selectionTag,
      systemTag: { key: ORGANIZATION_TAG_KEY, value: tagValue },
      lock,
      // A copy counts as cross-region when it leaves at least one of the policy's regions.
      crossRegions: copyRegions.filter((r) => regions.some((own) => own !== r)),
      // The same derivation as a system's: the control names at most five accounts (CONTROL_LIMITS).
      crossAccounts: [...new Set(mapped.flatMap((m) => m.copyAccounts))].filter((a) => /^\d{12}$/.test(a)),
      deletionExemptRoleArns: [],
    });
    return controls;
  }

  private validateMemberTemplate(): string[] {
    try {
      const template = this.renderMemberTemplate();
      const body = JSON.stringify(template);
      checkTemplateBodySize(this, Buffer.byteLength(body, 'utf8'));
      const types = Object.values<any>(template.Resources ?? {}).map((r) => r.Type);
      if (types.includes('AWS::Lambda::Function') || /cdk-[a-z0-9]+-assets-/.test(body)) {
        throw new ComplianceRuleError(this, `the member template (${MEMBER_STACK_NAME})`, 'a template with a code asset',
          'member accounts have no CDK bootstrap bucket, so the StackSet template must carry no asset');
      }
      return [];
    } catch (e) {
      return [(e as Error).message];
    }
  }
}

function uniqueDestinations(mapped: MappedTier[]): { region: string; vaultArn: string }[] {
  const arns = [...new Set(mapped.flatMap((m) => m.rule.copyActions.map((c) => c.targetVaultArn)))];
  return arns.map((vaultArn) => ({ region: vaultArn.split(':')[3], vaultArn }));
}
