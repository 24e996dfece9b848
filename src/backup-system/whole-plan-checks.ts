import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CONTROL_LIMITS } from './audit-controls';
import { BackupServiceRole } from './backup-role';
import { warnIncrementalWithoutFull } from './malware-scanning';
import { BackupPlanModel } from './plan';
import { TagSelectionInputs, auditScopeOfSelection, hasPositiveCondition, tagConditions } from './tag-selection';
import { IAuditedVault } from '../audited-vault-props';
import { ComplianceProfile, VaultLockMode } from '../compliance/compliance-profile';
import { checkAuditQuotas } from '../validation/audit';
import { ComplianceRuleError, collectViolations } from '../validation/errors';
import { TierFacts, checkProfileCrossRegionCopy, checkProfileMinimums } from '../validation/plan';

/** What a system knows once every tier, destination and selection has been added. */
export interface WholePlan {
  readonly model: BackupPlanModel;
  readonly role: BackupServiceRole;
  readonly profile?: ComplianceProfile;
  readonly selectionTags: Record<string, string>;
  /** The tag selection's props: `selectionTags`, `selectionConditions`, `excludeResources`. */
  readonly selection?: TagSelectionInputs;
  /** The selections made by protect(), the catalog's included. */
  readonly protectedSelections: readonly backup.BackupSelection[];
  readonly hasCatalog: boolean;
  readonly deletionExemptRoles: readonly iam.IRole[];
  readonly framework?: backup.CfnFramework;
}

/** The checks that can only be judged at synth, when the plan is complete: one message per violation. */
export function validateWholePlan(system: Construct, plan: WholePlan): string[] {
  const { model, profile } = plan;
  // A warning, not a violation: it depends on every tier, so it is decided here, at synth.
  warnIncrementalWithoutFull(system, model.tiers.map((t) => t.tier));
  const facts: TierFacts[] = model.tiers.map((t) => ({
    name: t.tier.name, retention: t.tier.retention, interval: Duration.minutes(t.intervalMinutes),
  }));
  const drTiers = model.tiers.filter((t) => t.tier.props.copyToDr);
  const exempt = plan.deletionExemptRoles;
  const selection = plan.selection ?? { tags: plan.selectionTags };
  const tagSelects = tagConditions(selection).length > 0;
  if (!tagSelects && plan.protectedSelections.length <= (plan.hasCatalog ? 1 : 0)) {
    Annotations.of(system).addWarningV2('cdk-compliant-backup:nothing-selected',
      `${system.node.path}: selectionTags is {} and protect() names none of your resources, so the plan backs up nothing of yours `
      + `${plan.hasCatalog ? '(only the backup catalog)' : ''}: pass selectionTags, or call protect()`);
  }
  warnAboutSelection(system, selection, plan.framework !== undefined);
  return collectViolations(
    () => { if (profile) checkProfileMinimums(system, profile, facts); },
    () => { if (profile) checkProfileCrossRegionCopy(system, profile, model.crossRegions(Stack.of(system).region)); },
    () => {
      if (exempt.length > CONTROL_LIMITS.maxExemptPrincipals) {
        throw new ComplianceRuleError(system, 'vault.allowDeletionBy', `${exempt.length} roles`,
          `the audit control for manual deletion accepts at most ${CONTROL_LIMITS.maxExemptPrincipals} exempt roles`);
      }
    },
    () => plan.role.checkPolicyCount(system),
    () => checkFrameworkQuotas(system, plan.framework),
    ...model.copyDestinations().map((vault) => () => checkProfileReaches(system, plan, vault)),
    () => {
      if (drTiers.length > 0 && model.drDestinations.length === 0) {
        throw new ComplianceRuleError(system, `tiers['${drTiers[0].tier.name}'].copyToDr`, 'true',
          'no DR vault is wired to this system: pass it as backupSystem to a CrossRegionDr (or call addDrCopyDestination()), or use copyTo');
      }
    },
  );
}

/**
 * A profile's guarantees reach every vault that holds its recovery points: a copy destination
 * whose lock is known must be locked the way the profile requires; one whose lock is unknown
 * (imported without `vaultLock`) is reported, because nothing here can vouch for it.
 */
function checkProfileReaches(system: Construct, plan: WholePlan, vault: backup.IBackupVault): void {
  const profile = plan.profile;
  if (!profile || profile.lockMode !== VaultLockMode.COMPLIANCE) return;
  const lock = (vault as Partial<IAuditedVault>).vaultLock;
  const where = plan.model.drDestinations.includes(vault) ? `the DR vault ${vault.backupVaultName}` : `copy destination ${vault.node.path}`;
  if (!lock) {
    Annotations.of(system).addWarningV2('cdk-compliant-backup:profile-unverified-vault',
      `${system.node.path}: copies land in ${where}, whose lock is unknown here, so the ${profile.name} profile's compliance-mode lock `
      + 'cannot be verified for it: import it with AuditedVault.fromVaultAttributes({ ..., vaultLock })');
    return;
  }
  if (lock.changeableFor === undefined) {
    throw new ComplianceRuleError(system, 'copy destinations', `${where}, locked in governance mode`,
      `the ${profile.name} profile requires a compliance-mode vault lock on every vault that holds its recovery points `
      + '(set vaultLock.changeableFor on that vault, at least 72 hours)');
  }
}

/** Every framework of this app in this account and region counts against Audit Manager's quotas. */
function checkFrameworkQuotas(system: Construct, framework?: backup.CfnFramework): void {
  if (!framework) return;
  const here = Stack.of(system);
  const frameworks = system.node.root.node.findAll()
    .filter((c): c is backup.CfnFramework => c instanceof backup.CfnFramework)
    .filter((c) => Stack.of(c).account === here.account && Stack.of(c).region === here.region)
    .map((f) => {
      const controls = Stack.of(f).resolve(f.frameworkControls);
      return { path: f.node.path, controls: Array.isArray(controls) ? controls.length : 0 };
    });
  checkAuditQuotas(system, `${here.account}/${here.region}`, frameworks);
}

/** Advice on the tag selection: what it selects when no condition selects, and how far the audit scope reaches. */
function warnAboutSelection(system: Construct, selection: TagSelectionInputs, audited: boolean): void {
  if (tagConditions(selection).length === 0) return;
  if (!hasPositiveCondition(selection)) {
    Annotations.of(system).addWarningV2('cdk-compliant-backup:selection-opt-out-only',
      `${system.node.path}: selectionTags is {} and selectionConditions has only opt-out conditions (stringNotEquals, stringNotLike), `
      + 'so the tag selection backs up every resource of the backup role\'s types in this account and region that does not opt out: '
      + 'add a tag that selects (selectionTags or selectionConditions.stringLike) unless that is what you want');
  }
  const scope = auditScopeOfSelection(selection);
  if (audited && scope.widenedBy.length > 0) {
    Annotations.of(system).addWarningV2('cdk-compliant-backup:audit-scope-wider',
      `${system.node.path}: an audit control scope takes one exact tag, so the controls on protected resources are scoped to `
      + `${scope.tag ? `${scope.tag.key}=${scope.tag.value}` : 'every resource of the evaluated types'}, wider than the selection `
      + `(${scope.widenedBy.join(', ')}): resources it leaves out are reported as not protected`);
  }
}
