/**
 * Integration test of AuditedVault (CONTRIBUTING.md, "Integration tests").
 *
 * Snapshot mode (offline, part of `npm test`): the synthesized templates must match
 * test/integ.audited-vault.ts.snapshot/.
 *
 * Deploy mode (an AWS account) asserts what a deployment should show:
 * - a table backed up on demand gets a recovery point in the vault;
 * - a backup job that fails reaches the vault's notification topic as a readable alert.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AuditedVault } from '../src';
import {
  INTEG_APP_PROPS, integEnv, expectJobAlert, expectRecoveryPoint, powerlessBackupRole, retainVaultHoldingTestRecoveryPoints,
  startBackupJob, topicInbox,
} from './support/integ-assertions';

const app = new App(INTEG_APP_PROPS);
const env = integEnv();
const stack = new Stack(app, 'IntegAuditedVault', { env });

const vault = new AuditedVault(stack, 'Vault', { removalPolicy: RemovalPolicy.DESTROY });
retainVaultHoldingTestRecoveryPoints(vault);

// One table per job: AWS Backup runs one job per resource at a time.
const table = (id: string) => new dynamodb.TableV2(stack, id, {
  partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
  removalPolicy: RemovalPolicy.DESTROY,
});
const backedUpTable = table('BackedUpTable');
const failingTable = table('FailingTable');

// What a user of AuditedVault alone brings: a role AWS Backup assumes, allowed to use the vault key.
const backupRole = new iam.Role(stack, 'BackupRole', {
  assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
  managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForBackup')],
});
vault.encryptionKey!.grantEncryptDecrypt(backupRole);
const failingRole = powerlessBackupRole(stack, 'FailingBackupRole');
const inbox = topicInbox(stack, 'NotificationInbox', vault.notificationTopic);

const integ = new IntegTest(app, 'AuditedVaultTest', {
  testCases: [stack],
  // In the test's environment, so that assertions can refer to its resources.
  assertionStack: new Stack(app, 'IntegAuditedVaultAssertions', { env }),
  // The snapshot holds templates, not asset contents, so it cannot be deployed as the "before" of an update.
  stackUpdateWorkflow: false,
});

// A table backed up on demand lands in the vault.
startBackupJob(integ, { vault, resourceArn: backedUpTable.tableArn, role: backupRole })
  .next(expectRecoveryPoint(integ, vault, backedUpTable.tableArn));

// A failed job reaches the notification topic as the alert handler's message.
const failed = startBackupJob(integ, { vault, resourceArn: failingTable.tableArn, role: failingRole });
failed.next(expectJobAlert(integ, inbox, failed.getAttString('BackupJobId')));

app.synth();
