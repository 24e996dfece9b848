/**
 * Shared set-up and helpers for the *.test.ts files of this folder (one file per concern).
 *
 * Tests for lambda-src/restore-validator.lambda.ts: validation of restore-testing jobs.
 *
 * Checks and handler run against SDK clients stubbed with aws-sdk-client-mock, and a fake
 * clock whose sleep advances it, so the wait loop runs for real in no time. A stubbed `send`
 * skips the SDK's retry middleware, so the throttling tests swap a real client's HTTP transport
 * for an in-process fake instead. The catalog tests run the UpdateItem against dynalite on
 * 127.0.0.1 together with the catalog handler's own writer.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { BackupClient, PutRestoreValidationResultCommand } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { RDSClient } from '@aws-sdk/client-rds';
import {
  GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, S3Client, type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createRestoreValidatorHandler, type ValidatorConfig, type ValidatorDeps } from '../../../lambda-src/restore-validator.lambda';
import { capturedMetrics as captureMetrics } from '../../support/captured-metrics';
import { FAKE_CREDENTIALS as CREDENTIALS } from '../../support/fake-aws';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
export const TABLE = 'backup-catalog';
export const JOB_ID = 'AB123456-78C9-0123-456D-789012E34567';
export const PLAN_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:restore-testing-plan:nightly_restore_test-8f6c1a2b`;
export const VAULT_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:primary`;
export const RP_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:6f7fc1f8-2f2e-40ac-943b-8f8efa9ba99d`;
export const BUCKET = 'awsbackup-restore-test-1a2b3c';
export const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
export const TABLE_NAME = 'awsbackup-restore-test-orders';
export const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${TABLE_NAME}`;
export const VOLUME_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0123456789abcdef0`;
export const DB_ARN = `arn:aws:rds:${REGION}:${ACCOUNT}:db:awsbackup-restore-test-db1`;
export const CLUSTER_ARN = `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:awsbackup-restore-test-aurora1`;
export const EVENT_TIME = '2026-03-01T03:15:00Z';
export const NOW = Date.parse('2026-03-01T03:20:00.000Z');

// ---------- builders ----------

/**
 * Shaped like the COMPLETED "Restore Job State Change" example of the AWS Backup developer
 * guide (eventbridge.html), plus `restoreTestingPlanArn` as restore-testing jobs carry it.
 * A detail override of `undefined` removes the field.
 */
export function restoreEvent(detail: Record<string, unknown> = {}, top: Record<string, unknown> = {}) {
  const merged: Record<string, unknown> = {
    restoreJobId: JOB_ID,
    backupVaultArn: VAULT_ARN,
    recoveryPointArn: RP_ARN,
    sourceResourceArn: 'arn:aws:s3:::orders-bucket',
    backupSizeInBytes: '0',
    creationDate: '2026-03-01T03:10:01.742Z',
    iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/RestoreTestRole`,
    percentDone: 0,
    resourceType: 'S3',
    status: 'COMPLETED',
    createdResourceArn: BUCKET_ARN,
    completionDate: '2026-03-01T03:14:53.128Z',
    restoreTestingPlanArn: PLAN_ARN,
    ...detail,
  };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  return {
    'version': '0',
    'id': 'ab32977c-378d-2122-e985-fgh4596f0709',
    'detail-type': 'Restore Job State Change',
    'source': 'aws.backup',
    'account': ACCOUNT,
    'time': EVENT_TIME,
    'region': REGION,
    'resources': [RP_ARN],
    'detail': merged,
    ...top,
  };
}

export const capturedMetrics = () => captureMetrics('RestoreValidatorTest', 'restore-validator');

// Logs are built (at DEBUG) and checked, but not printed: see test/support/handler-test-hooks.ts.
export const silentLogger = () => new Logger({ serviceName: 'restore-validator-test' });

/** A clock that only moves when the code under test sleeps. */
export function fakeClock(start = NOW) {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

export const body = (bytes: number[]) => ({ transformToByteArray: async () => new Uint8Array(bytes) }) as unknown as GetObjectCommandOutput['Body'];

export function awsError<T extends Error>(err: T, httpStatusCode: number): T {
  return Object.assign(err, { $metadata: { httpStatusCode } });
}

export const DEFAULT_CONFIG: ValidatorConfig = {
  tableName: TABLE,
  waitMs: 120_000,
  pollIntervalMs: 10_000,
  allowEmptyS3: false,
  allowEmptyDynamoDb: false,
};

export function setup(config: Partial<ValidatorConfig> = {}, extra: Partial<ValidatorDeps> = {}) {
  const clients = {
    backup: new BackupClient({ region: REGION, credentials: CREDENTIALS }),
    s3: new S3Client({ region: REGION, credentials: CREDENTIALS }),
    dynamodb: new DynamoDBClient({ region: REGION, credentials: CREDENTIALS }),
    ec2: new EC2Client({ region: REGION, credentials: CREDENTIALS }),
    rds: new RDSClient({ region: REGION, credentials: CREDENTIALS }),
    catalog: DynamoDBDocumentClient.from(new DynamoDBClient({ region: REGION, credentials: CREDENTIALS })),
  };
  const mocks = {
    backup: mockClient(clients.backup),
    s3: mockClient(clients.s3),
    dynamodb: mockClient(clients.dynamodb),
    ec2: mockClient(clients.ec2),
    rds: mockClient(clients.rds),
    catalog: mockClient(clients.catalog),
  };
  mocks.backup.on(PutRestoreValidationResultCommand).resolves({});
  mocks.catalog.on(UpdateCommand).resolves({});
  const m = capturedMetrics();
  const clock = fakeClock();
  const deps: ValidatorDeps = {
    ...clients,
    config: { ...DEFAULT_CONFIG, ...config },
    logger: silentLogger(),
    metrics: m.metrics,
    now: clock.now,
    sleep: clock.sleep,
    ...extra,
  };
  return { run: createRestoreValidatorHandler(deps), mocks, m, clock, deps };
}

export type Mocks = ReturnType<typeof setup>['mocks'];

export function putInputs(mocks: Mocks) {
  return mocks.backup.commandCalls(PutRestoreValidationResultCommand).map((c) => c.args[0].input);
}

export function onlyPut(mocks: Mocks) {
  const puts = putInputs(mocks);
  expect(puts).toHaveLength(1);
  return puts[0];
}

export function stubHealthyBucket(mocks: Mocks) {
  mocks.s3.on(HeadBucketCommand).resolves({});
  mocks.s3.on(ListObjectsV2Command).resolves({
    KeyCount: 5,
    IsTruncated: true,
    Contents: [
      { Key: 'exports/a.json', Size: 0 },
      { Key: 'exports/b.json', Size: 100 },
      { Key: 'exports/c.json', Size: 0 },
      { Key: 'exports/d.json', Size: 50, StorageClass: 'DEEP_ARCHIVE' },
      { Key: 'exports/e.json', Size: 0 },
    ],
  });
  mocks.s3.on(GetObjectCommand).resolves({ Body: body([0x7b]) });
  mocks.s3.on(HeadObjectCommand).resolves({});
}
