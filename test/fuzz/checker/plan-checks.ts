import { readCron } from './cron';
import { BackupFacts, LifecycleFacts, PlanFacts, RuleFacts, VaultFacts } from './facts';

/**
 * Backup plans and vaults against AWS Backup's documented limits (AWS Backup
 * Developer Guide: "Creating a backup plan", "Lifecycle and storage tiers",
 * "Continuous backups", "AWS Backup Vault Lock", "Logically air-gapped vault"):
 *
 * - a vault lock: minimum 1-36500 days (7 for a logically air-gapped vault, which
 *   needs a maximum), maximum at most 36500 and not below the minimum, grace time
 *   (ChangeableForDays) at least 3 days;
 * - a lifecycle: retention 1-36500 days, cold storage after at least 1 day, and
 *   deleted at least 90 days after it moved to cold storage;
 * - continuous backup: retention 1-35 days, no cold storage;
 * - a schedule AWS Backup accepts (cron, at most once an hour), a start window of at
 *   least an hour and a completion window longer than it;
 * - every recovery point inside the lock of the vault it lands in: the rule's own
 *   vault, its logically air-gapped vault and every copy destination (found by ARN in
 *   any stack and region of the app); a standard vault is never the air-gapped one.
 */

const MAX_DAYS = 36500;

export function checkVaultLocks(facts: BackupFacts): string[] {
  const out: string[] = [];
  for (const v of facts.vaults) {
    const where = `vault ${v.where}`;
    if (v.unlocked) continue;
    const lowest = v.airGapped ? 7 : 1;
    if (v.minDays === undefined || !Number.isInteger(v.minDays) || v.minDays < lowest || v.minDays > MAX_DAYS) {
      out.push(`${where}: minimum retention ${v.minDays} is not ${lowest}-${MAX_DAYS} days`);
    }
    if (v.airGapped && v.maxDays === undefined) out.push(`${where}: a logically air-gapped vault has no maximum retention`);
    if (v.maxDays !== undefined && (!Number.isInteger(v.maxDays) || v.maxDays > MAX_DAYS || (v.minDays !== undefined && v.maxDays < v.minDays))) {
      out.push(`${where}: maximum retention ${v.maxDays} is not ${v.minDays}-${MAX_DAYS} days`);
    }
    if (v.changeableForDays !== undefined && (!Number.isInteger(v.changeableForDays) || v.changeableForDays < 3)) {
      out.push(`${where}: ChangeableForDays ${v.changeableForDays} is under 3 days`);
    }
    if (!/^[a-zA-Z0-9\-_]{2,50}$/.test(v.name)) out.push(`${where}: vault name '${v.name}' is not 2-50 letters, digits, hyphens, underscores`);
  }
  return out;
}

function checkLifecycle(where: string, l: LifecycleFacts, continuous: boolean): string[] {
  const out: string[] = [];
  const d = l.deleteAfterDays;
  const c = l.coldAfterDays;
  if (d !== undefined && (!Number.isInteger(d) || d < 1 || d > MAX_DAYS)) out.push(`${where}: DeleteAfterDays ${d} is not 1-${MAX_DAYS}`);
  if (c !== undefined && (!Number.isInteger(c) || c < 1)) out.push(`${where}: MoveToColdStorageAfterDays ${c} is not a whole number of days >= 1`);
  if (d !== undefined && c !== undefined && d < c + 90) {
    out.push(`${where}: DeleteAfterDays ${d} < MoveToColdStorageAfterDays ${c} + 90`);
  }
  if (continuous) {
    if (d === undefined || d < 1 || d > 35) out.push(`${where}: continuous backup retention ${d ?? 'forever'} is not 1-35 days`);
    if (c !== undefined) out.push(`${where}: continuous backup moves to cold storage after ${c} days`);
  }
  return out;
}

/** A recovery point kept `days` (undefined: forever) fits the lock of `vault`. */
function checkInsideLock(where: string, days: number | undefined, vault: VaultFacts): string[] {
  if (vault.unlocked) return [];
  const kept = days === undefined ? 'forever' : `${days} days`;
  if (days !== undefined && vault.minDays !== undefined && days < vault.minDays) {
    return [`${where}: kept ${kept}, below the minimum ${vault.minDays} days of the lock of vault ${vault.where}`];
  }
  if (vault.maxDays !== undefined && (days === undefined || days > vault.maxDays)) {
    return [`${where}: kept ${kept}, above the maximum ${vault.maxDays} days of the lock of vault ${vault.where}`];
  }
  return [];
}

function checkSchedule(rule: RuleFacts): string[] {
  const out: string[] = [];
  const cron = readCron(rule.schedule);
  if (cron.invalid) out.push(`${rule.where}: schedule ${cron.invalid}`);
  else if (cron.notJudged) out.push(`${rule.where}: the checker does not evaluate ${cron.notJudged} in '${rule.schedule}'`);
  else if (cron.minGapMinutes < 60) out.push(`${rule.where}: '${rule.schedule}' runs every ${cron.minGapMinutes} minutes; AWS Backup runs a rule at most hourly`);
  const start = rule.startWindowMinutes;
  const completion = rule.completionWindowMinutes;
  if (start !== undefined && start < 60) out.push(`${rule.where}: StartWindowMinutes ${start} < 60`);
  if (start !== undefined && completion !== undefined && completion <= start) {
    out.push(`${rule.where}: CompletionWindowMinutes ${completion} <= StartWindowMinutes ${start}`);
  }
  return out;
}

function checkRule(plan: PlanFacts, rule: RuleFacts, facts: BackupFacts): string[] {
  const out = [...checkSchedule(rule), ...checkLifecycle(rule.where, rule.lifecycle, rule.continuous)];
  const byArn = (arn: string) => facts.vaults.find((v) => v.arn === arn);
  const target = facts.vaults.find((v) => v.name === rule.targetVaultName && v.region === plan.region);
  if (!target) {
    out.push(`${rule.where}: target vault '${rule.targetVaultName}' is not a vault of the app in ${plan.region}`);
  } else if (target.airGapped) {
    out.push(`${rule.where}: TargetBackupVault '${rule.targetVaultName}' is a logically air-gapped vault`);
  } else {
    out.push(...checkInsideLock(rule.where, rule.lifecycle.deleteAfterDays, target));
  }
  if (rule.airGappedVaultArn !== undefined) {
    const airGapped = byArn(rule.airGappedVaultArn);
    if (!airGapped?.airGapped) out.push(`${rule.where}: TargetLogicallyAirGappedBackupVaultArn ${rule.airGappedVaultArn} is not an air-gapped vault of the app`);
    else out.push(...checkInsideLock(`${rule.where} (air-gapped copy)`, rule.lifecycle.deleteAfterDays, airGapped));
  }
  for (const copy of rule.copies) {
    const where = `${rule.where} copy to ${copy.destinationArn}`;
    out.push(...checkLifecycle(where, copy.lifecycle, false));
    const destination = byArn(copy.destinationArn);
    // A destination outside the app (an imported vault without a known lock) is not judged.
    if (destination) out.push(...checkInsideLock(where, copy.lifecycle.deleteAfterDays, destination));
  }
  return out;
}

export function checkPlans(facts: BackupFacts): string[] {
  const out: string[] = [];
  for (const plan of facts.plans) {
    const names = plan.rules.map((r) => r.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) out.push(`${plan.where}: two rules are named '${duplicate}'`);
    for (const rule of plan.rules) {
      if (!/^[a-zA-Z0-9\-_.]{1,50}$/.test(rule.name)) out.push(`${rule.where}: rule name is not 1-50 letters, digits, '-', '_', '.'`);
      out.push(...checkRule(plan, rule, facts));
    }
  }
  return out;
}
