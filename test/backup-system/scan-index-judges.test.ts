import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { BackupTier, CompliantBackupSystem, IndexedResourceType, MalwareScanMode } from '../../src';
import { AppModel, ModelResource } from '../judges/cfn/app-model';
import { AllowedRule, cfnLintVersion, describeMatch, isAllowed, runCfnLint } from '../judges/cfn-lint';
import { access, roleActor } from '../judges/delivery/edge';
import { assumeRole } from '../judges/delivery/roles';
import { discoverEdges, judgeDeliveryPaths } from '../judges/delivery-paths';
import { keyPolicy } from '../judges/iam/policies';
import { evaluateAccess } from '../judges/iam/simulate';
import { describeFindings, synthFindings, testApp } from '../support/compliance';

/*
 * The independent judges over a system whose tiers scan and index: cdk-nag's four packs and
 * the Control Tower proactive controls, cfn-lint 1.51 in the stack's region, the
 * delivery-path checker, and IAM simulation of what GuardDuty, the scanner role and the
 * backup role do for scanning and indexing (allowed) and of requests just outside it (denied).
 */
jest.setTimeout(10 * 60_000);

const ENV = { account: '111111111111', region: 'eu-west-1' };
const GUARDDUTY = 'malware-protection.guardduty.amazonaws.com';
const ALLOWLIST: Record<string, AllowedRule> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'judges', 'cfn-lint-allowlist.json'), 'utf8'));

let findings: string[] = [];
let templateFile = '';
let model: AppModel;
let stackName = '';

beforeAll(() => {
  const app = testApp();
  const stack = new Stack(app, 'ScanIndex', { env: ENV });
  new CompliantBackupSystem(stack, 'Backups', {
    airGappedVault: true,
    tiers: [
      BackupTier.daily({ malwareScan: MalwareScanMode.INCREMENTAL, backupIndexes: [IndexedResourceType.S3] }),
      BackupTier.weekly({ malwareScan: MalwareScanMode.FULL, backupIndexes: [IndexedResourceType.EBS] }),
      BackupTier.monthly({ malwareScan: MalwareScanMode.FULL, airGapped: true }),
    ],
  });
  findings = describeFindings(synthFindings(app));
  stackName = stack.stackName;
  templateFile = path.join(app.outdir, stack.templateFile);
  model = new AppModel('scan-index', [{
    id: stack.artifactId,
    stackName,
    account: ENV.account,
    region: ENV.region,
    template: JSON.parse(fs.readFileSync(templateFile, 'utf8')),
  }]);
});

function oneOf(type: string, where: (r: ModelResource) => boolean): ModelResource {
  const found = model.ofType(type).filter(where);
  expect(found.map((r) => r.logicalId)).toHaveLength(1);
  return found[0];
}

const trusting = (service: string) => oneOf('AWS::IAM::Role', (r) => JSON.stringify(r.props.AssumeRolePolicyDocument).includes(service));

test('cdk-nag (AwsSolutions, HIPAA, NIST 800-53 rev5, PCI DSS 3.2.1) and the Control Tower controls find nothing', () => {
  expect(findings).toEqual([]);
});

test('cfn-lint 1.51 finds nothing outside the project\'s allowlist in the stack\'s region', () => {
  const { version, problem } = cfnLintVersion();
  expect(problem).toBeUndefined();
  expect(version).toMatch(/1\.51/);
  const run = runCfnLint([{ app: 'scan-index', stackName, region: ENV.region, templateFile }]);
  expect(run.matches.filter((m) => !isAllowed(m, ALLOWLIST)).map(describeMatch)).toEqual([]);
  // What the linter read: the plan with ScanSettings, ScanActions and IndexActions.
  const plan = JSON.parse(fs.readFileSync(templateFile, 'utf8')).Resources;
  const rendered = JSON.stringify(Object.values(plan).filter((r: any) => r.Type === 'AWS::Backup::BackupPlan'));
  for (const property of ['ScanSettings', 'ScanActions', 'IndexActions']) expect(rendered).toContain(`"${property}"`);
});

test('every delivery path of the app is allowed (the scan and index alarm rules among them)', async () => {
  const judgement = await judgeDeliveryPaths(model);
  expect(judgement.findings).toEqual([]);
  // The alarm rules (the catalog's job-event rule also matches scan jobs, into its queue).
  const rules = model.ofType('AWS::Events::Rule').filter((r) => /Scan Job State Change|Recovery Point Index State Change/
    .test(JSON.stringify(r.props.EventPattern ?? {})) && !r.logicalId.includes('Catalog'));
  expect(rules).toHaveLength(2);
  // Each rule's delivery to the alarm topic is one of the judged edges.
  const judged = discoverEdges(model).filter((e) => rules.some((r) => r.logicalId === e.source.logicalId));
  expect(judged.map((e) => e.kind)).toEqual(['rule target', 'rule target']);
  expect(judged.every((e) => e.checks.length > 0)).toBe(true);
});

describe('IAM simulation', () => {
  const allowed = async (check: ReturnType<typeof access>) => (await evaluateAccess(check.request)).allowed;

  test('GuardDuty Malware Protection may assume the scanner role the plan names', async () => {
    const plan = oneOf('AWS::Backup::BackupPlan', () => true);
    const scanner = trusting(GUARDDUTY);
    expect(model.stacks[0].resolve(plan.props.BackupPlan.ScanSettings[0].ScannerRoleArn)).toEqual(scanner.attr('Arn'));
    const [check] = assumeRole(GUARDDUTY, plan.stack, scanner, plan.arn);
    expect(await allowed(check as any)).toBe(true);
    const [other] = assumeRole('ec2.amazonaws.com', plan.stack, scanner);
    expect(await allowed(other as any)).toBe(false);
  });

  test('the backup role starts scans and passes the scanner role to GuardDuty, and to nothing else', async () => {
    const backupRole = roleActor(model, trusting('backup.amazonaws.com'));
    const scannerArn = trusting(GUARDDUTY).attr('Arn');
    expect(await allowed(access(backupRole, 'guardduty:StartMalwareScan', '*', ENV.account, {}))).toBe(true);
    expect(await allowed(access(backupRole, 'guardduty:GetMalwareScan', '*', ENV.account, {}))).toBe(true);
    expect(await allowed(access(backupRole, 'iam:PassRole', scannerArn, ENV.account, { 'iam:PassedToService': GUARDDUTY }))).toBe(true);
    expect(await allowed(access(backupRole, 'iam:PassRole', scannerArn, ENV.account, { 'iam:PassedToService': 'lambda.amazonaws.com' }))).toBe(false);
  });

  test('the backup role reads the blocks of snapshots AWS Backup made, for EBS indexes', async () => {
    const backupRole = roleActor(model, trusting('backup.amazonaws.com'));
    const snapshot = 'arn:aws:ec2:eu-west-1::snapshot/snap-0123456789abcdef0';
    const tagged = { 'aws:ResourceTag/aws:backup:source-resource': 'vol-0123456789abcdef0' };
    expect(await allowed(access(backupRole, 'ebs:GetSnapshotBlock', snapshot, ENV.account, tagged))).toBe(true);
    expect(await allowed(access(backupRole, 'ebs:ListSnapshotBlocks', snapshot, ENV.account, tagged))).toBe(true);
    expect(await allowed(access(backupRole, 'ebs:GetSnapshotBlock', snapshot, ENV.account, {}))).toBe(false);
  });

  test('the scanner role reads snapshots AWS Backup made and recovery points, not other snapshots or regions', async () => {
    const scanner = roleActor(model, trusting(GUARDDUTY));
    const snapshot = 'arn:aws:ec2:eu-west-1::snapshot/snap-0123456789abcdef0';
    const tagged = { 'aws:ResourceTag/aws:backup:source-resource': 'vol-0123456789abcdef0' };
    expect(await allowed(access(scanner, 'ebs:ListChangedBlocks', snapshot, ENV.account, tagged))).toBe(true);
    expect(await allowed(access(scanner, 'ec2:ModifySnapshotAttribute', snapshot, ENV.account, tagged))).toBe(true);
    expect(await allowed(access(scanner, 'ec2:ModifySnapshotAttribute', snapshot, ENV.account, {}))).toBe(false);
    expect(await allowed(access(scanner, 'ebs:GetSnapshotBlock', snapshot.replace('eu-west-1', 'us-east-1'), ENV.account, tagged))).toBe(false);
    const recoveryPoint = 'arn:aws:backup:eu-west-1:111111111111:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45';
    expect(await allowed(access(scanner, 'backup:DescribeRecoveryPoint', recoveryPoint, ENV.account, {}))).toBe(true);
    expect(await allowed(access(scanner, 'backup:CreateBackupAccessPoint', recoveryPoint, ENV.account, {}))).toBe(true);
    expect(await allowed(access(scanner, 'backup:DeleteBackupAccessPoint',
      'arn:aws:backup:eu-west-1:111111111111:accesspoint/scan-1', ENV.account, {}))).toBe(true);
    expect(await allowed(access(scanner, 'backup:DeleteRecoveryPoint', recoveryPoint, ENV.account, {}))).toBe(false);
  });

  test('the scanner role uses the vault key through AWS Backup and GuardDuty only, for the grant operations GuardDuty needs', async () => {
    const scanner = roleActor(model, trusting(GUARDDUTY));
    const vault = oneOf('AWS::Backup::BackupVault', () => true);
    const key = model.byArn(String(vault.props.EncryptionKeyArn))!;
    expect(key).toBeDefined();
    const policy = keyPolicy(key);
    const keyArn = key.attr('Arn');
    const viaBackup = { 'kms:ViaService': 'backup.eu-west-1.amazonaws.com' };
    expect(await allowed(access(scanner, 'kms:Decrypt', keyArn, ENV.account, viaBackup, policy))).toBe(true);
    expect(await allowed(access(scanner, 'kms:Decrypt', keyArn, ENV.account, { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' }, policy))).toBe(false);
    const grant = (operations: string[]) => access(scanner, 'kms:CreateGrant', keyArn, ENV.account, {
      'kms:ViaService': 'guardduty.eu-west-1.amazonaws.com', 'kms:GrantOperations': operations, 'kms:GrantIsForAWSResource': 'true',
    }, policy);
    expect(await allowed(grant(['Decrypt', 'CreateGrant', 'RetireGrant']))).toBe(true);
    expect(await allowed(grant(['Decrypt', 'Encrypt']))).toBe(false);
  });
});
