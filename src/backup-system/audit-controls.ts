/**
 * Derives the AWS Backup Audit Manager controls from the backup plan's tiers and
 * the compliance profile, so that plan and audit can never disagree: nothing here
 * is typed twice. Pure functions, tested with property-based tests.
 *
 * Control names and parameters: AWS Backup developer guide, "Choosing your
 * controls" and "Controls and remediation"; parameter units are `hours`/`days`
 * strings and every value is a string.
 */

export const CONTROL = {
  frequencyAndRetention: 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
  minimumRetention: 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK',
  encrypted: 'BACKUP_RECOVERY_POINT_ENCRYPTED',
  manualDeletionDisabled: 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED',
  protectedByPlan: 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
  protectedByVaultLock: 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK',
  protectedByCrossRegion: 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION',
  protectedByCrossAccount: 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT',
  lastRecoveryPointCreated: 'BACKUP_LAST_RECOVERY_POINT_CREATED',
  restoreTimeMeetsTarget: 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET',
} as const;

/** Every control name the library can produce: AWS accepts only these spellings. */
export const VALID_CONTROL_NAMES: readonly string[] = Object.values(CONTROL);

/** Parameter limits from the developer guide. */
export const CONTROL_LIMITS = {
  maxFrequencyHours: 24,
  maxFrequencyDays: 31,
  maxRecoveryPointAgeHours: 744,
  maxRecoveryPointAgeDays: 31,
  maxExemptPrincipals: 5,
  /** BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT names up to 5 destination accounts. */
  maxCrossAccounts: 5,
} as const;

/** A tier as the audit sees it, in minutes and days. */
export interface TierAuditFacts {
  readonly name: string;
  readonly retentionDays: number;
  /** Longest gap between scheduled backups. */
  readonly intervalMinutes: number;
  readonly startWindowMinutes: number;
  readonly completionWindowMinutes: number;
  /** Retention of the tier's copies, when it copies (undefined = kept forever). */
  readonly copyRetentionDays?: number;
  readonly copies: boolean;
}

export interface AuditInputs {
  readonly tiers: readonly TierAuditFacts[];
  /** The profile's minimums, when a profile applies. */
  readonly profile?: { readonly minRetentionDays?: number; readonly maxIntervalMinutes?: number };
  /** The tag that selects resources: scopes the controls that evaluate protected resources. */
  readonly selectionTag?: { readonly key: string; readonly value: string };
  /**
   * The tag this system puts on its plan, vaults and recovery points: scopes the
   * controls that evaluate those, so other plans in the account do not count.
   * (A tag-scoped control takes a single tag.)
   */
  readonly systemTag: { readonly key: string; readonly value: string };
  readonly lock?: { readonly minRetentionDays: number; readonly maxRetentionDays?: number };
  readonly crossRegions: readonly string[];
  /** The accounts other than this one that copies land in (known at synth). */
  readonly crossAccounts?: readonly string[];
  readonly deletionExemptRoleArns: readonly string[];
  readonly maxRestoreTimeMinutes?: number;
}

export interface AuditControl {
  readonly controlName: string;
  readonly parameters: Record<string, string>;
  readonly tagScope?: { readonly key: string; readonly value: string };
}

export interface DerivedControls {
  readonly controls: AuditControl[];
  /** Why a control was left out (its parameter would be outside what AWS accepts). */
  readonly omitted: string[];
}

/** A frequency as the controls write it: hours up to 24, else whole days up to 31. */
export function frequencyParameters(intervalMinutes: number): { unit: 'hours' | 'days'; value: number } | undefined {
  if (intervalMinutes % 1440 === 0 && intervalMinutes / 1440 <= CONTROL_LIMITS.maxFrequencyDays) {
    return { unit: 'days', value: intervalMinutes / 1440 };
  }
  const hours = Math.ceil(intervalMinutes / 60);
  if (hours <= CONTROL_LIMITS.maxFrequencyHours) return { unit: 'hours', value: Math.max(1, hours) };
  const days = Math.ceil(intervalMinutes / 1440);
  return days <= CONTROL_LIMITS.maxFrequencyDays ? { unit: 'days', value: days } : undefined;
}

/** A recovery point age as the control writes it: hours up to 744, else whole days up to 31. */
export function ageParameters(minutes: number): { unit: 'hours' | 'days'; value: number } | undefined {
  const hours = Math.max(1, Math.ceil(minutes / 60));
  if (hours <= CONTROL_LIMITS.maxRecoveryPointAgeHours) return { unit: 'hours', value: hours };
  return undefined; // 744 hours is 31 days: the days unit cannot go further.
}

/**
 * The tier whose schedule and retention the frequency-and-retention control is
 * written from: with a profile, the profile's minimums (met by its archive tier,
 * checked before); without one, the tier kept longest (the most frequent of those).
 */
function frequencyAndRetentionTarget(inputs: AuditInputs): { intervalMinutes: number; retentionDays: number } | undefined {
  const { profile, tiers } = inputs;
  if (tiers.length === 0) return undefined;
  if (profile && (profile.minRetentionDays !== undefined || profile.maxIntervalMinutes !== undefined)) {
    const qualifying = tiers.filter((t) =>
      (profile.minRetentionDays === undefined || t.retentionDays >= profile.minRetentionDays)
      && (profile.maxIntervalMinutes === undefined || t.intervalMinutes <= profile.maxIntervalMinutes));
    if (qualifying.length > 0) {
      const archive = qualifying[0];
      return {
        intervalMinutes: profile.maxIntervalMinutes ?? archive.intervalMinutes,
        retentionDays: profile.minRetentionDays ?? archive.retentionDays,
      };
    }
  }
  const longest = [...tiers].sort((a, b) => b.retentionDays - a.retentionDays || a.intervalMinutes - b.intervalMinutes)[0];
  return { intervalMinutes: longest.intervalMinutes, retentionDays: longest.retentionDays };
}

export function deriveControls(inputs: AuditInputs): DerivedControls {
  const controls: AuditControl[] = [];
  const omitted: string[] = [];
  // Plan, vault and recovery-point controls look at this system's own resources;
  // resource controls look at what the selection protects.
  const own = inputs.systemTag;
  const protectedResources = inputs.selectionTag;
  const add = (controlName: string, parameters: Record<string, string>, tagScope: AuditControl['tagScope']) =>
    controls.push({ controlName, parameters, tagScope });

  // Plan: at least one rule backs up at least this often and keeps this long.
  const target = frequencyAndRetentionTarget(inputs);
  if (target) {
    const frequency = frequencyParameters(target.intervalMinutes);
    if (frequency) {
      add(CONTROL.frequencyAndRetention, {
        requiredFrequencyUnit: frequency.unit,
        requiredFrequencyValue: String(frequency.value),
        requiredRetentionDays: String(target.retentionDays),
      }, own);
    } else {
      omitted.push(`${CONTROL.frequencyAndRetention}: the longest-kept tier backs up less often than every 31 days, which the control cannot express`);
    }
  }

  // Every recovery point, copies included, is kept at least the shortest retention.
  const retentions = inputs.tiers.flatMap((t) => [t.retentionDays, ...(t.copies && t.copyRetentionDays !== undefined ? [t.copyRetentionDays] : [])]);
  if (retentions.length > 0) add(CONTROL.minimumRetention, { requiredRetentionDays: String(Math.min(...retentions)) }, own);

  add(CONTROL.encrypted, {}, own);

  add(CONTROL.manualDeletionDisabled, inputs.deletionExemptRoleArns.length > 0
    ? { principalArnList: inputs.deletionExemptRoleArns.join(',') }
    : {}, own);

  add(CONTROL.protectedByPlan, {}, protectedResources);

  if (inputs.lock) {
    const parameters: Record<string, string> = { minRetentionDays: String(inputs.lock.minRetentionDays) };
    if (inputs.lock.maxRetentionDays !== undefined) parameters.maxRetentionDays = String(inputs.lock.maxRetentionDays);
    add(CONTROL.protectedByVaultLock, parameters, protectedResources);
  }

  if (inputs.crossRegions.length > 0) {
    add(CONTROL.protectedByCrossRegion, { crossRegionList: [...new Set(inputs.crossRegions)].sort().join(',') }, protectedResources);
  }

  // Copies into another account: the control evaluates each selected resource for a copy into one
  // of up to 5 named accounts (AWS Backup developer guide, "Controls and remediation", "Resources
  // protected by cross-account copy"). More destinations than that cannot be listed: the control
  // then goes without the list, which still requires a copy into some other account.
  const accounts = [...new Set(inputs.crossAccounts ?? [])].sort();
  if (accounts.length > 0) {
    if (accounts.length <= CONTROL_LIMITS.maxCrossAccounts) {
      add(CONTROL.protectedByCrossAccount, { crossAccountList: accounts.join(',') }, protectedResources);
    } else {
      add(CONTROL.protectedByCrossAccount, {}, protectedResources);
      omitted.push(`${CONTROL.protectedByCrossAccount}: crossAccountList left out, because copies go to ${accounts.length} accounts and the control names at most ${CONTROL_LIMITS.maxCrossAccounts}`);
    }
  }

  // The newest recovery point is no older than the most frequent tier's interval plus its windows.
  if (inputs.tiers.length > 0) {
    const ages = inputs.tiers.map((t) => t.intervalMinutes + t.startWindowMinutes + t.completionWindowMinutes);
    const age = ageParameters(Math.min(...ages));
    if (age) {
      add(CONTROL.lastRecoveryPointCreated, { recoveryPointAgeUnit: age.unit, recoveryPointAgeValue: String(age.value) }, protectedResources);
    } else {
      omitted.push(`${CONTROL.lastRecoveryPointCreated}: every tier's interval plus windows exceeds 744 hours, which the control cannot express`);
    }
  }

  if (inputs.maxRestoreTimeMinutes !== undefined) {
    add(CONTROL.restoreTimeMeetsTarget, { maxRestoreTime: String(inputs.maxRestoreTimeMinutes) }, protectedResources);
  }
  return { controls, omitted };
}

/**
 * CloudFormation form of the controls. `ControlScope` is passed through verbatim
 * by aws-cdk-lib (typed `any`), so it is written in CloudFormation's PascalCase.
 */
export function renderControls(controls: readonly AuditControl[]): any[] {
  return controls.map((c) => ({
    controlName: c.controlName,
    controlInputParameters: Object.keys(c.parameters).length > 0
      ? Object.entries(c.parameters).map(([parameterName, parameterValue]) => ({ parameterName, parameterValue }))
      : undefined,
    controlScope: c.tagScope ? { Tags: [{ Key: c.tagScope.key, Value: c.tagScope.value }] } : undefined,
  }));
}
