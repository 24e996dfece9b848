/**
 * Shared set-up and helpers for the *.test.ts files of this folder (one file per concern).
 *
 * Tests for lambda-src/vault-alert.lambda.ts: the on-call alert for failed AWS Backup jobs.
 *
 * Most tests stub the SDK clients with aws-sdk-client-mock. A stubbed `send` skips the SDK's
 * middleware, retries included, so the retry and timeout tests instead swap the Backup
 * client's HTTP transport for an in-process fake: the real serializer, retry strategy and
 * error parser run, and nothing leaves the process.
 */
import { PublishCommand, type PublishCommandInput } from '@aws-sdk/client-sns';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { type BackupJobEvent } from '../../../lambda-src/vault-alert/format';
import { setHandlerEnv, TEST_REGION } from '../../support/fake-aws';

export type HandlerModule = typeof import('../../../lambda-src/vault-alert.lambda');

export const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:backup-alerts';
export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const VAULT = 'prod-vault';
export const VAULT_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${VAULT}`;
export const DR_VAULT_ARN = `arn:aws:backup:eu-central-1:${ACCOUNT}:backup-vault:dr-vault`;
export const DB_ARN = `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders-db`;
export const BACKUP_JOB_ID = 'a1b2c3d4-5678-90ab-cdef-111111111111';
export const COPY_JOB_ID = 'c0c0c0c0-5678-90ab-cdef-222222222222';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`;

// Shaped like the AWS Backup "Backup Job State Change" example in the AWS Backup developer guide.
export function backupJobEvent(overrides: Record<string, unknown> = {}, detail: Record<string, unknown> = {}): BackupJobEvent {
  return {
    'version': '0',
    'id': 'evt-backup-1',
    'detail-type': 'Backup Job State Change',
    'source': 'aws.backup',
    'account': ACCOUNT,
    'time': '2026-11-03T03:12:09Z',
    'region': REGION,
    'resources': [DB_ARN],
    'detail': {
      backupJobId: BACKUP_JOB_ID,
      backupSizeInBytes: '0',
      backupVaultArn: VAULT_ARN,
      backupVaultName: VAULT,
      bytesTransferred: '0',
      creationDate: '2026-11-03T03:00:01.235Z',
      iamRoleArn: ROLE_ARN,
      resourceArn: DB_ARN,
      resourceType: 'RDS',
      state: 'FAILED',
      statusMessage: 'Backup job failed (from the event).',
      startBy: '2026-11-03T04:00:01.235Z',
      percentDone: 0.0,
      createdBy: { backupPlanId: 'plan-1234', backupPlanVersion: 'v1', backupRuleId: 'rule-5678' },
      ...detail,
    },
    ...overrides,
  } as BackupJobEvent;
}

export function copyJobEvent(detail: Record<string, unknown> = {}): BackupJobEvent {
  return {
    'version': '0',
    'id': 'evt-copy-1',
    'detail-type': 'Copy Job State Change',
    'source': 'aws.backup',
    'account': ACCOUNT,
    'time': '2026-11-03T05:40:00Z',
    'region': REGION,
    'resources': [`arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:rp-1`],
    'detail': {
      copyJobId: COPY_JOB_ID,
      backupSizeInBytes: 1024,
      creationDate: '2026-11-03T05:30:00.000Z',
      iamRoleArn: ROLE_ARN,
      resourceArn: DB_ARN,
      resourceType: 'RDS',
      sourceBackupVaultArn: VAULT_ARN,
      destinationBackupVaultArn: DR_VAULT_ARN,
      state: 'FAILED',
      statusMessage: 'Copy job failed (from the event).',
      ...detail,
    },
  } as BackupJobEvent;
}

export const describedBackupJob = {
  AccountId: ACCOUNT,
  BackupJobId: BACKUP_JOB_ID,
  BackupVaultName: VAULT,
  BackupVaultArn: VAULT_ARN,
  RecoveryPointArn: `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:rp-orders-1`,
  ResourceArn: DB_ARN,
  ResourceName: 'orders-db',
  ResourceType: 'RDS',
  State: 'FAILED' as const,
  StatusMessage: 'The KMS key used by the DB instance is disabled.',
  IamRoleArn: ROLE_ARN,
  CreatedBy: { BackupPlanId: 'plan-1234', BackupPlanName: 'prod-plan', BackupRuleId: 'rule-5678', BackupRuleName: 'daily' },
  CreationDate: new Date('2026-11-03T03:00:01.235Z'),
  StartBy: new Date('2026-11-03T04:00:01.235Z'),
  CompletionDate: new Date('2026-11-03T03:11:58.000Z'),
};

export function publishedInput(sns: AwsClientStub<any>): PublishCommandInput {
  const calls = sns.commandCalls(PublishCommand);
  expect(calls).toHaveLength(1);
  return calls[0].args[0].input;
}

export let restoreEnv: () => void;
export let mod: HandlerModule;
export let sns: AwsClientStub<any>;

export function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Loads the handler with its environment once and gives every test a fresh SNS stub. */
export function installVaultAlertStubs(): void {
  beforeAll(() => {
    restoreEnv = setHandlerEnv(TEST_REGION, { TOPIC_ARN, VAULT_NAME: VAULT });
    // Loaded here, not imported at the top: the module reads its environment at load time.
    mod = jest.requireActual<HandlerModule>('../../../lambda-src/vault-alert.lambda');
  });

  afterAll(() => {
    restoreEnv();
  });

  beforeEach(() => {
    sns = mockClient(mod.snsClient);
    sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
  });

  afterEach(() => {
    sns.restore();
  });
}
