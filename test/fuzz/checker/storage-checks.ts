import { readCron } from './cron';
import { BackupFacts } from './facts';
import { AppModel } from '../../judges/cfn/app-model';

/**
 * Restore testing and object-locked buckets against the documented limits:
 *
 * - restore testing (AWS::Backup::RestoreTestingPlan/Selection, AWS Backup Developer
 *   Guide "Restore testing"): a cron schedule, start window 1-168 hours, selection
 *   window 1-365 days, vaults of the app, validation window 1-168 hours, one of the
 *   supported resource types, `['*']` or up to 30 ARNs of that type's service, names
 *   of 1-50 letters, digits and underscores;
 * - S3 Object Lock (Amazon S3 User Guide, "Object Lock"): a default retention of
 *   days or years, not both, on a bucket with object lock enabled, and no lifecycle
 *   rule promising to expire noncurrent versions before that retention has run out.
 */

const RESTORE_TYPES: Record<string, string[]> = {
  Aurora: ['rds'],
  DocumentDB: ['rds'],
  DynamoDB: ['dynamodb'],
  EBS: ['ec2'],
  EC2: ['ec2'],
  EFS: ['elasticfilesystem'],
  FSx: ['fsx'],
  Neptune: ['rds'],
  RDS: ['rds'],
  S3: ['s3'],
};

const within = (v: unknown, min: number, max: number) => Number.isInteger(Number(v)) && Number(v) >= min && Number(v) <= max;

export function checkRestoreTesting(app: AppModel, facts: BackupFacts): string[] {
  const out: string[] = [];
  for (const plan of app.ofType('AWS::Backup::RestoreTestingPlan')) {
    const where = `restore testing plan ${plan.stack.stackName}/${plan.logicalId}`;
    const p = plan.props;
    const cron = readCron(String(p.ScheduleExpression));
    if (cron.invalid) out.push(`${where}: ${cron.invalid}`);
    if (!/^[a-zA-Z0-9_]{1,50}$/.test(String(p.RestoreTestingPlanName))) out.push(`${where}: name '${p.RestoreTestingPlanName}'`);
    if (p.StartWindowHours !== undefined && !within(p.StartWindowHours, 1, 168)) out.push(`${where}: StartWindowHours ${p.StartWindowHours} is not 1-168`);
    const selection = p.RecoveryPointSelection ?? {};
    if (!within(selection.SelectionWindowDays ?? 30, 1, 365)) out.push(`${where}: SelectionWindowDays ${selection.SelectionWindowDays} is not 1-365`);
    for (const arn of selection.IncludeVaults ?? []) {
      if (arn !== '*' && !facts.vaults.some((v) => v.arn === arn)) out.push(`${where}: includes ${arn}, not a vault of the app`);
    }
  }
  const names = new Map<string, string[]>();
  for (const s of app.ofType('AWS::Backup::RestoreTestingSelection')) {
    const where = `restore testing selection ${s.stack.stackName}/${s.logicalId}`;
    const p = s.props;
    const services = RESTORE_TYPES[String(p.ProtectedResourceType)];
    if (!services) out.push(`${where}: ProtectedResourceType ${p.ProtectedResourceType} is not supported`);
    if (p.ValidationWindowHours !== undefined && !within(p.ValidationWindowHours, 1, 168)) out.push(`${where}: ValidationWindowHours ${p.ValidationWindowHours} is not 1-168`);
    const arns: string[] = p.ProtectedResourceArns ?? [];
    if (arns.length === 0 || arns.length > 30 || (arns.includes('*') && arns.length > 1)) out.push(`${where}: ProtectedResourceArns [${arns.join(', ')}]`);
    for (const arn of arns.filter((a) => a !== '*')) {
      if (services && !services.includes(arn.split(':')[2])) out.push(`${where}: ${arn} is not a ${p.ProtectedResourceType} resource`);
    }
    const name = String(p.RestoreTestingSelectionName);
    if (!/^[a-zA-Z0-9_]{1,50}$/.test(name)) out.push(`${where}: name '${name}'`);
    const planName = String(p.RestoreTestingPlanName);
    names.set(planName, [...(names.get(planName) ?? []), name]);
  }
  for (const [plan, selections] of names) {
    const duplicate = selections.find((n, i) => selections.indexOf(n) !== i);
    if (duplicate) out.push(`restore testing plan ${plan}: two selections are named '${duplicate}'`);
  }
  return out;
}

export function checkObjectLockedBuckets(app: AppModel): string[] {
  const out: string[] = [];
  for (const bucket of app.ofType('AWS::S3::Bucket')) {
    const lock = bucket.props.ObjectLockConfiguration;
    if (!lock) continue;
    const where = `bucket ${bucket.stack.stackName}/${bucket.logicalId}`;
    if (bucket.props.ObjectLockEnabled !== true) out.push(`${where}: ObjectLockConfiguration without ObjectLockEnabled`);
    const retention = lock.Rule?.DefaultRetention;
    if (!retention) continue;
    if ((retention.Days === undefined) === (retention.Years === undefined)) out.push(`${where}: default retention needs Days or Years, exactly one`);
    if (retention.Mode !== 'GOVERNANCE' && retention.Mode !== 'COMPLIANCE') out.push(`${where}: object lock mode ${retention.Mode}`);
    const days = retention.Days !== undefined ? Number(retention.Days) : Number(retention.Years) * 365;
    if (retention.Days !== undefined && !within(retention.Days, 1, 36500)) out.push(`${where}: default retention ${retention.Days} days is not 1-36500`);
    if (retention.Years !== undefined && !within(retention.Years, 1, 100)) out.push(`${where}: default retention ${retention.Years} years is not 1-100`);
    for (const rule of bucket.props.LifecycleConfiguration?.Rules ?? []) {
      const noncurrent = rule.NoncurrentVersionExpiration?.NoncurrentDays ?? rule.NoncurrentVersionExpirationInDays;
      if (noncurrent !== undefined && Number(noncurrent) < days) {
        out.push(`${where}: lifecycle rule ${rule.Id ?? '(no id)'} expires noncurrent versions after ${noncurrent} days, inside the ${days}-day lock`);
      }
    }
  }
  return out;
}
