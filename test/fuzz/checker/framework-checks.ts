import { readCron } from './cron';
import { BackupFacts, ControlFacts, FrameworkFacts, PlanFacts, RuleFacts } from './facts';

/**
 * An audit framework against the plan it audits (AWS Backup Developer Guide,
 * "Choosing your controls"): valid control names, parameter values AWS accepts
 * (strings; frequencies in hours up to 24 or days up to 31, recovery point ages in
 * hours up to 744 or days up to 31), and parameters that the plan meets, so that a
 * plan that works as declared is never reported non-compliant by its own framework:
 *
 * - BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK: at least one rule backs up at
 *   least that often and keeps at least that long (how AWS evaluates it);
 * - BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK: no recovery point, copies included,
 *   is kept less than the parameter;
 * - BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK: the vault the rules write into is
 *   locked at least that long (and at most the maximum, when given);
 * - BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION: exactly the regions other than the
 *   plan's that copies land in (and present whenever copies leave the region);
 * - BACKUP_LAST_RECOVERY_POINT_CREATED: some rule's longest gap plus its windows fits.
 *
 * A framework audits the plans of its region that carry the tag its plan-scoped controls name.
 */

export const AWS_BACKUP_CONTROLS = [
  'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK', 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK',
  'BACKUP_RECOVERY_POINT_ENCRYPTED', 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED',
  'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN', 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK',
  'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION', 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT',
  'BACKUP_LAST_RECOVERY_POINT_CREATED', 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET',
];

const kept = (days: number | undefined) => days ?? Infinity;

/** A positive whole number written as a string, within `max`. */
function count(where: string, name: string, value: unknown, max: number): number | string {
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    return `${where}: parameter ${name} is ${JSON.stringify(value)}, not a whole number 1-${max} written as a string`;
  }
  return Number(value);
}

/** A duration in minutes from a unit parameter (hours or days) and a value parameter. */
function period(where: string, c: ControlFacts, unitName: string, valueName: string, max: { hours: number; days: number }): number | string {
  const unit = c.parameters[unitName];
  if (unit !== 'hours' && unit !== 'days') return `${where}: parameter ${unitName} is ${JSON.stringify(unit)}, not 'hours' or 'days'`;
  const n = count(where, valueName, c.parameters[valueName], max[unit]);
  return typeof n === 'string' ? n : n * (unit === 'hours' ? 60 : 1440);
}

function crossRegions(plans: PlanFacts[]): Set<string> {
  return new Set(plans.flatMap((p) => p.rules.flatMap((r) => r.copies.map((c) => c.destinationArn.split(':')[3]).filter((region) => region !== p.region))));
}

function auditedPlans(framework: FrameworkFacts, facts: BackupFacts): PlanFacts[] {
  const scopes = framework.controls.map((c) => c.scope).filter((s) => s !== undefined);
  return facts.plans.filter((p) => p.region === framework.region && scopes.some((s) => p.tags[s!.key] === s!.value));
}

function checkControl(where: string, c: ControlFacts, plans: PlanFacts[], facts: BackupFacts): string[] {
  const rules: RuleFacts[] = plans.flatMap((p) => p.rules);
  const out: string[] = [];
  const push = (x: number | string): number | undefined => {
    if (typeof x === 'string') {
      out.push(x);
      return undefined;
    }
    return x;
  };
  switch (c.name) {
    case 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK': {
      const every = push(period(where, c, 'requiredFrequencyUnit', 'requiredFrequencyValue', { hours: 24, days: 31 }));
      const days = push(count(where, 'requiredRetentionDays', c.parameters.requiredRetentionDays, 36500));
      const meets = (r: RuleFacts) => readCron(r.schedule).maxGapMinutes <= every! && kept(r.lifecycle.deleteAfterDays) >= days!;
      if (every !== undefined && days !== undefined && !rules.some(meets)) {
        out.push(`${where}: no rule backs up at least every ${every} minutes and keeps ${days} days or longer`);
      }
      break;
    }
    case 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK': {
      const days = push(count(where, 'requiredRetentionDays', c.parameters.requiredRetentionDays, 36500));
      const retentions = rules.flatMap((r) => [r.lifecycle, ...r.copies.map((x) => x.lifecycle)].map((l) => kept(l.deleteAfterDays)));
      const shortest = Math.min(...retentions);
      if (days !== undefined && days > shortest) out.push(`${where}: requires ${days} days, but a recovery point is kept ${shortest} days`);
      break;
    }
    case 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK': {
      const min = c.parameters.minRetentionDays === undefined ? undefined : push(count(where, 'minRetentionDays', c.parameters.minRetentionDays, 36500));
      const max = c.parameters.maxRetentionDays === undefined ? undefined : push(count(where, 'maxRetentionDays', c.parameters.maxRetentionDays, 36500));
      for (const plan of plans) {
        for (const name of new Set(plan.rules.map((r) => r.targetVaultName))) {
          const vault = facts.vaults.find((v) => v.name === name && v.region === plan.region);
          if (!vault) continue;
          if (vault.unlocked) out.push(`${where}: the plan writes into unlocked vault ${vault.where}`);
          else if (min !== undefined && (vault.minDays ?? 0) < min) out.push(`${where}: requires a lock of at least ${min} days, vault ${vault.where} has ${vault.minDays}`);
          else if (max !== undefined && (vault.maxDays ?? Infinity) > max) out.push(`${where}: requires a lock of at most ${max} days, vault ${vault.where} has ${vault.maxDays ?? 'none'}`);
        }
      }
      break;
    }
    case 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION': {
      const listed = String(c.parameters.crossRegionList ?? '').split(',').filter((r) => r !== '');
      const actual = crossRegions(plans);
      const missing = [...actual].filter((r) => !listed.includes(r));
      const extra = listed.filter((r) => !actual.has(r));
      if (listed.length === 0 || missing.length > 0 || extra.length > 0) {
        out.push(`${where}: crossRegionList [${listed.join(', ')}] differs from the copy regions [${[...actual].sort().join(', ')}]`);
      }
      break;
    }
    case 'BACKUP_LAST_RECOVERY_POINT_CREATED': {
      const age = push(period(where, c, 'recoveryPointAgeUnit', 'recoveryPointAgeValue', { hours: 744, days: 31 }));
      // CloudFormation's defaults when a rule leaves its windows out: 8 hours and 7 days.
      const worst = (r: RuleFacts) => readCron(r.schedule).maxGapMinutes + (r.startWindowMinutes ?? 480) + (r.completionWindowMinutes ?? 10080);
      const fits = rules.some((r) => worst(r) <= (age ?? 0));
      if (age !== undefined && !fits) out.push(`${where}: no rule makes a recovery point at least every ${age} minutes, windows included`);
      break;
    }
    case 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET':
      push(count(where, 'maxRestoreTime', c.parameters.maxRestoreTime, Number.MAX_SAFE_INTEGER));
      break;
    case 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT': {
      const listed = String(c.parameters.crossAccountList ?? '').split(',').filter((a) => a !== '');
      if (listed.length === 0 || listed.some((a) => !/^\d{12}$/.test(a))) out.push(`${where}: crossAccountList '${c.parameters.crossAccountList}' is not a list of account ids`);
      break;
    }
    default:
      break;
  }
  return out;
}

export function checkFrameworks(facts: BackupFacts): string[] {
  const out: string[] = [];
  for (const framework of facts.frameworks) {
    const plans = auditedPlans(framework, facts);
    // A framework where no plan of its tag runs (an organization's DR region, which only receives
    // copies) has nothing to compare its plan parameters with.
    if (plans.length === 0) continue;
    for (const c of framework.controls) {
      const where = `framework ${framework.where} control ${c.name}`;
      if (!AWS_BACKUP_CONTROLS.includes(c.name)) out.push(`${where}: not an AWS Backup Audit Manager control`);
      for (const [name, v] of Object.entries(c.parameters)) {
        if (typeof v !== 'string') out.push(`${where}: parameter ${name} is ${JSON.stringify(v)}, not a string`);
      }
      out.push(...checkControl(where, c, plans, facts));
    }
    if (crossRegions(plans).size > 0 && !framework.controls.some((c) => c.name === 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION')) {
      out.push(`framework ${framework.where}: copies leave the region, but no BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION control names their regions`);
    }
  }
  return out;
}
