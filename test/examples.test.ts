import { CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Finding, describeFindings, readFindings, synthFindings, testApp } from './support/compliance';
import { AuditedVaultExampleStack } from '../examples/audited-vault/stack';
import { DocumentBackupStack, RETENTION_DAYS } from '../examples/document-backup/stack';
import { SoxBackupEstateStack } from '../examples/sox-backup-estate/stack';

const ENV = { account: '123456789012', region: 'eu-west-1' };

describe('example: audited-vault', () => {
  test('synthesizes with zero unacknowledged compliance findings', () => {
    const app = testApp();
    const stack = new AuditedVaultExampleStack(app, 'AuditedVaultExample', { env: ENV });
    expect(describeFindings(synthFindings(app))).toEqual([]);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Backup::BackupVault', 1);
    template.resourceCountIs('AWS::Backup::LogicallyAirGappedBackupVault', 1);
  });

  // The one test that keeps aws-cdk-lib's built-in CloudFormation validation on:
  // the templates must be valid against the CloudFormation resource schemas. The
  // validator downgrades schema errors to warnings in the report, so any finding fails.
  test('passes aws-cdk-lib built-in CloudFormation template validation', () => {
    const app = testApp({ builtinValidation: true });
    new AuditedVaultExampleStack(app, 'AuditedVaultExample', { env: ENV });
    app.synth();
    const findings = readFindings(app.outdir).filter((f) => f.plugin === 'CloudFormation Validate');
    expect(describeFindings(findings)).toEqual([]);
  });

  test('built-in CloudFormation validation does report a schema violation (control)', () => {
    const app = testApp({ builtinValidation: true });
    const stack = new Stack(app, 'Control', { env: ENV });
    new CfnResource(stack, 'Bad', { type: 'AWS::Backup::BackupVault', properties: { BackupVaultName: 'x' } });
    app.synth();
    const findings = readFindings(app.outdir).filter((f) => f.plugin === 'CloudFormation Validate');
    expect(findings.map((f) => f.rule)).toContain('F3031');
  });
});

describe('example: sox-backup-estate', () => {
  let findings: Finding[] = [];
  let template: Template;
  beforeAll(() => {
    const app = testApp();
    const stack = new SoxBackupEstateStack(app, 'SoxBackupEstate', { env: { account: '123456789012', region: 'us-east-1' } });
    findings = synthFindings(app);
    template = Template.fromStack(stack);
  });

  test('synthesizes with zero unacknowledged compliance findings', () => {
    expect(describeFindings(findings)).toEqual([]);
  });

  test('seven-year daily tier copied to us-west-2 and scanned and indexed, air-gapped critical tier, Config recorder, the ledger protected by ARN', () => {
    const [plan] = Object.values(template.findResources('AWS::Backup::BackupPlan')) as any[];
    const rules = plan.Properties.BackupPlan.BackupPlanRule;
    expect(rules.map((r: any) => [r.RuleName, r.Lifecycle])).toEqual([
      ['daily', { DeleteAfterDays: 2555, MoveToColdStorageAfterDays: 90 }],
      ['critical', { DeleteAfterDays: 365 }],
    ]);
    expect(rules[0].CopyActions).toEqual([{
      DestinationBackupVaultArn: 'arn:aws:backup:us-west-2:123456789012:backup-vault:sox-dr', Lifecycle: { DeleteAfterDays: 90 },
    }]);
    expect(rules[1].TargetLogicallyAirGappedBackupVaultArn).toBeDefined();
    // Malware scanning and backup indexes together: the daily rule scans in full and indexes S3,
    // the plan names GuardDuty's scanner role, and the scan job report joins the audit reports.
    expect(rules[0].ScanActions).toEqual([{ MalwareScanner: 'GUARDDUTY', ScanMode: 'FULL_SCAN' }]);
    expect(rules[0].IndexActions).toEqual([{ ResourceTypes: ['S3'] }]);
    expect(rules[1].ScanActions).toBeUndefined();
    expect(plan.Properties.BackupPlan.ScanSettings).toEqual([expect.objectContaining({
      MalwareScanner: 'GUARDDUTY', ResourceTypes: expect.arrayContaining(['EBS', 'EC2', 'S3']), ScannerRoleArn: expect.anything(),
    })]);
    template.hasResourceProperties('AWS::Backup::ReportPlan', { ReportSetting: Match.objectLike({ ReportTemplate: 'SCAN_JOB_REPORT' }) });
    template.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 365, ChangeableForDays: 3 } });
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
    const [ledgerId] = Object.keys(template.findResources('AWS::DynamoDB::GlobalTable')).filter((id) => id.startsWith('Ledger'));
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({ Resources: [{ 'Fn::GetAtt': [ledgerId, 'Arn'] }] }),
    });
  });
});

describe('example: document-backup', () => {
  const ENVIRONMENTS = Object.keys(RETENTION_DAYS);
  let findings: Finding[] = [];
  const stacks: Record<string, DocumentBackupStack> = {};
  beforeAll(() => {
    // As the example's app.ts: server access logs granted by bucket policy, as `cdk init` sets it.
    const app = testApp({ context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true } });
    for (const environment of ENVIRONMENTS) {
      stacks[environment] = new DocumentBackupStack(app, `DocumentBackup-${environment}`, {
        environment,
        env: { account: '123456789012', region: 'eu-central-1' },
      });
    }
    findings = synthFindings(app);
  });

  test('retention per environment: production 30, staging 14, development 7 days', () => {
    expect(RETENTION_DAYS).toEqual({ production: 30, staging: 14, development: 7 });
  });

  test.each(['production', 'staging', 'development'])('%s synthesizes with zero findings and keeps its retention', (environment) => {
    const mine = findings.filter((f) => f.paths.some((p) => p.replace(/^\//, '').startsWith(`DocumentBackup-${environment}/`)));
    expect(describeFindings(mine)).toEqual([]);
    const template = Template.fromStack(stacks[environment]);
    const [plan] = Object.values(template.findResources('AWS::Backup::BackupPlan')) as any[];
    expect(plan.Properties.BackupPlan.BackupPlanRule.map((r: any) => [r.RuleName, r.Lifecycle.DeleteAfterDays]))
      .toEqual([['daily', RETENTION_DAYS[environment]]]);
    // Only what protect() names: no tag selection; the documents bucket is listed by ARN.
    const selections = Object.values(template.findResources('AWS::Backup::BackupSelection')).map((r: any) => r.Properties.BackupSelection);
    expect(selections.filter((s: any) => s.Conditions || s.ListOfTags)).toEqual([]);
    const [documentsId] = Object.keys(template.findResources('AWS::S3::Bucket')).filter((id) => id.startsWith('Documents'));
    expect(selections.some((s: any) => JSON.stringify(s.Resources) === JSON.stringify([{ 'Fn::GetAtt': [documentsId, 'Arn'] }]))).toBe(true);
  });

  test('no finding in any of the three stacks, attributed or not', () => {
    expect(describeFindings(findings)).toEqual([]);
  });

  test('an unknown environment is refused', () => {
    expect(() => new DocumentBackupStack(testApp(), 'X', { environment: 'qa' })).toThrow(
      "environment is 'qa'; expected one of production, staging, development");
  });
});
