/**
 * IAM simulation (issue 14, items 1 and 8) with @cloud-copilot/iam-simulate over the
 * synthesized policies: the restore validator may read scan jobs and, with scan rules, describe
 * the recovery points GuardDuty scans (and no others); the catalog handler may describe scan
 * jobs; the backup role of a system with EKS and Aurora DSQL may back up and restore their
 * clusters in its own account and region, and nothing beyond.
 */
import { Stack } from 'aws-cdk-lib';
import { AdditionalResourceType, CompliantBackupSystem, RestoreTestingResourceType as T } from '../../src';
import { RestoreTesting } from '../../src/backup-system/restore-testing';
import { AppModel, ModelResource } from '../judges/cfn/app-model';
import { access, roleActor } from '../judges/delivery/edge';
import { evaluateAccess } from '../judges/iam/simulate';
import { testApp } from '../support/compliance';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';

let model: AppModel;

beforeAll(() => {
  const app = testApp();
  const stack = new Stack(app, 'Estate', { env: { account: ACCOUNT, region: REGION } });
  const system = new CompliantBackupSystem(stack, 'Backup', {
    additionalResourceTypes: [AdditionalResourceType.EKS, AdditionalResourceType.AURORA_DSQL],
    restoreTesting: { selections: [{ resourceType: T.EBS }, { resourceType: T.S3 }] },
  });
  const rt = system.node.findChild('RestoreTesting') as RestoreTesting;
  rt.requireCleanScans({ planName: 'estate', ruleName: 'daily', resourceTypes: ['EBS', 'S3'] });
  const assembly = app.synth();
  model = new AppModel('scan-and-additional-types', [{
    id: stack.artifactId, stackName: stack.stackName, account: ACCOUNT, region: REGION, template: assembly.getStackByName(stack.stackName).template,
  }]);
}, 120_000);

function role(prefix: string): ModelResource {
  const roles = model.ofType('AWS::IAM::Role').filter((r) => r.logicalId.startsWith(prefix));
  expect(roles.map((r) => r.logicalId)).toHaveLength(1);
  return roles[0];
}

/** Allowed or denied by the policies; a request the simulator cannot evaluate fails the test instead of counting as denied. */
async function allowed(rolePrefix: string, action: string, resource: string, context: Record<string, string> = {}): Promise<boolean> {
  const check = access(roleActor(model, role(rolePrefix)), action, resource, ACCOUNT, context);
  const decision = await evaluateAccess(check.request);
  expect(decision.deniedBy ?? '').not.toMatch(/simulator rejects/);
  return decision.allowed;
}

const VALIDATOR = 'BackupRestoreTestingValidatorFunctionRole';
const CATALOG = 'BackupCatalogCatalogFunctionRole';
const BACKUP = 'BackupBackupRole';

describe('restore validator: malware scans', () => {
  test('lists scan jobs', async () => {
    expect(await allowed(VALIDATOR, 'backup:ListScanJobs', '*')).toBe(true);
  });

  // The simulator maps only colon-form recovery point ARNs (arn:...:<vendor>:<region>:<account>:<type>:<id>) to
  // backup:DescribeRecoveryPoint's resource type; EBS snapshot and AMI ARNs (slash form) it cannot evaluate.
  test('describes AWS Backup recovery points of its account and region, not RDS snapshots or another region\'s', async () => {
    expect(await allowed(VALIDATOR, 'backup:DescribeRecoveryPoint', `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45`)).toBe(true);
    expect(await allowed(VALIDATOR, 'backup:DescribeRecoveryPoint', `arn:aws:backup:us-east-1:${ACCOUNT}:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45`)).toBe(false);
    expect(await allowed(VALIDATOR, 'backup:DescribeRecoveryPoint', `arn:aws:rds:${REGION}:${ACCOUNT}:snapshot:awsbackup:job-1`)).toBe(false);
  });

  test('cannot start scans or delete recovery points', async () => {
    expect(await allowed(VALIDATOR, 'backup:StartScanJob', `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:x`)).toBe(false);
    expect(await allowed(VALIDATOR, 'backup:DeleteRecoveryPoint', `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:x`)).toBe(false);
  });
});

describe('catalog handler: scan jobs', () => {
  test('describes scan jobs', async () => {
    expect(await allowed(CATALOG, 'backup:DescribeScanJob', '*')).toBe(true);
  });
});

describe('backup role: EKS and Aurora DSQL', () => {
  const cluster = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/shop`;
  const dsql = `arn:aws:dsql:${REGION}:${ACCOUNT}:cluster/abcdefghijklmnopqrstuvwxyz`;

  test.each([
    ['eks:DescribeCluster', cluster],
    ['eks:CreateAccessEntry', cluster],
    ['eks:AssociateAccessPolicy', `arn:aws:eks:${REGION}:${ACCOUNT}:access-entry/shop/role/${ACCOUNT}/AWSBackup/1a2b`],
    ['eks:ListNodegroups', cluster],
    ['eks:CreateNodegroup', cluster],
    ['eks:ListClusters', '*'],
    ['eks:CreateCluster', '*'],
    ['dsql:StartBackupJob', dsql],
    ['dsql:GetBackupJob', dsql],
    ['dsql:CreateCluster', dsql],
    ['dsql:StartRestoreJob', dsql],
    ['dsql:ListClusters', '*'],
  ])('%s on %s is allowed', async (action, resource) => {
    expect(await allowed(BACKUP, action, resource)).toBe(true);
  });

  test.each([
    ['eks:DeleteCluster', cluster],
    ['eks:DescribeCluster', `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/shop`],
    ['eks:DescribeCluster', `arn:aws:eks:${REGION}:444455556666:cluster/shop`],
    ['dsql:DeleteCluster', dsql],
    ['dsql:StartBackupJob', `arn:aws:dsql:us-east-1:${ACCOUNT}:cluster/abcdefghijklmnopqrstuvwxyz`],
  ])('%s on %s is denied', async (action, resource) => {
    expect(await allowed(BACKUP, action, resource)).toBe(false);
  });

  test('passes roles to EKS and AWS Backup only', async () => {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/shop-node-role`;
    expect(await allowed(BACKUP, 'iam:PassRole', roleArn, { 'iam:PassedToService': 'eks.amazonaws.com' })).toBe(true);
    expect(await allowed(BACKUP, 'iam:PassRole', roleArn, { 'iam:PassedToService': 'backup.amazonaws.com' })).toBe(true);
    expect(await allowed(BACKUP, 'iam:PassRole', roleArn, { 'iam:PassedToService': 'lambda.amazonaws.com' })).toBe(false);
  });
});
