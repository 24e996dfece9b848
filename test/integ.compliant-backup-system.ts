/**
 * Integration test of CompliantBackupSystem (CONTRIBUTING.md, "Integration tests").
 *
 * Snapshot mode (offline, part of `npm test`): the synthesized templates must match
 * test/integ.compliant-backup-system.ts.snapshot/.
 *
 * Deploy mode (an AWS account) asserts what a deployment should show:
 * - a table carrying the selection tag, backed up on demand with the system's own backup
 *   role (the role its tag selection uses), gets a recovery point in the primary vault;
 * - a backup job that fails reaches the system's alarm topic.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { BackupTier, CompliantBackupSystem } from '../src';
import {
  INTEG_APP_PROPS, integEnv, TEST_RECOVERY_POINT_DAYS, expectJobAlert, expectRecoveryPoint, powerlessBackupRole,
  retainVaultHoldingTestRecoveryPoints, startBackupJob, topicInbox,
} from './support/integ-assertions';

const SELECTION_TAGS = { Backup: 'true' };

const app = new App(INTEG_APP_PROPS);
const env = integEnv();
const stack = new Stack(app, 'IntegCompliantBackupSystem', { env });

const system = new CompliantBackupSystem(stack, 'Backups', {
  // The vault lock follows the shortest tier: one day, so that the test's recovery points may expire.
  tiers: [BackupTier.daily({ retention: Duration.days(TEST_RECOVERY_POINT_DAYS) })],
  selectionTags: SELECTION_TAGS,
  removalPolicy: RemovalPolicy.DESTROY,
});
retainVaultHoldingTestRecoveryPoints(system.primaryVault);

// One table per job: AWS Backup runs one job per resource at a time.
const taggedTable = (id: string) => {
  const table = new dynamodb.TableV2(stack, id, {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  for (const [key, value] of Object.entries(SELECTION_TAGS)) Tags.of(table).add(key, value);
  return table;
};
const backedUpTable = taggedTable('BackedUpTable');
const failingTable = taggedTable('FailingTable');
const failingRole = powerlessBackupRole(stack, 'FailingBackupRole');
const inbox = topicInbox(stack, 'AlarmInbox', system.alarmTopic);

const integ = new IntegTest(app, 'CompliantBackupSystemTest', {
  testCases: [stack],
  // In the test's environment, so that assertions can refer to its resources.
  assertionStack: new Stack(app, 'IntegCompliantBackupSystemAssertions', { env }),
  // The snapshot holds templates, not asset contents, so it cannot be deployed as the "before" of an update.
  stackUpdateWorkflow: false,
});

// A tagged table, backed up with the role the tag selection uses, lands in the primary vault.
startBackupJob(integ, { vault: system.primaryVault, resourceArn: backedUpTable.tableArn, role: system.backupRole })
  .next(expectRecoveryPoint(integ, system.primaryVault, backedUpTable.tableArn));

// A failed job reaches the alarm topic.
const failed = startBackupJob(integ, { vault: system.primaryVault, resourceArn: failingTable.tableArn, role: failingRole });
failed.next(expectJobAlert(integ, inbox, failed.getAttString('BackupJobId')));

app.synth();
