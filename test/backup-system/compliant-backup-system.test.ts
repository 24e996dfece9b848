import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AuditedVault, BackupTier, ComplianceProfile, CompliantBackupSystem, CompliantBackupSystemProps, KeyStrategy, ReportFormat,
} from '../../src';
import { VALID_CONTROL_NAMES } from '../../src/backup-system/audit-controls';
import { testApp } from '../support/compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };
const SYSTEM_TAG = 'compliant-backup:system';
const DR_ARN = 'arn:aws:backup:us-west-2:111111111111:backup-vault:dr';
const EU_ARN = 'arn:aws:backup:eu-west-1:111111111111:backup-vault:eu';
const LOCAL_ARN = 'arn:aws:backup:us-east-1:111111111111:backup-vault:local';
const REPORT_ROLE_SUFFIX = ':iam::111111111111:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports';

interface Built {
  readonly stack: Stack;
  readonly system: CompliantBackupSystem;
  readonly template: Template;
}

/** A stack with one system; `extra` runs after the system is built and before synthesis. */
function build(props: CompliantBackupSystemProps | ((stack: Stack) => CompliantBackupSystemProps) = {},
  extra?: (system: CompliantBackupSystem, stack: Stack) => void, stackName = 'Sys'): Built {
  const stack = new Stack(testApp(), stackName, { env: ENV });
  const system = new CompliantBackupSystem(stack, 'Backups', typeof props === 'function' ? props(stack) : props);
  extra?.(system, stack);
  return { stack, system, template: Template.fromStack(stack) };
}

function only(template: Template, type: string, prefix = ''): [string, any] {
  const entries = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  expect(entries.map(([id]) => id)).toHaveLength(1);
  return entries[0];
}

function systemTagValue(template: Template): string {
  return only(template, 'AWS::Backup::BackupPlan')[1].Properties.BackupPlanTags[SYSTEM_TAG];
}

interface RenderedControl {
  readonly name: string;
  readonly parameters: Record<string, unknown>;
  readonly tags?: Array<{ Key: string; Value: string }>;
}

function controls(template: Template): RenderedControl[] {
  const [, framework] = only(template, 'AWS::Backup::Framework');
  return framework.Properties.FrameworkControls.map((c: any) => ({
    name: c.ControlName,
    parameters: Object.fromEntries((c.ControlInputParameters ?? []).map((p: any) => [p.ParameterName, p.ParameterValue])),
    tags: c.ControlScope?.Tags,
  }));
}

function control(template: Template, name: string): RenderedControl | undefined {
  return controls(template).find((c) => c.name === name);
}

/** The dashboard body as JSON, each CloudFormation reference replaced by `<Ref:id>` / `<GetAtt:id.attr>`. */
function dashboardBody(template: Template): any {
  const [, dashboard] = only(template, 'AWS::CloudWatch::Dashboard');
  const body = dashboard.Properties.DashboardBody;
  const parts: any[] = typeof body === 'string' ? [body] : body['Fn::Join'][1];
  const text = parts.map((p) => (typeof p === 'string' ? p
    : p.Ref ? `<Ref:${p.Ref}>` : p['Fn::GetAtt'] ? `<GetAtt:${p['Fn::GetAtt'].join('.')}>` : '<?>')).join('');
  return JSON.parse(text);
}

/** Metric widgets: title, and each metric as [name, vault dimension, options]. */
function metricWidgets(template: Template): Array<{ title: string; metrics: Array<[string, string, any]> }> {
  return dashboardBody(template).widgets.filter((w: any) => w.type === 'metric' && w.properties.title)
    .map((w: any) => ({
      title: w.properties.title,
      metrics: (w.properties.metrics ?? []).filter((m: any[]) => m[0] === 'AWS/Backup')
        .map((m: any[]) => {
          expect(m[2]).toBe('BackupVaultName');
          return [m[1], m[3], m[4]];
        }),
    }));
}

function statementsOf(template: Template, type: string, prop: string): any[] {
  return Object.values(template.findResources(type)).flatMap((r: any) => r.Properties[prop]?.Statement ?? []);
}

// ---------------------------------------------------------------------------------------------

describe('vaults', () => {
  test('the primary vault is an AuditedVault locked (governance) to the shortest tier retention', () => {
    const { system, template } = build({ tiers: [BackupTier.daily({ retention: Duration.days(400) }), BackupTier.hourly()] });
    const [, vault] = only(template, 'AWS::Backup::BackupVault', 'BackupsPrimaryVault');
    expect(vault.Properties.LockConfiguration).toEqual({ MinRetentionDays: 7 });
    expect(system.primaryVault.lockMode).toBe('GOVERNANCE');
    expect(AuditedVault.isAuditedVault(system.primaryVault)).toBe(true);
    expect(vault.DeletionPolicy).toBe('Retain');
  });

  test('a profile asking for compliance mode (SOX) gets a compliance-mode lock with a 72-hour grace time', () => {
    const { system, template } = build({ profile: ComplianceProfile.sox(), tiers: [BackupTier.daily({ retention: Duration.days(2555) })] });
    const [, vault] = only(template, 'AWS::Backup::BackupVault', 'BackupsPrimaryVault');
    expect(vault.Properties.LockConfiguration).toEqual({ MinRetentionDays: 2555, ChangeableForDays: 3 });
    expect(system.primaryVault.lockMode).toBe('COMPLIANCE');
  });

  test('vault props pass through: name and an explicit lock', () => {
    const { template } = build({
      vault: { vaultName: 'ledger-vault', vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(400) } },
    });
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: 'ledger-vault',
      LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 400 },
    });
  });

  test('the primary vault notifies the alarm topic', () => {
    const { template } = build();
    const [topicId] = only(template, 'AWS::SNS::Topic', 'BackupsAlarmTopic');
    template.hasResourceProperties('AWS::Backup::BackupVault', { Notifications: Match.objectLike({ SNSTopicArn: { Ref: topicId } }) });
  });

  describe('every retention is checked against the lock of the vault it lands in', () => {
    function construct(props: (stack: Stack) => CompliantBackupSystemProps): () => CompliantBackupSystem {
      const stack = new Stack(testApp(), 'Lock', { env: ENV });
      return () => new CompliantBackupSystem(stack, 'Backups', props(stack));
    }

    test('tier retention above the primary vault maximum', () => {
      expect(construct(() => ({
        tiers: [BackupTier.daily(), BackupTier.monthly()],
        vault: { vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(100) } },
      }))).toThrow("Lock/Backups: tiers['monthly'].retention is 365 days; the primary vault Lock/Backups/PrimaryVault "
        + 'is locked with a maximum retention of 100 days');
    });

    test('tier retention below the primary vault minimum', () => {
      expect(construct(() => ({ tiers: [BackupTier.hourly()], vault: { vaultLock: { minRetention: Duration.days(30) } } })))
        .toThrow("Lock/Backups: tiers['hourly'].retention is 7 days; the primary vault Lock/Backups/PrimaryVault "
          + 'is locked with a minimum retention of 30 days');
    });

    test('a tier added later below the default lock (the shortest initial tier)', () => {
      const stack = new Stack(testApp(), 'Lock', { env: ENV });
      const system = new CompliantBackupSystem(stack, 'Backups');
      expect(() => system.addTier(BackupTier.hourly())).toThrow("Lock/Backups: tiers['hourly'].retention is 7 days; "
        + 'the primary vault Lock/Backups/PrimaryVault is locked with a minimum retention of 35 days');
    });

    test('an air-gapped tier below the air-gapped vault minimum of 7 days', () => {
      expect(construct(() => ({ tiers: [BackupTier.hourly({ retention: Duration.days(3), airGapped: true })] })))
        .toThrow("Lock/Backups: tiers['hourly'].retention is 3 days; the air-gapped vault Lock/Backups/AirGappedVault "
          + 'is locked with a minimum retention of 7 days');
    });

    test('copy retention below the destination vault minimum', () => {
      expect(construct((stack) => ({
        tiers: [BackupTier.daily({
          copyTo: [new AuditedVault(stack, 'Archive', { vaultLock: { minRetention: Duration.days(30) } })],
          copyRetention: Duration.days(10),
        })],
      }))).toThrow("Lock/Backups: tiers['daily'].copyRetention is 10 days; copy destination Lock/Archive "
        + 'is locked with a minimum retention of 30 days');
    });

    test('inherited copy retention above the destination vault maximum', () => {
      expect(construct((stack) => ({
        tiers: [BackupTier.monthly({
          copyTo: [new AuditedVault(stack, 'Archive', { vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(100) } })],
        })],
      }))).toThrow("Lock/Backups: tiers['monthly'].copyRetention is 365 days; copy destination Lock/Archive "
        + 'is locked with a maximum retention of 100 days');
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('selection and backup role', () => {
  let template: Template;
  beforeAll(() => {
    template = build({ keyStrategy: KeyStrategy.PER_PURPOSE }).template;
  });

  function tagSelections(t: Template): any[] {
    return Object.values(t.findResources('AWS::Backup::BackupSelection'))
      .map((r: any) => r.Properties.BackupSelection)
      .filter((s: any) => s.Conditions !== undefined || s.ListOfTags !== undefined);
  }

  test('default: Backup=true as a StringEquals condition on aws:ResourceTag/Backup, over the types the role can back up', () => {
    const selections = tagSelections(template);
    expect(selections).toHaveLength(1);
    // Never '*': a tagged resource of a type the role cannot back up (FSx, Redshift, ...) is not selected.
    const arn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
    expect(selections[0]).toMatchObject({
      SelectionName: 'tagged',
      Resources: [
        arn(':ec2:us-east-1:111111111111:volume/*'), arn(':ec2:us-east-1:111111111111:instance/*'),
        arn(':rds:us-east-1:111111111111:db:*'), arn(':rds:us-east-1:111111111111:cluster:*'),
        arn(':dynamodb:us-east-1:111111111111:table/*'), arn(':elasticfilesystem:us-east-1:111111111111:file-system/*'),
        arn(':s3:::*'),
      ],
      Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/Backup', ConditionValue: 'true' }] },
      IamRoleArn: { 'Fn::GetAtt': [only(template, 'AWS::IAM::Role', 'BackupsBackupRole')[0], 'Arn'] },
    });
    expect(selections[0].ListOfTags).toBeUndefined();
  });

  test('two tags: two conditions (AND), never ListOfTags (OR)', () => {
    const { template: t } = build({ selectionTags: { Backup: 'true', Tier: 'gold' } });
    const selections = tagSelections(t);
    expect(selections).toHaveLength(1);
    expect(selections[0].Conditions).toEqual({
      StringEquals: [
        { ConditionKey: 'aws:ResourceTag/Backup', ConditionValue: 'true' },
        { ConditionKey: 'aws:ResourceTag/Tier', ConditionValue: 'gold' },
      ],
    });
    expect(selections[0].ListOfTags).toBeUndefined();
  });

  test('selectionTags {}: no tag selection; protect() adds a selection of its own listing the ARNs', () => {
    const table = 'arn:aws:dynamodb:us-east-1:111111111111:table/ledger';
    const bucket = 'arn:aws:s3:::documents';
    let selection: backup.BackupSelection | undefined;
    const { system, template: t } = build({ selectionTags: {} }, (sys) => {
      selection = sys.protect(backup.BackupResource.fromArn(table), backup.BackupResource.fromArn(bucket));
    });
    expect(system.tagSelection).toBeUndefined();
    expect(tagSelections(t)).toEqual([]);
    const all = Object.values(t.findResources('AWS::Backup::BackupSelection')).map((r: any) => r.Properties);
    const mine = all.filter((p: any) => JSON.stringify(p.BackupSelection.Resources) === JSON.stringify([table, bucket]));
    expect(mine).toHaveLength(1);
    expect(mine[0].BackupSelection.Conditions).toBeUndefined();
    expect(mine[0].BackupSelection.IamRoleArn).toEqual({ 'Fn::GetAtt': [only(t, 'AWS::IAM::Role', 'BackupsBackupRole')[0], 'Arn'] });
    expect(mine[0].BackupPlanId).toEqual({ 'Fn::GetAtt': [only(t, 'AWS::Backup::BackupPlan')[0], 'BackupPlanId'] });
    expect(selection).toBeInstanceOf(backup.BackupSelection);
  });

  test('protect() refuses tag resources, which selectionTags covers', () => {
    const stack = new Stack(testApp(), 'P', { env: ENV });
    const system = new CompliantBackupSystem(stack, 'Backups');
    expect(() => system.protect(backup.BackupResource.fromTag('Backup', 'true'))).toThrow(
      "P/Backups: protect() is BackupResource.fromTag('Backup'); protect() takes resources by ARN or construct; select by tag with selectionTags");
  });

  test('the backup role is assumed by AWS Backup and has no AWS-managed policy', () => {
    const [roleId, role] = only(template, 'AWS::IAM::Role', 'BackupsBackupRole');
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' } },
    ]);
    expect(JSON.stringify(role.Properties.ManagedPolicyArns ?? [])).not.toMatch(/:iam::aws:policy\//);
    expect(roleId).toBeDefined();
  });

  function roleStatements(t: Template): any[] {
    const [roleId] = only(t, 'AWS::IAM::Role', 'BackupsBackupRole');
    const attached = (r: any) => (r.Properties.Roles ?? []).some((x: any) => x.Ref === roleId);
    const managed = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).filter(attached);
    const inline = Object.values(t.findResources('AWS::IAM::Policy')).filter(attached);
    expect(managed.length).toBeGreaterThan(0);
    return [...managed, ...inline].flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  }

  test('no statement of the backup role has a wildcard action', () => {
    const actions = roleStatements(template).flatMap((s) => [].concat(s.Action));
    expect(actions.length).toBeGreaterThan(20);
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
    expect(roleStatements(template).every((s) => s.Effect === 'Allow' && s.NotAction === undefined)).toBe(true);
  });

  test('the backup role can restore as well as back up, and use the vault key', () => {
    const actions = new Set(roleStatements(template).flatMap((s) => [].concat(s.Action)));
    for (const action of [
      'dynamodb:RestoreTableFromAwsBackup', 'dynamodb:StartAwsBackupJob', 'elasticfilesystem:Restore', 'elasticfilesystem:Backup',
      'rds:RestoreDBInstanceFromDBSnapshot', 'rds:RestoreDBClusterFromSnapshot', 'ec2:CreateVolume', 'ec2:RunInstances',
      's3:PutObject', 's3:GetObject', 'kms:Decrypt', 'kms:GenerateDataKey',
    ]) {
      expect(actions).toContain(action);
    }
    const [keyId] = only(template, 'AWS::KMS::Key', 'BackupsPrimaryVaultKey');
    expect(roleStatements(template).some((s) => JSON.stringify(s.Resource) === JSON.stringify({ 'Fn::GetAtt': [keyId, 'Arn'] })
      && [].concat(s.Action).includes('kms:Decrypt' as never))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

describe('audit framework', () => {
  const PLAN_CONTROLS = [
    'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK', 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK',
    'BACKUP_RECOVERY_POINT_ENCRYPTED', 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED',
  ];
  const RESOURCE_CONTROLS = [
    'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN', 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK',
    'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION', 'BACKUP_LAST_RECOVERY_POINT_CREATED', 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET',
  ];
  let full: Template;
  beforeAll(() => {
    // Every control: copies across regions, a restore target, an explicit lock, two selection tags.
    full = build((stack) => ({
      tiers: [BackupTier.hourly(), BackupTier.weekly({ copyTo: [AuditedVault.fromVaultArn(stack, 'Dr', DR_ARN)] })],
      selectionTags: { Backup: 'true', Tier: 'gold' },
      vault: { vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(400) } },
      audit: { maxRestoreTime: Duration.hours(4), frameworkName: 'ledger_framework' },
    }), undefined, 'Full').template;
  });

  test('frameworkName is used as given; the description names the construct path', () => {
    full.hasResourceProperties('AWS::Backup::Framework', {
      FrameworkName: 'ledger_framework',
      FrameworkDescription: 'Controls derived from the backup plan of Full/Backups',
    });
  });

  test('every control name is one AWS accepts, each at most once; all nine are present here', () => {
    const names = controls(full).map((c) => c.name);
    expect(names.filter((n) => !VALID_CONTROL_NAMES.includes(n))).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...PLAN_CONTROLS, ...RESOURCE_CONTROLS].sort());
  });

  test('every parameter value is a string; units are exactly hours or days', () => {
    for (const c of controls(full)) {
      for (const [name, value] of Object.entries(c.parameters)) {
        expect(typeof value).toBe('string');
        if (/Unit$/.test(name)) expect(['hours', 'days']).toContain(value);
      }
    }
  });

  test('plan, vault and recovery-point controls are scoped to the system tag; resource controls to the (first) selection tag', () => {
    const tag = systemTagValue(full);
    for (const c of controls(full)) {
      expect(c.tags).toHaveLength(1); // a ControlScope takes a single tag
      if (PLAN_CONTROLS.includes(c.name)) expect(c.tags).toEqual([{ Key: SYSTEM_TAG, Value: tag }]);
      else expect(c.tags).toEqual([{ Key: 'Backup', Value: 'true' }]);
    }
  });

  test('frequency and retention: the longest-kept tier (weekly, 90 days)', () => {
    expect(control(full, 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK')?.parameters).toEqual({
      requiredFrequencyUnit: 'days', requiredFrequencyValue: '7', requiredRetentionDays: '90',
    });
  });

  test('frequency and retention: default daily tier', () => {
    const { template } = build();
    expect(control(template, 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK')?.parameters).toEqual({
      requiredFrequencyUnit: 'days', requiredFrequencyValue: '1', requiredRetentionDays: '35',
    });
  });

  test('frequency and retention: an every-4-hours tier kept longest is written in hours', () => {
    const { template } = build({
      tiers: [BackupTier.daily(), BackupTier.hourly({ name: 'critical', schedule: cron4h(), retention: Duration.days(400) })],
    });
    expect(control(template, 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK')?.parameters).toEqual({
      requiredFrequencyUnit: 'hours', requiredFrequencyValue: '4', requiredRetentionDays: '400',
    });
  });

  test('frequency and retention: with a profile, the profile minimums (met by the archive tier)', () => {
    const { template } = build({
      profile: ComplianceProfile.custom({ name: 'Ours', minRetention: Duration.days(100), maxBackupInterval: Duration.hours(12) }),
      tiers: [BackupTier.monthly({ retention: Duration.days(3650) }), BackupTier.hourly({ name: 'archive', schedule: cron4h(), retention: Duration.days(180) })],
    });
    expect(control(template, 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK')?.parameters).toEqual({
      requiredFrequencyUnit: 'hours', requiredFrequencyValue: '12', requiredRetentionDays: '100',
    });
  });

  test('minimum retention: the least of every tier and every copy', () => {
    expect(control(full, 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK')?.parameters).toEqual({ requiredRetentionDays: '7' });
    const { template } = build((stack) => ({
      tiers: [
        BackupTier.weekly({ copyTo: [AuditedVault.fromVaultArn(stack, 'Dr', DR_ARN)], copyRetention: Duration.days(14) }),
        BackupTier.monthly(),
      ],
    }));
    expect(control(template, 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK')?.parameters).toEqual({ requiredRetentionDays: '14' });
  });

  test('vault lock control: the primary vault lock bounds', () => {
    expect(control(full, 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK')?.parameters).toEqual({ minRetentionDays: '7', maxRetentionDays: '400' });
  });

  test('cross-region control: the regions tiers copy to, sorted, only when some tier copies to another region', () => {
    expect(control(full, 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION')?.parameters).toEqual({ crossRegionList: 'us-west-2' });
    const { template: two } = build((stack) => ({
      tiers: [BackupTier.daily({ copyTo: [AuditedVault.fromVaultArn(stack, 'Dr', DR_ARN), AuditedVault.fromVaultArn(stack, 'Eu', EU_ARN)] })],
    }));
    expect(control(two, 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION')?.parameters).toEqual({ crossRegionList: 'eu-west-1,us-west-2' });
    const { template: local } = build((stack) => ({
      tiers: [BackupTier.daily({ copyTo: [AuditedVault.fromVaultArn(stack, 'Local', LOCAL_ARN)] })],
    }));
    expect(control(local, 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION')).toBeUndefined();
  });

  test('last recovery point age: the most frequent tier interval plus its windows', () => {
    // hourly: 60 + 60 (start) + 480 (completion) minutes = 10 hours.
    expect(control(full, 'BACKUP_LAST_RECOVERY_POINT_CREATED')?.parameters).toEqual({ recoveryPointAgeUnit: 'hours', recoveryPointAgeValue: '10' });
    // daily: 1440 + 60 + 480 minutes = 33 hours.
    expect(control(build().template, 'BACKUP_LAST_RECOVERY_POINT_CREATED')?.parameters)
      .toEqual({ recoveryPointAgeUnit: 'hours', recoveryPointAgeValue: '33' });
  });

  test('restore time control from audit.maxRestoreTime (minutes), absent without it', () => {
    expect(control(full, 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET')?.parameters).toEqual({ maxRestoreTime: '240' });
    expect(control(build().template, 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET')).toBeUndefined();
  });

  test('manual deletion: the roles allowed to delete are exempt', () => {
    let roleArn: string | undefined;
    const { template } = build((stack) => {
      const role = new iam.Role(stack, 'Janitor', { assumedBy: new iam.AccountRootPrincipal() });
      roleArn = role.roleArn;
      return { vault: { allowDeletionBy: [role] } };
    });
    expect(roleArn).toBeDefined();
    const [roleId] = only(template, 'AWS::IAM::Role', 'Janitor');
    expect(control(template, 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED')?.parameters).toEqual({
      principalArnList: { 'Fn::GetAtt': [roleId, 'Arn'] },
    });
    expect(control(full, 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED')?.parameters).toEqual({});
  });
});

/** Every 4 hours on the hour. */
function cron4h(): events.Schedule {
  return events.Schedule.cron({ minute: '0', hour: '*/4' });
}

// ---------------------------------------------------------------------------------------------

describe('reports and the report bucket', () => {
  let template: Template;
  beforeAll(() => {
    template = build({ keyStrategy: KeyStrategy.PER_PURPOSE }).template;
  });
  const TEMPLATES = ['BACKUP_JOB_REPORT', 'COPY_JOB_REPORT', 'RESTORE_JOB_REPORT', 'CONTROL_COMPLIANCE_REPORT', 'RESOURCE_COMPLIANCE_REPORT'];

  function reportPlans(t: Template): any[] {
    return Object.values(t.findResources('AWS::Backup::ReportPlan')).map((r: any) => r.Properties);
  }

  test('five report plans, one per template', () => {
    template.resourceCountIs('AWS::Backup::ReportPlan', 5);
    expect(reportPlans(template).map((p) => p.ReportSetting.ReportTemplate).sort()).toEqual([...TEMPLATES].sort());
  });

  test('delivered to the report bucket as CSV and JSON, in PascalCase; names AWS accepts', () => {
    const [bucketId] = only(template, 'AWS::S3::Bucket', 'BackupsReportBucket');
    for (const p of reportPlans(template)) {
      expect(p.ReportDeliveryChannel).toEqual({ S3BucketName: { Ref: bucketId }, S3KeyPrefix: 'backup-reports', Formats: ['CSV', 'JSON'] });
      expect(p.ReportPlanName).toMatch(/^[a-zA-Z][_a-zA-Z0-9]*$/);
      expect(p.ReportPlanName.length).toBeLessThanOrEqual(256);
    }
    const [, framework] = only(template, 'AWS::Backup::Framework');
    expect(framework.Properties.FrameworkName).toMatch(/^[a-zA-Z][_a-zA-Z0-9]*$/);
    expect(new Set(reportPlans(template).map((p) => p.ReportPlanName)).size).toBe(5);
  });

  test('framework ARNs only on the control- and resource-compliance reports', () => {
    const [frameworkId] = only(template, 'AWS::Backup::Framework');
    for (const p of reportPlans(template)) {
      if (/COMPLIANCE/.test(p.ReportSetting.ReportTemplate)) {
        expect(p.ReportSetting).toEqual({ ReportTemplate: p.ReportSetting.ReportTemplate, FrameworkArns: [{ 'Fn::GetAtt': [frameworkId, 'FrameworkArn'] }] });
      } else {
        expect(p.ReportSetting).toEqual({ ReportTemplate: p.ReportSetting.ReportTemplate });
      }
    }
  });

  test('report formats as configured', () => {
    const { template: t } = build({ audit: { reportFormats: [ReportFormat.JSON] } });
    const plans = reportPlans(t);
    expect(plans).toHaveLength(5);
    for (const p of plans) expect(p.ReportDeliveryChannel.Formats).toEqual(['JSON']);
  });

  test('the report bucket: KMS with the report key, versioned, public-blocked, access-logged, retained, no object lock by default', () => {
    const [keyId] = only(template, 'AWS::KMS::Key', 'BackupsReportKey');
    const [logsId] = only(template, 'AWS::S3::Bucket', 'BackupsAccessLogBucket');
    const [, bucket] = only(template, 'AWS::S3::Bucket', 'BackupsReportBucket');
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'report-bucket/' },
    });
    expect(bucket.Properties.ObjectLockEnabled).not.toBe(true);
    expect(bucket.Properties.ObjectLockConfiguration).toBeUndefined();
    template.hasResourceProperties('AWS::KMS::Key', { Description: Match.stringLikeRegexp('audit reports'), EnableKeyRotation: true });
  });

  test('the report bucket is TLS-only', () => {
    const [bucketId] = only(template, 'AWS::S3::Bucket', 'BackupsReportBucket');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]),
      },
    });
  });

  test('object lock (governance, days) when reportObjectLockRetention is set', () => {
    const { template: t } = build({ audit: { reportObjectLockRetention: Duration.days(400) } });
    const [, bucket] = only(t, 'AWS::S3::Bucket', 'BackupsReportBucket');
    expect(bucket.Properties.ObjectLockEnabled).toBe(true);
    expect(bucket.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 400 } },
    });
  });

  const deliveryConditions = {
    'aws:PrincipalAccount': '111111111111',
  };
  const reportRoleArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, REPORT_ROLE_SUFFIX]] };

  test('report delivery is granted by conditions on the service-linked role ARN, not by naming it as principal (bucket)', () => {
    const [bucketId] = only(template, 'AWS::S3::Bucket', 'BackupsReportBucket');
    const statements = statementsOf(template, 'AWS::S3::BucketPolicy', 'PolicyDocument').filter((s) => s.Sid === 'AllowBackupReportDelivery');
    expect(statements).toEqual([{
      Sid: 'AllowBackupReportDelivery',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
      Condition: {
        StringEquals: { ...deliveryConditions, 's3:x-amz-acl': 'bucket-owner-full-control' },
        ArnEquals: { 'aws:PrincipalArn': reportRoleArn },
      },
    }]);
  });

  test('report delivery is granted by conditions on the service-linked role ARN, not by naming it as principal (key)', () => {
    const [, key] = only(template, 'AWS::KMS::Key', 'BackupsReportKey');
    const statements = key.Properties.KeyPolicy.Statement.filter((s: any) => s.Sid === 'AllowBackupReportDelivery');
    expect(statements).toEqual([{
      Sid: 'AllowBackupReportDelivery',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: deliveryConditions, ArnEquals: { 'aws:PrincipalArn': reportRoleArn } },
    }]);
  });

  test('no policy statement anywhere names AWSServiceRoleForBackupReports as a principal', () => {
    const statements = [
      ...statementsOf(template, 'AWS::S3::BucketPolicy', 'PolicyDocument'),
      ...statementsOf(template, 'AWS::KMS::Key', 'KeyPolicy'),
      ...statementsOf(template, 'AWS::SNS::TopicPolicy', 'PolicyDocument'),
      ...statementsOf(template, 'AWS::IAM::Role', 'AssumeRolePolicyDocument'),
    ];
    expect(statements.length).toBeGreaterThan(5);
    expect(statements.filter((s) => JSON.stringify(s.Principal ?? '').includes('AWSServiceRoleForBackupReports'))).toEqual([]);
    expect(JSON.stringify(template.toJSON())).toContain('AWSServiceRoleForBackupReports');
  });
});

// ---------------------------------------------------------------------------------------------

describe('AWS Config', () => {
  test('configRecorder: true records the five resource types the framework evaluates, delivering to the report bucket', () => {
    const { stack, template } = build({ audit: { configRecorder: true }, keyStrategy: KeyStrategy.PER_PURPOSE });
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
    template.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: {
        AllSupported: false,
        IncludeGlobalResourceTypes: false,
        ResourceTypes: ['AWS::Backup::BackupPlan', 'AWS::Backup::BackupSelection', 'AWS::Backup::BackupVault',
          'AWS::Backup::RecoveryPoint', 'AWS::Config::ResourceCompliance'],
      },
    });
    const [bucketId] = only(template, 'AWS::S3::Bucket', 'BackupsReportBucket');
    const [keyId] = only(template, 'AWS::KMS::Key', 'BackupsReportKey');
    template.hasResourceProperties('AWS::Config::DeliveryChannel', {
      S3BucketName: { Ref: bucketId }, S3KeyPrefix: 'config', S3KmsKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('AWS::Config::ResourceCompliance'));
  });

  test('without a recorder: no Config resources and a synth warning naming what must be recorded', () => {
    const { stack, template } = build();
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 0);
    template.resourceCountIs('AWS::Config::DeliveryChannel', 0);
    Annotations.fromStack(stack).hasWarning('/Sys/Backups', Match.stringLikeRegexp('AWS::Config::ResourceCompliance'));
    Annotations.fromStack(stack).hasWarning('/Sys/Backups', Match.stringLikeRegexp('audit.configRecorder'));
  });
});

// ---------------------------------------------------------------------------------------------

describe('monitoring', () => {
  let built: Built;
  beforeAll(() => {
    built = build((stack) => ({
      keyStrategy: KeyStrategy.PER_PURPOSE,
      tiers: [BackupTier.daily({
        copyTo: [AuditedVault.fromVaultArn(stack, 'Dr', DR_ARN), AuditedVault.fromVaultArn(stack, 'Local', LOCAL_ARN)],
      })],
    }), undefined, 'Mon');
  });

  test('one dashboard with backup, restore and recovery point widgets for the primary vault', () => {
    const { template } = built;
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const [vaultId] = only(template, 'AWS::Backup::BackupVault', 'BackupsPrimaryVault');
    const widgets = metricWidgets(template);
    const byTitle = (title: string) => widgets.find((w) => w.title === title);
    const vault = `<Ref:${vaultId}>`;
    expect(byTitle('Backup jobs into primary')?.metrics.map(([n, v]) => [n, v])).toEqual([
      ['NumberOfBackupJobsCompleted', vault], ['NumberOfBackupJobsFailed', vault],
      ['NumberOfBackupJobsAborted', vault], ['NumberOfBackupJobsExpired', vault],
    ]);
    expect(byTitle('Restore jobs from primary')?.metrics.map(([n, v]) => [n, v])).toEqual([
      ['NumberOfRestoreJobsCompleted', vault], ['NumberOfRestoreJobsFailed', vault],
    ]);
    expect(byTitle('Recovery points in primary')?.metrics.map(([n, v]) => [n, v])).toEqual([
      ['NumberOfRecoveryPointsCompleted', vault], ['NumberOfRecoveryPointsPartial', vault], ['NumberOfRecoveryPointsExpired', vault],
    ]);
  });

  test('copy-job metrics are read under the destination vault, in its region when that is another one', () => {
    const widgets = metricWidgets(built.template);
    const dr = widgets.find((w) => w.title === 'Copy jobs into Mon/Dr');
    expect(dr?.metrics.map(([n, v, o]) => [n, v, o.region])).toEqual([
      ['NumberOfCopyJobsCompleted', 'dr', 'us-west-2'], ['NumberOfCopyJobsFailed', 'dr', 'us-west-2'],
    ]);
    const local = widgets.find((w) => w.title === 'Copy jobs into Mon/Local');
    expect(local?.metrics.map(([n, v, o]) => [n, v, o.region])).toEqual([
      ['NumberOfCopyJobsCompleted', 'local', undefined], ['NumberOfCopyJobsFailed', 'local', undefined],
    ]);
    // Backup jobs do not land in a copy destination.
    expect(widgets.filter((w) => w.metrics.some(([n, v]) => n === 'NumberOfBackupJobsFailed' && (v === 'dr' || v === 'local')))).toEqual([]);
  });

  function backupAlarms(template: Template): Array<{ metric: string; vault: unknown; props: any }> {
    return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r: any) => r.Properties)
      .filter((p: any) => p.Metrics?.[0]?.MetricStat?.Metric?.Namespace === 'AWS/Backup' || p.Namespace === 'AWS/Backup')
      .map((p: any) => {
        const m = p.Metrics?.[0]?.MetricStat?.Metric ?? p;
        return { metric: m.MetricName, vault: m.Dimensions.find((d: any) => d.Name === 'BackupVaultName').Value, props: p };
      });
  }

  test('alarms: failed backup jobs per vault, failed copy jobs per same-region destination; none for the other region', () => {
    const { template } = built;
    const [vaultId] = only(template, 'AWS::Backup::BackupVault', 'BackupsPrimaryVault');
    expect(backupAlarms(template).map(({ metric, vault }) => [metric, vault])).toEqual([
      ['NumberOfBackupJobsFailed', { Ref: vaultId }],
      ['NumberOfCopyJobsFailed', 'local'],
    ]);
  });

  test('alarms: 5-minute sums, at least one, missing data is not breaching, to the alarm topic', () => {
    const { template } = built;
    const [topicId] = only(template, 'AWS::SNS::Topic', 'BackupsAlarmTopic');
    const alarms = backupAlarms(template);
    expect(alarms.length).toBe(2);
    for (const { props } of alarms) {
      expect(props).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: topicId }],
      });
      expect(props.Metrics[0].MetricStat).toMatchObject({ Period: 300, Stat: 'Sum' });
    }
  });

  test('failed restore jobs go to the alarm topic through an EventBridge rule', () => {
    const { template } = built;
    const [topicId] = only(template, 'AWS::SNS::Topic', 'BackupsAlarmTopic');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.backup'], 'detail-type': ['Restore Job State Change'], 'detail': { status: ['FAILED'] } },
      Targets: [Match.objectLike({ Arn: { Ref: topicId } })],
    });
  });

  test('the alarm topic is KMS-encrypted with a key of its own', () => {
    const { template } = built;
    const [keyId] = only(template, 'AWS::KMS::Key', 'BackupsAlarmKey');
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', { Description: Match.stringLikeRegexp('alarm topic'), EnableKeyRotation: true });
  });

  test('a passed alarmTopic is used for alarms, the restore rule and the vault notifications; none is created', () => {
    let topic: sns.Topic | undefined;
    const { system, template } = build((stack) => {
      topic = new sns.Topic(stack, 'Ops', { enforceSSL: true });
      return { alarmTopic: topic };
    });
    expect(system.alarmTopic).toBe(topic);
    const [opsId] = only(template, 'AWS::SNS::Topic');
    expect(opsId).toMatch(/^Ops/);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    for (const { props } of backupAlarms(template)) expect(props.AlarmActions).toEqual([{ Ref: opsId }]);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ 'detail-type': ['Restore Job State Change'] }),
      Targets: [Match.objectLike({ Arn: { Ref: opsId } })],
    });
    template.hasResourceProperties('AWS::Backup::BackupVault', { Notifications: Match.objectLike({ SNSTopicArn: { Ref: opsId } }) });
    expect(Object.keys(template.findResources('AWS::KMS::Key')).filter((id) => id.startsWith('BackupsAlarmKey'))).toEqual([]);
  });
});

describe('monitoring follows addTier()', () => {
  test('a copy destination added with addTier() gets its failed-copy alarm and widget', () => {
    const { template } = build({}, (system, stack) => {
      system.addTier(BackupTier.weekly({ copyTo: [AuditedVault.fromVaultArn(stack, 'Local', LOCAL_ARN)] }));
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [Match.objectLike({
        MetricStat: Match.objectLike({
          Metric: Match.objectLike({ MetricName: 'NumberOfCopyJobsFailed', Dimensions: [{ Name: 'BackupVaultName', Value: 'local' }] }),
        }),
      })],
    });
    expect(metricWidgets(template).map((w) => w.title)).toContain('Copy jobs into Sys/Local');
  });
});
