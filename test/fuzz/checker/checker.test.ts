import { checkTemplates } from '.';
import { readCron } from './cron';
import type { StackInput } from '../../judges/cfn/app-model';
import { synthesizedApps } from '../../judges/synth/synthesized-apps';

/**
 * The fuzz checker must be able to fail: on the coverage app (every option of every
 * construct, synthesized once by the judges) it finds nothing, and each seeded break
 * of one invariant is found and named.
 */

let coverage: StackInput[];

beforeAll(() => {
  const app = synthesizedApps().find((a) => a.name === 'all-options');
  if (!app || app.error) throw new Error(`the coverage app did not synthesize: ${app?.error}`);
  coverage = app.stacks;
});

/** The coverage app with one change, judged. */
function judgeWith(change: (resources: (stack: string, type: string) => any[]) => void): string[] {
  const stacks: StackInput[] = JSON.parse(JSON.stringify(coverage));
  change((stack, type) => Object.values<any>(stacks.find((s) => s.stackName === stack)!.template.Resources).filter((r) => r.Type === type));
  return checkTemplates('all-options (seeded)', stacks);
}

const PRIMARY = 'AllOptionsPrimary';
const rule = (r: (s: string, t: string) => any[], name: string) => r(PRIMARY, 'AWS::Backup::BackupPlan')[0].Properties.BackupPlan.BackupPlanRule
  .find((x: any) => x.RuleName === name);
const control = (r: (s: string, t: string) => any[], name: string) => r(PRIMARY, 'AWS::Backup::Framework')[0].Properties.FrameworkControls
  .find((c: any) => c.ControlName === name);
const parameter = (c: any, name: string) => c.ControlInputParameters.find((p: any) => p.ParameterName === name);

describe('fuzz checker', () => {
  test('finds the coverage app consistent', () => {
    expect(checkTemplates('all-options', coverage)).toEqual([]);
  });

  test.each<[string, (r: (s: string, t: string) => any[]) => void, RegExp]>([
    ['a lifecycle deleted less than 90 days after cold storage', (r) => { rule(r, 'daily').Lifecycle.DeleteAfterDays = 100; },
      /rule 'daily': DeleteAfterDays 100 < MoveToColdStorageAfterDays 90 \+ 90/],
    ['a retention below the target vault lock', (r) => { rule(r, 'hourly').Lifecycle.DeleteAfterDays = 3; },
      /rule 'hourly': kept 3 days, below the minimum 7 days of the lock of vault AllOptionsPrimary\/BackupsPrimaryVault/],
    ['a copy kept longer than the DR vault lock of another stack and region', (r) => { rule(r, 'daily').CopyActions[1].Lifecycle.DeleteAfterDays = 4000; },
      /copy to arn:aws:backup:eu-central-1:123456789012:backup-vault:all-options-dr: kept 4000 days, above the maximum 3650 days/],
    ['continuous backup kept 36 days', (r) => { rule(r, 'continuous').Lifecycle.DeleteAfterDays = 36; }, /continuous backup retention 36 is not 1-35 days/],
    ['a schedule that runs twice an hour', (r) => { rule(r, 'hourly').ScheduleExpression = 'cron(0,30 * * * ? *)'; }, /runs every 30 minutes/],
    ['a rate() schedule', (r) => { rule(r, 'hourly').ScheduleExpression = 'rate(1 hour)'; }, /'rate\(1 hour\)' is not a cron\(\) expression/],
    ['a start window under an hour', (r) => { rule(r, 'daily').StartWindowMinutes = 59; }, /StartWindowMinutes 59 < 60/],
    ['an air-gapped vault as TargetBackupVault', (r) => { rule(r, 'weekly').TargetBackupVault = { Ref: 'BackupsAirGappedVault0D159C18' }; },
      /is a logically air-gapped vault/],
    ['a frequency-and-retention control no rule meets', (r) => {
      parameter(control(r, 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK'), 'requiredRetentionDays').ParameterValue = '3000';
    }, /no rule backs up at least every 1440 minutes and keeps 3000 days/],
    ['a frequency written as DAILY', (r) => {
      parameter(control(r, 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK'), 'requiredFrequencyUnit').ParameterValue = 'DAILY';
    }, /requiredFrequencyUnit is "DAILY", not 'hours' or 'days'/],
    ['a minimum-retention control above the shortest retention', (r) => {
      parameter(control(r, 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK'), 'requiredRetentionDays').ParameterValue = '8';
    }, /requires 8 days, but a recovery point is kept 7 days/],
    ['a cross-region control naming another region', (r) => {
      parameter(control(r, 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION'), 'crossRegionList').ParameterValue = 'us-west-2';
    }, /crossRegionList \[us-west-2\] differs from the copy regions \[eu-central-1\]/],
    ['a vault lock control stricter than the vault', (r) => {
      parameter(control(r, 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK'), 'minRetentionDays').ParameterValue = '30';
    }, /requires a lock of at least 30 days/],
    ['a last-recovery-point control no rule meets', (r) => {
      parameter(control(r, 'BACKUP_LAST_RECOVERY_POINT_CREATED'), 'recoveryPointAgeValue').ParameterValue = '1';
    }, /no rule makes a recovery point at least every 60 minutes/],
    ['a grace time under 72 hours', (r) => { r(PRIMARY, 'AWS::Backup::BackupVault')[0].Properties.LockConfiguration.ChangeableForDays = 2; },
      /ChangeableForDays 2 is under 3 days/],
    ['an air-gapped vault without a maximum', (r) => { delete r(PRIMARY, 'AWS::Backup::LogicallyAirGappedBackupVault')[0].Properties.MaxRetentionDays; },
      /a logically air-gapped vault has no maximum retention/],
    ['replication without Replication Time Control', (r) => {
      const bucket = r(PRIMARY, 'AWS::S3::Bucket').find((b) => b.Properties.BucketName === 'all-options-documents-123456789012');
      delete bucket.Properties.ReplicationConfiguration.Rules[0].Destination.ReplicationTime;
    }, /rule dr-\w+-to-eu-central-1 has no Replication Time Control of 15 minutes/],
    ['an RPO below what RTC promises', (r) => {
      const readiness = r('AllOptionsPrimary-DrRecovery', 'AWS::Lambda::Function').find((f) => f.Properties.Environment?.Variables?.RPO_SECONDS);
      readiness.Properties.Environment.Variables.RPO_SECONDS = '600';
    }, /the declared RPO 600 s is below what RTC promises/],
    ['backup copies less often than the RPO', (r) => {
      const readiness = r('AllOptionsPrimary-DrRecovery', 'AWS::Lambda::Function').find((f) => f.Properties.Environment?.Variables?.RPO_SECONDS);
      readiness.Properties.Environment.Variables.RPO_SECONDS = '3600';
      // Copies are held to the RPO where they are the only mechanism: take replication and databases away.
      readiness.Properties.Environment.Variables.REPLICATION = '[]';
      readiness.Properties.Environment.Variables.DATABASES = '[]';
    }, /the most frequent copy into the DR vault runs every 1440 minutes, over the RPO of 3600 s/],
    ['a secondary Aurora cluster with credentials', (r) => {
      r('AllOptionsPrimary-DrRecovery', 'AWS::RDS::DBCluster')[0].Properties.MasterUsername = 'admin';
    }, /a secondary cluster carries credentials/],
    ['noncurrent versions expiring inside the object lock', (r) => {
      const landing = r(PRIMARY, 'AWS::S3::Bucket').find((b) => b.Properties.InventoryConfigurations);
      landing.Properties.LifecycleConfiguration.Rules.find((x: any) => x.NoncurrentVersionExpiration).NoncurrentVersionExpiration.NoncurrentDays = 1;
    }, /expires noncurrent versions after 1 days, inside the \d+-day lock/],
    ['a restore testing start window over a week', (r) => { r(PRIMARY, 'AWS::Backup::RestoreTestingPlan')[0].Properties.StartWindowHours = 169; },
      /StartWindowHours 169 is not 1-168/],
    ['a restore testing selection of two types', (r) => {
      const s = r(PRIMARY, 'AWS::Backup::RestoreTestingSelection').find((x) => x.Properties.ProtectedResourceType === 'DynamoDB' && x.Properties.ProtectedResourceArns[0] !== '*');
      s.Properties.ProtectedResourceArns.push('arn:aws:s3:::documents');
    }, /arn:aws:s3:::documents is not a DynamoDB resource/],
  ])('finds %s', (_name, change, finding) => {
    const findings = judgeWith(change);
    expect(findings.some((f) => finding.test(f))).toBe(true);
  });
});

describe('fuzz checker: schedules', () => {
  const DAY = 1440;
  test.each([
    ['cron(0 * * * ? *)', 60, 60],
    ['cron(0 */4 * * ? *)', 240, 240],
    ['cron(0 5 * * ? *)', DAY, DAY],
    ['cron(0 5 ? * SUN *)', 7 * DAY, 7 * DAY],
    ['cron(0 5 ? * MON-FRI *)', 3 * DAY, DAY],
    ['cron(0 5 1 * ? *)', 31 * DAY, 28 * DAY],
    ['cron(0 5 L * ? *)', 31 * DAY, 28 * DAY],
    ['cron(0 5 29 2 ? *)', (3 * 365 + 366) * DAY, (3 * 365 + 366) * DAY],
    ['cron(0,30 * * * ? *)', 30, 30],
    ['cron(15/20 * * * ? *)', 20, 20],
  ])('%s: longest gap %i minutes, shortest %i', (expression, maxGap, minGap) => {
    const reading = readCron(expression);
    expect(reading).toEqual({ maxGapMinutes: maxGap, minGapMinutes: minGap });
  });

  test.each([
    ['rate(1 hour)', /not a cron\(\) expression/],
    ['cron(0 5 * * * *)', /exactly one of day-of-month and day-of-week is '\?'/],
    ['cron(0 5 * *)', /has 4 fields, not 6/],
    ['cron(0 25 * * ? *)', /25 is outside 0-23/],
    ['cron(0 5 31 2 ? *)', /runs never in 8 years/],
  ])('%s is not a schedule AWS Backup accepts', (expression, reason) => {
    expect(readCron(expression).invalid).toMatch(reason);
  });
});
