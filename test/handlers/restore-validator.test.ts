/**
 * Tests for lambda-src/restore-validator.lambda.ts: validation of restore-testing jobs.
 *
 * Checks and handler run against SDK clients stubbed with aws-sdk-client-mock, and a fake
 * clock whose sleep advances it, so the wait loop runs for real in no time. A stubbed `send`
 * skips the SDK's retry middleware, so the throttling tests swap a real client's HTTP transport
 * for an in-process fake instead. The catalog tests run the UpdateItem against dynalite on
 * 127.0.0.1 together with the catalog handler's own writer.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { BackupClient, DescribeRestoreJobCommand, InvalidRequestException, PutRestoreValidationResultCommand } from '@aws-sdk/client-backup';
import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DBClusterNotFoundFault, DBInstanceNotFoundFault, DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  S3Client,
  S3ServiceException,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { CatalogJobItem } from '../../lambda-src/catalog/job-record';
import { writeJobRecord } from '../../lambda-src/catalog/writer';
import {
  dynamoDbTableName,
  ebsVolumeId,
  inferResourceType,
  parseArn,
  rdsResource,
  resolveTarget,
  s3BucketName,
} from '../../lambda-src/restore-validator/arn';
import {
  checkDynamoDbTable,
  checkEbsVolume,
  checkRdsCluster,
  checkRdsInstance,
  checkS3Bucket,
  checkUntilSettled,
  type CheckResult,
} from '../../lambda-src/restore-validator/checks';
import { createCatalogClient, createDynamoDbClient, MAX_ATTEMPTS } from '../../lambda-src/restore-validator/clients';
import { classifyEvent } from '../../lambda-src/restore-validator/event';
import { buildValidationUpdate, clampMessage, MAX_MESSAGE_LENGTH } from '../../lambda-src/restore-validator/report';
import {
  backupClient as moduleBackupClient,
  configFromEnv,
  createRestoreValidatorHandler,
  ec2Client as moduleEc2Client,
  handler as moduleHandler,
  metrics as moduleMetrics,
  TIME_RESERVE_MS,
  waitBudget,
  type ValidatorConfig,
  type ValidatorDeps,
} from '../../lambda-src/restore-validator.lambda';
import { jobKey } from '../../lambda-src/shared/catalog-schema';
import { capturedLogger } from '../support/captured-logs';
import { capturedMetrics as captureMetrics } from '../support/captured-metrics';
import { createCatalogTable, startDynalite, type LocalDynamo } from '../support/dynalite';
import { FAKE_CREDENTIALS as CREDENTIALS, UNREACHABLE_ENDPOINT } from '../support/fake-aws';
import { fakeTransport as jsonTransport, type ScriptedReply } from '../support/fake-transport';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const TABLE = 'backup-catalog';
const JOB_ID = 'AB123456-78C9-0123-456D-789012E34567';
const PLAN_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:restore-testing-plan:nightly_restore_test-8f6c1a2b`;
const VAULT_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:primary`;
const RP_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:6f7fc1f8-2f2e-40ac-943b-8f8efa9ba99d`;
const BUCKET = 'awsbackup-restore-test-1a2b3c';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const TABLE_NAME = 'awsbackup-restore-test-orders';
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${TABLE_NAME}`;
const VOLUME_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0123456789abcdef0`;
const DB_ARN = `arn:aws:rds:${REGION}:${ACCOUNT}:db:awsbackup-restore-test-db1`;
const CLUSTER_ARN = `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:awsbackup-restore-test-aurora1`;
const EVENT_TIME = '2026-03-01T03:15:00Z';
const NOW = Date.parse('2026-03-01T03:20:00.000Z');

// ---------- builders ----------

/**
 * Shaped like the COMPLETED "Restore Job State Change" example of the AWS Backup developer
 * guide (eventbridge.html), plus `restoreTestingPlanArn` as restore-testing jobs carry it.
 * A detail override of `undefined` removes the field.
 */
function restoreEvent(detail: Record<string, unknown> = {}, top: Record<string, unknown> = {}) {
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

const capturedMetrics = () => captureMetrics('RestoreValidatorTest', 'restore-validator');

// Logs are built (at DEBUG) and checked, but not printed: see test/support/handler-test-hooks.ts.
const silentLogger = () => new Logger({ serviceName: 'restore-validator-test' });

/** A clock that only moves when the code under test sleeps. */
function fakeClock(start = NOW) {
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

const body = (bytes: number[]) => ({ transformToByteArray: async () => new Uint8Array(bytes) }) as unknown as GetObjectCommandOutput['Body'];

function awsError<T extends Error>(err: T, httpStatusCode: number): T {
  return Object.assign(err, { $metadata: { httpStatusCode } });
}

const DEFAULT_CONFIG: ValidatorConfig = {
  tableName: TABLE,
  waitMs: 120_000,
  pollIntervalMs: 10_000,
  allowEmptyS3: false,
  allowEmptyDynamoDb: false,
};

function setup(config: Partial<ValidatorConfig> = {}, extra: Partial<ValidatorDeps> = {}) {
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

type Mocks = ReturnType<typeof setup>['mocks'];

function putInputs(mocks: Mocks) {
  return mocks.backup.commandCalls(PutRestoreValidationResultCommand).map((c) => c.args[0].input);
}

function onlyPut(mocks: Mocks) {
  const puts = putInputs(mocks);
  expect(puts).toHaveLength(1);
  return puts[0];
}

function stubHealthyBucket(mocks: Mocks) {
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

// ---------- pure: ARN parsing ----------

describe('ARN parsing', () => {
  test('parseArn keeps colons inside the resource part and rejects non-ARNs', () => {
    expect(parseArn(DB_ARN)).toEqual({ partition: 'aws', service: 'rds', region: REGION, account: ACCOUNT, resource: 'db:awsbackup-restore-test-db1' });
    expect(parseArn('arn:aws:s3:::bucket')).toEqual({ partition: 'aws', service: 's3', region: '', account: '', resource: 'bucket' });
    expect(parseArn('not-an-arn')).toBeUndefined();
    expect(parseArn('arn:aws:s3:::')).toBeUndefined();
    expect(parseArn(undefined)).toBeUndefined();
  });

  test.each([
    ['arn:aws:s3:::my-bucket', 'my-bucket'],
    ['arn:aws:s3:::my.bucket/some/key.txt', 'my.bucket'],
    ['arn:aws-us-gov:s3:::gov-bucket', 'gov-bucket'],
    ['arn:aws:s3:us-east-1:111122223333:accesspoint/ap', undefined], // an access point, not a bucket
    ['arn:aws:s3:::Upper_Case', undefined],
    [TABLE_ARN, undefined],
  ])('s3BucketName(%s) = %s', (arn, expected) => {
    expect(s3BucketName(arn)).toBe(expected);
  });

  test.each([
    [TABLE_ARN, TABLE_NAME],
    [`arn:aws-cn:dynamodb:cn-north-1:${ACCOUNT}:table/orders.v2`, 'orders.v2'],
    [`${TABLE_ARN}/stream/2026-03-01T00:00:00.000`, TABLE_NAME],
    [`arn:aws:dynamodb:${REGION}:${ACCOUNT}:global-table/orders`, undefined],
    [BUCKET_ARN, undefined],
  ])('dynamoDbTableName(%s) = %s', (arn, expected) => {
    expect(dynamoDbTableName(arn)).toBe(expected);
  });

  test.each([
    [VOLUME_ARN, 'vol-0123456789abcdef0'],
    [`arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`, undefined],
    [`arn:aws:ec2:${REGION}::snapshot/snap-0123`, undefined],
  ])('ebsVolumeId(%s) = %s', (arn, expected) => {
    expect(ebsVolumeId(arn)).toBe(expected);
  });

  test.each([
    [DB_ARN, { kind: 'instance', id: 'awsbackup-restore-test-db1' }],
    [CLUSTER_ARN, { kind: 'cluster', id: 'awsbackup-restore-test-aurora1' }],
    [`arn:aws:rds:${REGION}:${ACCOUNT}:snapshot:rds:db-2026`, undefined],
    [`arn:aws:rds:${REGION}:${ACCOUNT}:db:1starts-with-digit`, undefined],
    [VOLUME_ARN, undefined],
  ])('rdsResource(%s)', (arn, expected) => {
    expect(rdsResource(arn)).toEqual(expected);
  });

  test('resolveTarget picks the check from the resource type and ARN, and infers a missing type', () => {
    expect(resolveTarget('S3', BUCKET_ARN)).toEqual({ supported: true, resourceType: 'S3', target: { check: 'S3_BUCKET', arn: BUCKET_ARN, bucket: BUCKET } });
    expect(resolveTarget('Aurora', CLUSTER_ARN)).toMatchObject({ supported: true, target: { check: 'RDS_CLUSTER', clusterId: 'awsbackup-restore-test-aurora1' } });
    expect(resolveTarget('RDS', DB_ARN)).toMatchObject({ supported: true, target: { check: 'RDS_INSTANCE', instanceId: 'awsbackup-restore-test-db1' } });
    expect(resolveTarget(undefined, TABLE_ARN)).toMatchObject({ supported: true, resourceType: 'DynamoDB', target: { check: 'DYNAMODB_TABLE', table: TABLE_NAME } });
    expect(inferResourceType(VOLUME_ARN)).toBe('EBS');
    expect(inferResourceType(CLUSTER_ARN)).toBe('Aurora');
  });

  test('resolveTarget refuses unsupported types and a type that contradicts the ARN', () => {
    const ec2 = resolveTarget('EC2', `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`);
    expect(ec2).toMatchObject({ supported: false, resourceType: 'EC2' });
    expect(ec2.supported === false && ec2.reason).toMatch(/no validation check for resource type EC2/);
    const mismatch = resolveTarget('DynamoDB', BUCKET_ARN);
    expect(mismatch.supported === false && mismatch.reason).toMatch(/not a DynamoDB table ARN/);
    expect(resolveTarget(undefined, 'arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-1')).toMatchObject({ supported: false, resourceType: 'UNKNOWN' });
  });
});

// ---------- pure: event classification, message, catalog update ----------

describe('event classification', () => {
  test('a COMPLETED restore-testing job is validated, with the fields the handler relies on', () => {
    expect(classifyEvent(restoreEvent())).toEqual({
      action: 'validate',
      job: {
        restoreJobId: JOB_ID,
        restoreTestingPlanArn: PLAN_ARN,
        status: 'COMPLETED',
        resourceType: 'S3',
        createdResourceArn: BUCKET_ARN,
        sourceResourceArn: 'arn:aws:s3:::orders-bucket',
        recoveryPointArn: RP_ARN,
        eventTime: '2026-03-01T03:15:00.000Z',
      },
    });
  });

  test.each([
    ['no restoreTestingPlanArn', restoreEvent({ restoreTestingPlanArn: undefined }), /not from a restore testing plan/],
    ['FAILED', restoreEvent({ status: 'FAILED', createdResourceArn: undefined }), /FAILED/],
    ['RUNNING', restoreEvent({ status: 'RUNNING' }), /RUNNING, not COMPLETED/],
    ['CREATED (says state, not status)', restoreEvent({ status: undefined, state: 'CREATED' }), /CREATED, not COMPLETED/],
    ['a backup job event', restoreEvent({}, { 'detail-type': 'Backup Job State Change' }), /not an aws.backup/],
    ['another source', restoreEvent({}, { source: 'custom.app' }), /not an aws.backup/],
    ['no restoreJobId', restoreEvent({ restoreJobId: undefined }), /no restoreJobId/],
  ])('%s → ignored', (_name, event, reason) => {
    const c = classifyEvent(event);
    expect(c.action).toBe('ignore');
    expect(c.action === 'ignore' && c.reason).toMatch(reason);
  });

  test('clampMessage keeps one line within the bound', () => {
    expect(clampMessage('  a\n  b  ')).toBe('a b');
    const long = clampMessage('x'.repeat(5000));
    expect(long).toHaveLength(MAX_MESSAGE_LENGTH);
    expect(long.endsWith('…')).toBe(true);
  });

  test('the catalog update sets the validation, fills identity fields only if missing, and never writes stateRank', () => {
    const input = buildValidationUpdate(TABLE, {
      restoreJobId: JOB_ID, status: 'FAILED', message: 'm', state: 'COMPLETED', eventTime: '2026-03-01T03:15:00.000Z', updatedAt: 'u',
    });
    expect(input).toEqual({
      TableName: TABLE,
      Key: { pk: `JOB#RESTORE_JOB#${JOB_ID}`, sk: 'JOB' },
      UpdateExpression: 'SET #validationStatus = :validationStatus, #validationMessage = :validationMessage, #updatedAt = :updatedAt, '
        + '#kind = if_not_exists(#kind, :kind), #jobId = if_not_exists(#jobId, :jobId), #state = if_not_exists(#state, :state), '
        + '#eventTime = if_not_exists(#eventTime, :eventTime), #source = if_not_exists(#source, :source)',
      ExpressionAttributeNames: {
        '#validationStatus': 'validationStatus',
        '#validationMessage': 'validationMessage',
        '#updatedAt': 'updatedAt',
        '#kind': 'kind',
        '#jobId': 'jobId',
        '#state': 'state',
        '#eventTime': 'eventTime',
        '#source': 'source',
      },
      ExpressionAttributeValues: {
        ':validationStatus': 'FAILED',
        ':validationMessage': 'm',
        ':updatedAt': 'u',
        ':kind': 'RESTORE_JOB',
        ':jobId': JOB_ID,
        ':state': 'COMPLETED',
        ':eventTime': '2026-03-01T03:15:00.000Z',
        ':source': 'restore-validator',
      },
    });
    expect(JSON.stringify(input)).not.toMatch(/stateRank/);
  });

  test('configFromEnv: defaults, flags, and bad values fall back with a warning', () => {
    const warn = jest.fn();
    expect(configFromEnv({}, { warn })).toEqual({
      tableName: undefined,
      waitMs: 120_000,
      pollIntervalMs: 10_000,
      allowEmptyS3: false,
      allowEmptyDynamoDb: false,
    });
    expect(configFromEnv({ TABLE_NAME: ' t ', VALIDATION_WAIT_SECONDS: '0', VALIDATION_POLL_SECONDS: '2', ALLOW_EMPTY_S3: 'TRUE', ALLOW_EMPTY_DYNAMODB: 'yes' }, { warn }))
      .toEqual({ tableName: 't', waitMs: 0, pollIntervalMs: 2_000, allowEmptyS3: true, allowEmptyDynamoDb: false });
    expect(warn).not.toHaveBeenCalled();
    expect(configFromEnv({ VALIDATION_WAIT_SECONDS: '-5', VALIDATION_POLL_SECONDS: '0' }, { warn })).toMatchObject({ waitMs: 120_000, pollIntervalMs: 10_000 });
    expect(warn).toHaveBeenCalledTimes(2);
  });

  test('waitBudget never runs past the remaining time minus the reserve', () => {
    expect(waitBudget(120_000)).toBe(120_000);
    expect(waitBudget(120_000, { getRemainingTimeInMillis: () => 900_000 })).toBe(120_000);
    expect(waitBudget(120_000, { getRemainingTimeInMillis: () => TIME_RESERVE_MS + 5_000 })).toBe(5_000);
    expect(waitBudget(120_000, { getRemainingTimeInMillis: () => 3_000 })).toBe(0);
  });
});

// ---------- checks, one client each ----------

describe('S3 check', () => {
  test('bucket exists and a sample is readable: first byte of a non-empty object, metadata of empty and archived ones', async () => {
    const { mocks, deps } = setup();
    stubHealthyBucket(mocks);

    const result = await checkS3Bucket(deps.s3, BUCKET_ARN, { allowEmpty: false });

    expect(result).toEqual({
      status: 'SUCCESSFUL',
      message: `S3 bucket ${BUCKET}: exists; listed 5 object(s) (more not listed); read the first byte of 1 and read the metadata of 2`,
    });
    expect(mocks.s3.commandCalls(HeadBucketCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: BUCKET }]);
    expect(mocks.s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).toEqual([{ Bucket: BUCKET, MaxKeys: 5 }]);
    expect(mocks.s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: BUCKET, Key: 'exports/b.json', Range: 'bytes=0-0' }]);
    expect(mocks.s3.commandCalls(HeadObjectCommand).map((c) => c.args[0].input.Key)).toEqual(['exports/d.json', 'exports/a.json']);
    // Object keys may be sensitive: the message that goes to AWS Backup names none.
    expect(result.message).not.toMatch(/exports\//);
  });

  test('an empty bucket is FAILED ("restored bucket is empty"), or SUCCESSFUL when empty buckets are allowed', async () => {
    const { mocks, deps } = setup();
    mocks.s3.on(HeadBucketCommand).resolves({});
    mocks.s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });

    const strict = await checkS3Bucket(deps.s3, BUCKET_ARN, { allowEmpty: false });
    const lenient = await checkS3Bucket(deps.s3, BUCKET_ARN, { allowEmpty: true });

    expect(strict.status).toBe('FAILED');
    expect(strict.message).toMatch(/restored bucket is empty/);
    expect(lenient).toEqual({ status: 'SUCCESSFUL', message: `S3 bucket ${BUCKET}: exists and is empty; accepted because ALLOW_EMPTY_S3=true` });
    expect(mocks.s3).not.toHaveReceivedCommand(GetObjectCommand);
  });

  test('a missing bucket (HeadBucket NotFound) is FAILED and nothing else is called', async () => {
    const { mocks, deps } = setup();
    mocks.s3.on(HeadBucketCommand).rejects(awsError(new NotFound({ message: 'Not Found', $metadata: {} }), 404));

    const result = await checkS3Bucket(deps.s3, BUCKET_ARN, { allowEmpty: false });

    expect(result).toEqual({ status: 'FAILED', message: `S3 bucket ${BUCKET}: the restored bucket does not exist (HeadBucket: NotFound, HTTP 404)` });
    expect(mocks.s3).not.toHaveReceivedCommand(ListObjectsV2Command);
  });

  test('access denied is not a verdict: the check throws', async () => {
    const { mocks, deps } = setup();
    mocks.s3.on(HeadBucketCommand).rejects(new S3ServiceException({ name: 'Forbidden', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Forbidden' }));

    await expect(checkS3Bucket(deps.s3, BUCKET_ARN, { allowEmpty: false })).rejects.toThrow('Forbidden');
  });

  test('a listed object that cannot be read is FAILED', async () => {
    const { mocks, deps } = setup();
    mocks.s3.on(HeadBucketCommand).resolves({});
    mocks.s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'a', Size: 10 }, { Key: 'b', Size: 10 }] });
    mocks.s3.on(GetObjectCommand, { Key: 'a' }).resolves({ Body: body([1]) });
    mocks.s3.on(GetObjectCommand, { Key: 'b' }).rejects(awsError(new NoSuchKey({ message: 'gone', $metadata: {} }), 404));

    const result = await checkS3Bucket(deps.s3, BUCKET_ARN, { allowEmpty: false });

    expect(result.status).toBe('FAILED');
    expect(result.message).toBe(`S3 bucket ${BUCKET}: listed 2 object(s), but sampled object 2 of 2 is not readable (listed but not found: NoSuchKey, HTTP 404)`);
  });

  test('a ranged read that returns no data is FAILED', async () => {
    const { mocks, deps } = setup();
    mocks.s3.on(HeadBucketCommand).resolves({});
    mocks.s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'a', Size: 10 }] });
    mocks.s3.on(GetObjectCommand).resolves({ Body: body([]) });

    expect((await checkS3Bucket(deps.s3, BUCKET_ARN, { allowEmpty: false })).message).toMatch(/ranged GetObject of a 10-byte object returned no data/);
  });
});

describe('DynamoDB check', () => {
  test('ACTIVE and a Scan (Limit 5) returns items → SUCCESSFUL', async () => {
    const { mocks, deps } = setup();
    mocks.dynamodb.on(DescribeTableCommand).resolves({ Table: { TableName: TABLE_NAME, TableStatus: 'ACTIVE' } });
    mocks.dynamodb.on(ScanCommand).resolves({ Count: 5, Items: Array.from({ length: 5 }, (_, i) => ({ pk: { S: `k${i}` } })) });

    const result = await checkDynamoDbTable(deps.dynamodb, TABLE_ARN, { allowEmpty: false });

    expect(result).toEqual({ status: 'SUCCESSFUL', message: `DynamoDB table ${TABLE_NAME}: ACTIVE; Scan (Limit 5) read 5 item(s)` });
    expect(mocks.dynamodb).toHaveReceivedCommandWith(DescribeTableCommand, { TableName: TABLE_NAME });
    expect(mocks.dynamodb.commandCalls(ScanCommand)[0].args[0].input).toEqual({ TableName: TABLE_NAME, Limit: 5, ExclusiveStartKey: undefined });
  });

  test('an empty table is FAILED, or SUCCESSFUL when empty tables are allowed', async () => {
    const { mocks, deps } = setup();
    mocks.dynamodb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
    mocks.dynamodb.on(ScanCommand).resolves({ Count: 0, Items: [] });

    const strict = await checkDynamoDbTable(deps.dynamodb, TABLE_ARN, { allowEmpty: false });
    const lenient = await checkDynamoDbTable(deps.dynamodb, TABLE_ARN, { allowEmpty: true });

    expect(strict).toEqual({ status: 'FAILED', message: `DynamoDB table ${TABLE_NAME}: ACTIVE, but the restored table is empty (Scan returned no items)` });
    expect(lenient.status).toBe('SUCCESSFUL');
    expect(lenient.message).toMatch(/ALLOW_EMPTY_DYNAMODB=true/);
  });

  test('an empty Scan page with a LastEvaluatedKey is followed before judging', async () => {
    const { mocks, deps } = setup();
    mocks.dynamodb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
    mocks.dynamodb.on(ScanCommand)
      .resolvesOnce({ Count: 0, Items: [], LastEvaluatedKey: { pk: { S: 'k0' } } })
      .resolves({ Count: 1, Items: [{ pk: { S: 'k1' } }] });

    expect((await checkDynamoDbTable(deps.dynamodb, TABLE_ARN, { allowEmpty: false })).status).toBe('SUCCESSFUL');
    expect(mocks.dynamodb.commandCalls(ScanCommand)[1].args[0].input.ExclusiveStartKey).toEqual({ pk: { S: 'k0' } });
  });

  test('CREATING is PENDING; a missing table and other statuses are FAILED', async () => {
    const { mocks, deps } = setup();
    mocks.dynamodb.on(DescribeTableCommand)
      .resolvesOnce({ Table: { TableStatus: 'CREATING' } })
      .resolvesOnce({ Table: { TableStatus: 'INACCESSIBLE_ENCRYPTION_CREDENTIALS' } })
      .rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }));

    expect(await checkDynamoDbTable(deps.dynamodb, TABLE_ARN, { allowEmpty: false })).toEqual({ status: 'PENDING', message: `DynamoDB table ${TABLE_NAME}: status CREATING` });
    expect(await checkDynamoDbTable(deps.dynamodb, TABLE_ARN, { allowEmpty: false })).toEqual({
      status: 'FAILED', message: `DynamoDB table ${TABLE_NAME}: status INACCESSIBLE_ENCRYPTION_CREDENTIALS, expected ACTIVE`,
    });
    expect((await checkDynamoDbTable(deps.dynamodb, TABLE_ARN, { allowEmpty: false })).message).toMatch(/restored table does not exist \(DescribeTable: ResourceNotFoundException\)/);
    expect(mocks.dynamodb).not.toHaveReceivedCommand(ScanCommand);
  });
});

describe('EBS and RDS checks', () => {
  test('EBS: available and in-use are SUCCESSFUL, creating is PENDING, error and not-found are FAILED', async () => {
    const { mocks, deps } = setup();
    mocks.ec2.on(DescribeVolumesCommand)
      .resolvesOnce({ Volumes: [{ VolumeId: 'vol-0123456789abcdef0', State: 'available', Size: 100 }] })
      .resolvesOnce({ Volumes: [{ State: 'in-use' }] })
      .resolvesOnce({ Volumes: [{ State: 'creating' }] })
      .resolvesOnce({ Volumes: [{ State: 'error' }] })
      .rejects(awsError(Object.assign(new Error('The volume does not exist.'), { name: 'InvalidVolume.NotFound' }), 400));

    expect(await checkEbsVolume(deps.ec2, VOLUME_ARN)).toEqual({ status: 'SUCCESSFUL', message: 'EBS volume vol-0123456789abcdef0: state available, 100 GiB' });
    expect((await checkEbsVolume(deps.ec2, VOLUME_ARN)).status).toBe('SUCCESSFUL');
    expect((await checkEbsVolume(deps.ec2, VOLUME_ARN)).status).toBe('PENDING');
    expect(await checkEbsVolume(deps.ec2, VOLUME_ARN)).toEqual({ status: 'FAILED', message: 'EBS volume vol-0123456789abcdef0: state error, expected available or in-use' });
    expect((await checkEbsVolume(deps.ec2, VOLUME_ARN)).message).toMatch(/restored volume does not exist \(DescribeVolumes: InvalidVolume.NotFound, HTTP 400\)/);
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeVolumesCommand, { VolumeIds: ['vol-0123456789abcdef0'] });
  });

  test('RDS instance: available is SUCCESSFUL, creating is PENDING, incompatible-restore and not-found are FAILED', async () => {
    const { mocks, deps } = setup();
    mocks.rds.on(DescribeDBInstancesCommand)
      .resolvesOnce({ DBInstances: [{ DBInstanceStatus: 'available', Engine: 'postgres' }] })
      .resolvesOnce({ DBInstances: [{ DBInstanceStatus: 'creating' }] })
      .resolvesOnce({ DBInstances: [{ DBInstanceStatus: 'incompatible-restore' }] })
      .rejects(awsError(new DBInstanceNotFoundFault({ message: 'not found', $metadata: {} }), 404));

    expect(await checkRdsInstance(deps.rds, DB_ARN)).toEqual({ status: 'SUCCESSFUL', message: 'RDS DB instance awsbackup-restore-test-db1: status available (engine postgres)' });
    expect(await checkRdsInstance(deps.rds, DB_ARN)).toEqual({ status: 'PENDING', message: 'RDS DB instance awsbackup-restore-test-db1: status creating' });
    expect((await checkRdsInstance(deps.rds, DB_ARN)).status).toBe('FAILED');
    expect((await checkRdsInstance(deps.rds, DB_ARN)).message).toMatch(/restored DB instance does not exist/);
    expect(mocks.rds).toHaveReceivedCommandWith(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'awsbackup-restore-test-db1' });
  });

  test('Aurora cluster: available is SUCCESSFUL, modifying is PENDING, not-found is FAILED', async () => {
    const { mocks, deps } = setup();
    mocks.rds.on(DescribeDBClustersCommand)
      .resolvesOnce({ DBClusters: [{ Status: 'available', Engine: 'aurora-postgresql', DBClusterMembers: [] }] })
      .resolvesOnce({ DBClusters: [{ Status: 'modifying' }] })
      .rejects(awsError(new DBClusterNotFoundFault({ message: 'not found', $metadata: {} }), 404));

    expect(await checkRdsCluster(deps.rds, CLUSTER_ARN)).toEqual({
      status: 'SUCCESSFUL', message: 'DB cluster awsbackup-restore-test-aurora1: status available (engine aurora-postgresql, 0 member instance(s))',
    });
    expect((await checkRdsCluster(deps.rds, CLUSTER_ARN)).status).toBe('PENDING');
    expect((await checkRdsCluster(deps.rds, CLUSTER_ARN)).status).toBe('FAILED');
    expect(mocks.rds).toHaveReceivedCommandWith(DescribeDBClustersCommand, { DBClusterIdentifier: 'awsbackup-restore-test-aurora1' });
  });

  test('a check given the wrong kind of ARN throws instead of checking something else', async () => {
    const { deps } = setup();
    await expect(checkRdsInstance(deps.rds, CLUSTER_ARN)).rejects.toThrow(/expected an RDS DB instance ARN/);
    await expect(checkS3Bucket(deps.s3, TABLE_ARN, { allowEmpty: false })).rejects.toThrow(/expected an S3 bucket ARN/);
  });
});

describe('waiting for a resource that is still becoming available', () => {
  const sequence = (...results: CheckResult[]) => {
    let i = 0;
    return jest.fn(async () => results[Math.min(i++, results.length - 1)]);
  };
  const pend: CheckResult = { status: 'PENDING', message: 'table t: status CREATING' };

  test('PENDING, PENDING, SUCCESSFUL: polls at the interval and returns the verdict', async () => {
    const clock = fakeClock();
    const check = sequence(pend, pend, { status: 'SUCCESSFUL', message: 'ok' });

    const result = await checkUntilSettled(check, { deadline: NOW + 120_000, pollIntervalMs: 10_000, now: clock.now, sleep: clock.sleep });

    expect(result).toEqual({ status: 'SUCCESSFUL', message: 'ok', attempts: 3 });
    expect(clock.sleeps).toEqual([10_000, 10_000]);
  });

  test('still PENDING at the deadline → TIMED_OUT; the last pause is cut to the deadline', async () => {
    const clock = fakeClock();
    const result = await checkUntilSettled(sequence(pend), { deadline: NOW + 25_000, pollIntervalMs: 10_000, now: clock.now, sleep: clock.sleep });

    expect(result).toEqual({ status: 'TIMED_OUT', message: 'table t: status CREATING; still not ready after waiting 25 s (4 check(s))', attempts: 4 });
    expect(clock.sleeps).toEqual([10_000, 10_000, 5_000]);
  });

  test('no time to wait: one check, then TIMED_OUT', async () => {
    const clock = fakeClock();
    const check = sequence(pend);
    const result = await checkUntilSettled(check, { deadline: NOW, pollIntervalMs: 10_000, now: clock.now, sleep: clock.sleep });
    expect(result.status).toBe('TIMED_OUT');
    expect(check).toHaveBeenCalledTimes(1);
    expect(clock.sleeps).toEqual([]);
  });

  test('a clock that never advances cannot make the loop run forever', async () => {
    const check = sequence(pend);
    const result = await checkUntilSettled(check, { deadline: NOW + 30_000, pollIntervalMs: 10_000, now: () => NOW, sleep: async () => undefined });
    expect(result.status).toBe('TIMED_OUT');
    expect(check).toHaveBeenCalledTimes(4);
  });
});

// ---------- retries through the real SDK middleware ----------

describe('throttling, with a real DynamoDB client over an in-process transport', () => {
  const throttled: ScriptedReply = { status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' } };

  // DynamoDB speaks JSON 1.0 and names the operation in X-Amz-Target.
  function fakeTransport(script: ScriptedReply[]) {
    const t = jsonTransport(script, { record: (request) => request.headers['x-amz-target'], contentType: 'application/x-amz-json-1.0' });
    return { requestHandler: t.handler, targets: t.requests };
  }

  const client = (requestHandler: unknown) => createDynamoDbClient(
    { region: REGION, credentials: CREDENTIALS, endpoint: UNREACHABLE_ENDPOINT, requestHandler: requestHandler as never },
  );

  test('throttled DescribeTable is retried and the check still reaches its verdict', async () => {
    const t = fakeTransport([
      throttled,
      throttled,
      { status: 200, body: { Table: { TableName: TABLE_NAME, TableStatus: 'ACTIVE' } } },
      { status: 200, body: { Count: 1, ScannedCount: 1, Items: [{ pk: { S: 'k' } }] } },
    ]);

    const result = await checkDynamoDbTable(client(t.requestHandler), TABLE_ARN, { allowEmpty: false });

    expect(result.status).toBe('SUCCESSFUL');
    expect(t.targets).toEqual(['DynamoDB_20120810.DescribeTable', 'DynamoDB_20120810.DescribeTable', 'DynamoDB_20120810.DescribeTable', 'DynamoDB_20120810.Scan']);
  });

  test('throttling that outlasts 5 attempts is thrown by the handler; nothing is reported', async () => {
    const t = fakeTransport([throttled]);
    const { run, mocks, m } = setup({}, { dynamodb: client(t.requestHandler) });

    await expect(run(restoreEvent({ resourceType: 'DynamoDB', createdResourceArn: TABLE_ARN }))).rejects.toMatchObject({ name: 'ThrottlingException' });

    expect(t.targets).toHaveLength(MAX_ATTEMPTS);
    expect(mocks.backup).not.toHaveReceivedCommand(PutRestoreValidationResultCommand);
    expect(mocks.catalog).not.toHaveReceivedCommand(UpdateCommand);
    expect(m.emitted).toEqual([]);
  });
});

// ---------- the handler ----------

describe('handler', () => {
  test('S3 restore: checks, reports SUCCESSFUL with exactly this input, records it, counts it', async () => {
    const { run, mocks, m } = setup();
    stubHealthyBucket(mocks);

    const result = await run(restoreEvent());

    const message = `S3 bucket ${BUCKET}: exists; listed 5 object(s) (more not listed); read the first byte of 1 and read the metadata of 2`;
    expect(result).toEqual({ outcome: 'reported', restoreJobId: JOB_ID, resourceType: 'S3', status: 'SUCCESSFUL', message, attempts: 1, recorded: true });
    expect(putInputs(mocks)).toEqual([{ RestoreJobId: JOB_ID, ValidationStatus: 'SUCCESSFUL', ValidationStatusMessage: message }]);
    expect(mocks.backup).not.toHaveReceivedCommand(DescribeRestoreJobCommand);

    const updates = mocks.catalog.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toEqual({
      TableName: TABLE,
      Key: { pk: jobKey('RESTORE_JOB', JOB_ID), sk: 'JOB' },
      UpdateExpression: 'SET #validationStatus = :validationStatus, #validationMessage = :validationMessage, #updatedAt = :updatedAt, '
        + '#kind = if_not_exists(#kind, :kind), #jobId = if_not_exists(#jobId, :jobId), #state = if_not_exists(#state, :state), '
        + '#eventTime = if_not_exists(#eventTime, :eventTime), #source = if_not_exists(#source, :source), '
        + '#resourceType = if_not_exists(#resourceType, :resourceType), #createdResourceArn = if_not_exists(#createdResourceArn, :createdResourceArn), '
        + '#resourceArn = if_not_exists(#resourceArn, :resourceArn), #recoveryPointArn = if_not_exists(#recoveryPointArn, :recoveryPointArn)',
      ExpressionAttributeNames: {
        '#validationStatus': 'validationStatus',
        '#validationMessage': 'validationMessage',
        '#updatedAt': 'updatedAt',
        '#kind': 'kind',
        '#jobId': 'jobId',
        '#state': 'state',
        '#eventTime': 'eventTime',
        '#source': 'source',
        '#resourceType': 'resourceType',
        '#createdResourceArn': 'createdResourceArn',
        '#resourceArn': 'resourceArn',
        '#recoveryPointArn': 'recoveryPointArn',
      },
      ExpressionAttributeValues: {
        ':validationStatus': 'SUCCESSFUL',
        ':validationMessage': message,
        ':updatedAt': '2026-03-01T03:20:00.000Z',
        ':kind': 'RESTORE_JOB',
        ':jobId': JOB_ID,
        ':state': 'COMPLETED',
        ':eventTime': '2026-03-01T03:15:00.000Z',
        ':source': 'restore-validator',
        ':resourceType': 'S3',
        ':createdResourceArn': BUCKET_ARN,
        ':resourceArn': 'arn:aws:s3:::orders-bucket',
        ':recoveryPointArn': RP_ARN,
      },
    });
    expect(updates[0].ConditionExpression).toBeUndefined();

    expect(m.value('RestoreValidationsSucceeded', { ResourceType: 'S3' })).toBe(1);
    expect(m.value('RestoreValidationsFailed')).toBe(0);
  });

  test('the log of a checked resource carries the validation message (not under Powertools\' reserved `message` key)', async () => {
    const logger = capturedLogger('restore-validator');
    const { run, mocks } = setup({}, { logger });
    stubHealthyBucket(mocks);

    await run(restoreEvent());

    const [checked] = logger.withMessage('Restored resource checked');
    expect(checked).toMatchObject({
      restoreJobId: JOB_ID,
      validationStatus: 'SUCCESSFUL',
      validationMessage: `S3 bucket ${BUCKET}: exists; listed 5 object(s) (more not listed); read the first byte of 1 and read the metadata of 2`,
    });
    expect(logger.entries.map((e) => e.message)).not.toContainEqual(expect.stringMatching(/reserved key/));
  });

  test('an empty restored bucket is reported FAILED and counted as failed', async () => {
    const { run, mocks, m } = setup();
    mocks.s3.on(HeadBucketCommand).resolves({});
    mocks.s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });

    await run(restoreEvent());

    const put = onlyPut(mocks);
    expect(put.ValidationStatus).toBe('FAILED');
    expect(put.ValidationStatusMessage).toMatch(/restored bucket is empty/);
    expect(m.value('RestoreValidationsFailed', { ResourceType: 'S3' })).toBe(1);
  });

  test('an empty restored bucket is SUCCESSFUL with ALLOW_EMPTY_S3', async () => {
    const { run, mocks } = setup({ allowEmptyS3: true });
    mocks.s3.on(HeadBucketCommand).resolves({});
    mocks.s3.on(ListObjectsV2Command).resolves({});

    await run(restoreEvent());

    expect(onlyPut(mocks).ValidationStatus).toBe('SUCCESSFUL');
  });

  test('a missing restored bucket is reported FAILED', async () => {
    const { run, mocks } = setup();
    mocks.s3.on(HeadBucketCommand).rejects(awsError(new NotFound({ message: 'Not Found', $metadata: {} }), 404));

    await run(restoreEvent());

    expect(onlyPut(mocks)).toEqual({
      RestoreJobId: JOB_ID,
      ValidationStatus: 'FAILED',
      ValidationStatusMessage: `S3 bucket ${BUCKET}: the restored bucket does not exist (HeadBucket: NotFound, HTTP 404)`,
    });
  });

  test('DynamoDB: CREATING, CREATING, then ACTIVE with items → waits twice, reports SUCCESSFUL', async () => {
    const { run, mocks, clock } = setup();
    mocks.dynamodb.on(DescribeTableCommand)
      .resolvesOnce({ Table: { TableStatus: 'CREATING' } })
      .resolvesOnce({ Table: { TableStatus: 'CREATING' } })
      .resolves({ Table: { TableStatus: 'ACTIVE' } });
    mocks.dynamodb.on(ScanCommand).resolves({ Count: 3, Items: [{}, {}, {}] });

    const result = await run(restoreEvent({ resourceType: 'DynamoDB', createdResourceArn: TABLE_ARN }));

    expect(result).toMatchObject({ outcome: 'reported', status: 'SUCCESSFUL', attempts: 3 });
    expect(clock.sleeps).toEqual([10_000, 10_000]);
    expect(mocks.dynamodb).toHaveReceivedCommandTimes(DescribeTableCommand, 3);
    expect(onlyPut(mocks)).toEqual({ RestoreJobId: JOB_ID, ValidationStatus: 'SUCCESSFUL', ValidationStatusMessage: `DynamoDB table ${TABLE_NAME}: ACTIVE; Scan (Limit 5) read 3 item(s)` });
  });

  test('DynamoDB: an empty table is FAILED', async () => {
    const { run, mocks, m } = setup();
    mocks.dynamodb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
    mocks.dynamodb.on(ScanCommand).resolves({ Count: 0 });

    await run(restoreEvent({ resourceType: 'DynamoDB', createdResourceArn: TABLE_ARN }));

    expect(onlyPut(mocks).ValidationStatus).toBe('FAILED');
    expect(onlyPut(mocks).ValidationStatusMessage).toMatch(/restored table is empty/);
    expect(m.value('RestoreValidationsFailed', { ResourceType: 'DynamoDB' })).toBe(1);
  });

  test('DynamoDB never ACTIVE → TIMED_OUT after VALIDATION_WAIT_SECONDS, counted as timed out', async () => {
    const { run, mocks, clock, m } = setup();
    mocks.dynamodb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'CREATING' } });

    const result = await run(restoreEvent({ resourceType: 'DynamoDB', createdResourceArn: TABLE_ARN }));

    expect(result).toMatchObject({ outcome: 'reported', status: 'TIMED_OUT', attempts: 13 });
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(120_000);
    expect(onlyPut(mocks)).toEqual({
      RestoreJobId: JOB_ID,
      ValidationStatus: 'TIMED_OUT',
      ValidationStatusMessage: `DynamoDB table ${TABLE_NAME}: status CREATING; still not ready after waiting 120 s (13 check(s))`,
    });
    expect(m.value('RestoreValidationsTimedOut', { ResourceType: 'DynamoDB' })).toBe(1);
  });

  test('the wait never runs past the invocation: remaining time minus the reserve bounds it', async () => {
    const { run, mocks, clock } = setup();
    mocks.rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceStatus: 'creating' }] });

    await run(restoreEvent({ resourceType: 'RDS', createdResourceArn: DB_ARN }), { getRemainingTimeInMillis: () => TIME_RESERVE_MS + 5_000 });

    expect(clock.sleeps).toEqual([5_000]);
    expect(onlyPut(mocks).ValidationStatus).toBe('TIMED_OUT');
  });

  test.each([
    ['EBS', VOLUME_ARN, (mocks: Mocks) => mocks.ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ State: 'available', Size: 8 }] }), 'EBS volume vol-0123456789abcdef0: state available, 8 GiB'],
    ['RDS', DB_ARN, (mocks: Mocks) => mocks.rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceStatus: 'available', Engine: 'mysql' }] }),
      'RDS DB instance awsbackup-restore-test-db1: status available (engine mysql)'],
    ['Aurora', CLUSTER_ARN, (mocks: Mocks) => mocks.rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ Status: 'available', Engine: 'aurora-mysql', DBClusterMembers: [{}] }] }),
      'DB cluster awsbackup-restore-test-aurora1: status available (engine aurora-mysql, 1 member instance(s))'],
  ])('%s restore available → SUCCESSFUL', async (resourceType, arn, stub, message) => {
    const { run, mocks, m } = setup();
    stub(mocks);

    await run(restoreEvent({ resourceType, createdResourceArn: arn }));

    expect(onlyPut(mocks)).toEqual({ RestoreJobId: JOB_ID, ValidationStatus: 'SUCCESSFUL', ValidationStatusMessage: message });
    expect(m.value('RestoreValidationsSucceeded', { ResourceType: resourceType })).toBe(1);
  });

  test('a restore job that is not from a restore testing plan is ignored: no call at all', async () => {
    const { run, mocks, m } = setup();

    const result = await run(restoreEvent({ restoreTestingPlanArn: undefined }));

    expect(result).toEqual({ outcome: 'ignored', reason: 'restore job is not from a restore testing plan (no restoreTestingPlanArn)' });
    for (const mock of Object.values(mocks)) expect(mock.calls()).toHaveLength(0);
    expect(m.emitted).toEqual([]);
  });

  test('a FAILED restore job is only logged: no validation result is sent', async () => {
    const { run, mocks } = setup();

    const result = await run(restoreEvent({ status: 'FAILED', createdResourceArn: undefined, statusMessage: 'Access denied to the KMS key' }));

    expect(result.outcome).toBe('ignored');
    expect(mocks.backup).not.toHaveReceivedCommand(PutRestoreValidationResultCommand);
    expect(mocks.catalog).not.toHaveReceivedCommand(UpdateCommand);
  });

  test('no createdResourceArn in the event: DescribeRestoreJob supplies it', async () => {
    const { run, mocks } = setup();
    mocks.backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: JOB_ID, Status: 'COMPLETED', CreatedResourceArn: VOLUME_ARN, ResourceType: 'EBS' });
    mocks.ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ State: 'in-use' }] });

    const result = await run(restoreEvent({ createdResourceArn: undefined, resourceType: undefined }));

    expect(result).toMatchObject({ outcome: 'reported', resourceType: 'EBS', status: 'SUCCESSFUL' });
    expect(mocks.backup).toHaveReceivedCommandWith(DescribeRestoreJobCommand, { RestoreJobId: JOB_ID });
    expect(onlyPut(mocks).ValidationStatusMessage).toBe('EBS volume vol-0123456789abcdef0: state in-use');
  });

  test('no createdResourceArn and the job already has a result: nothing re-checked or re-sent, the catalog gets AWS\'s result', async () => {
    const { run, mocks, m } = setup();
    mocks.backup.on(DescribeRestoreJobCommand).resolves({
      RestoreJobId: JOB_ID, Status: 'COMPLETED', CreatedResourceArn: VOLUME_ARN, ResourceType: 'EBS', ValidationStatus: 'FAILED', ValidationStatusMessage: 'volume in error',
    });

    const result = await run(restoreEvent({ createdResourceArn: undefined, resourceType: undefined }));

    expect(result).toEqual({ outcome: 'already-reported', restoreJobId: JOB_ID, resourceType: 'EBS', status: 'FAILED', message: 'volume in error', recorded: true });
    expect(mocks.ec2.calls()).toHaveLength(0);
    expect(mocks.backup).not.toHaveReceivedCommand(PutRestoreValidationResultCommand);
    expect(mocks.catalog.commandCalls(UpdateCommand)[0].args[0].input.ExpressionAttributeValues).toMatchObject({ ':validationStatus': 'FAILED', ':validationMessage': 'volume in error' });
    expect(m.emitted).toEqual([]);
  });

  test('unsupported resource type (EC2 instance): nothing reported, nothing recorded, counted as skipped', async () => {
    const { run, mocks, m } = setup();
    const instanceArn = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`;

    const result = await run(restoreEvent({ resourceType: 'EC2', createdResourceArn: instanceArn }));

    expect(result).toEqual({
      outcome: 'not-validated',
      restoreJobId: JOB_ID,
      resourceType: 'EC2',
      reason: 'no validation check for resource type EC2 (checked types: S3, DynamoDB, EBS, RDS, Aurora)',
    });
    expect(mocks.backup).not.toHaveReceivedCommand(PutRestoreValidationResultCommand);
    expect(mocks.catalog).not.toHaveReceivedCommand(UpdateCommand);
    expect(mocks.ec2.calls()).toHaveLength(0);
    expect(m.value('RestoreValidationsSkipped', { ResourceType: 'EC2' })).toBe(1);
    expect(m.value('RestoreValidationsSucceeded')).toBe(0);
  });

  test('a check that cannot reach a verdict throws: no result, no record, no count', async () => {
    const { run, mocks, m } = setup();
    mocks.s3.on(HeadBucketCommand).rejects(new S3ServiceException({ name: 'Forbidden', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Forbidden' }));

    await expect(run(restoreEvent())).rejects.toThrow('Forbidden');

    expect(mocks.backup).not.toHaveReceivedCommand(PutRestoreValidationResultCommand);
    expect(mocks.catalog).not.toHaveReceivedCommand(UpdateCommand);
    expect(m.emitted).toEqual([]);
  });

  test('Put refused because a result is already set (redelivery): the existing result is recorded, not counted again', async () => {
    const { run, mocks, m } = setup();
    stubHealthyBucket(mocks);
    mocks.backup.on(PutRestoreValidationResultCommand).rejects(new InvalidRequestException({ message: 'Validation status already set', $metadata: {} }));
    mocks.backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: JOB_ID, Status: 'COMPLETED', ValidationStatus: 'SUCCESSFUL', ValidationStatusMessage: 'earlier run' });

    const result = await run(restoreEvent());

    expect(result).toEqual({ outcome: 'already-reported', restoreJobId: JOB_ID, resourceType: 'S3', status: 'SUCCESSFUL', message: 'earlier run', recorded: true });
    expect(mocks.catalog.commandCalls(UpdateCommand)[0].args[0].input.ExpressionAttributeValues).toMatchObject({ ':validationStatus': 'SUCCESSFUL', ':validationMessage': 'earlier run' });
    expect(m.emitted).toEqual([]);
  });

  test('Put fails and no result is set: the error is thrown and nothing is recorded', async () => {
    const { run, mocks } = setup();
    stubHealthyBucket(mocks);
    mocks.backup.on(PutRestoreValidationResultCommand).rejects(new InvalidRequestException({ message: 'bad', $metadata: {} }));
    mocks.backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: JOB_ID, Status: 'COMPLETED' });

    await expect(run(restoreEvent())).rejects.toThrow('bad');
    expect(mocks.catalog).not.toHaveReceivedCommand(UpdateCommand);
  });

  test('catalog write fails after the Put: thrown for a retry, which records the result without counting it twice', async () => {
    const { run, mocks, m } = setup();
    stubHealthyBucket(mocks);
    mocks.catalog.on(UpdateCommand).rejectsOnce(new Error('ProvisionedThroughputExceeded')).resolves({});

    await expect(run(restoreEvent())).rejects.toThrow('ProvisionedThroughputExceeded');
    expect(m.value('RestoreValidationsSucceeded')).toBe(1);

    // Lambda's retry of the same event: AWS Backup now holds the result.
    mocks.backup.on(PutRestoreValidationResultCommand).rejects(new InvalidRequestException({ message: 'already set', $metadata: {} }));
    mocks.backup.on(DescribeRestoreJobCommand).resolves({ ValidationStatus: 'SUCCESSFUL', ValidationStatusMessage: 'first run message' });
    const retry = await run(restoreEvent());

    expect(retry).toMatchObject({ outcome: 'already-reported', status: 'SUCCESSFUL', recorded: true });
    expect(mocks.catalog).toHaveReceivedCommandTimes(UpdateCommand, 2);
    expect(m.value('RestoreValidationsSucceeded')).toBe(1);
  });

  test('without TABLE_NAME nothing is written to a catalog', async () => {
    const { run, mocks } = setup({ tableName: undefined });
    stubHealthyBucket(mocks);

    const result = await run(restoreEvent());

    expect(result).toMatchObject({ outcome: 'reported', recorded: false });
    expect(mocks.catalog).not.toHaveReceivedCommand(UpdateCommand);
    expect(onlyPut(mocks).ValidationStatus).toBe('SUCCESSFUL');
  });
});

describe('the exported handler', () => {
  const saved: Record<string, string | undefined> = {};
  const KEYS = ['TABLE_NAME', 'VALIDATION_WAIT_SECONDS', 'ALLOW_EMPTY_S3', 'ALLOW_EMPTY_DYNAMODB'];
  beforeAll(() => {
    for (const k of KEYS) {
      saved[k] = process.env[k];
      delete process.env[k];
    }
  });
  afterAll(() => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  test('uses the module clients and metrics: an available EBS volume is reported SUCCESSFUL', async () => {
    const backup = mockClient(moduleBackupClient);
    const ec2 = mockClient(moduleEc2Client);
    const published = jest.spyOn(moduleMetrics, 'publishStoredMetrics').mockImplementation(() => {
      moduleMetrics.clearMetrics();
      moduleMetrics.clearDimensions();
      return moduleMetrics;
    });
    try {
      backup.on(PutRestoreValidationResultCommand).resolves({});
      ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ State: 'available' }] });

      const result = await moduleHandler(restoreEvent({ resourceType: 'EBS', createdResourceArn: VOLUME_ARN }), { getRemainingTimeInMillis: () => 60_000 });

      expect(result).toMatchObject({ outcome: 'reported', status: 'SUCCESSFUL', recorded: false });
      expect(backup).toHaveReceivedCommandWith(PutRestoreValidationResultCommand, { RestoreJobId: JOB_ID, ValidationStatus: 'SUCCESSFUL' });
      expect(published).toHaveBeenCalledTimes(1);
    } finally {
      backup.restore();
      ec2.restore();
      published.mockRestore();
    }
  });
});

// ---------- the catalog item, against dynalite, together with the catalog handler's writer ----------

describe('catalog record against dynalite', () => {
  let dynamo: LocalDynamo;
  let doc: DynamoDBDocumentClient;
  let tableNo = 0;
  let table: string;

  beforeAll(async () => {
    dynamo = await startDynalite();
    doc = createCatalogClient(dynamo.clientConfig);
  });

  afterAll(async () => {
    doc?.destroy();
    await dynamo?.close();
  });

  beforeEach(async () => {
    table = `catalog-${++tableNo}`;
    await createCatalogTable(doc, table);
  });

  const pk = jobKey('RESTORE_JOB', JOB_ID);
  const item = async () => (await doc.send(new GetCommand({ TableName: table, Key: { pk, sk: 'JOB' } }))).Item;

  /** What the catalog handler writes for this same COMPLETED event. */
  const catalogRecord: CatalogJobItem = {
    pk,
    sk: 'JOB',
    kind: 'RESTORE_JOB',
    jobId: JOB_ID,
    state: 'COMPLETED',
    stateRank: 4,
    eventTime: '2026-03-01T03:15:00.000Z',
    source: 'event',
    updatedAt: '2026-03-01T03:16:00.000Z',
    resourceType: 'S3',
    resourceArn: 'arn:aws:s3:::orders-bucket',
    recoveryPointArn: RP_ARN,
    vaultName: 'primary',
    completionTime: '2026-03-01T03:14:53.128Z',
  };

  function validator() {
    const { mocks, deps } = setup({ tableName: table });
    stubHealthyBucket(mocks);
    mocks.catalog.restore();
    return createRestoreValidatorHandler({ ...deps, catalog: doc });
  }

  test('validator first: the item is created without a stateRank, and the catalog handler\'s write of the same event still lands', async () => {
    await validator()(restoreEvent());

    const created = await item();
    expect(created).toMatchObject({ kind: 'RESTORE_JOB', jobId: JOB_ID, state: 'COMPLETED', source: 'restore-validator', validationStatus: 'SUCCESSFUL' });
    expect(created).not.toHaveProperty('stateRank');

    const write = await writeJobRecord(doc, table, catalogRecord);

    expect(write.result).toBe('updated');
    expect(await item()).toMatchObject({ source: 'event', stateRank: 4, vaultName: 'primary', completionTime: '2026-03-01T03:14:53.128Z', validationStatus: 'SUCCESSFUL' });
  });

  test('catalog first: the validation is added and nothing the catalog handler wrote is changed', async () => {
    await writeJobRecord(doc, table, { ...catalogRecord, resourceArn: 'arn:aws:s3:::from-catalog' });
    const before = await item();

    await validator()(restoreEvent());

    const after = await item();
    expect(after).toEqual({
      ...before,
      validationStatus: 'SUCCESSFUL',
      validationMessage: expect.stringMatching(/^S3 bucket .*: exists;/),
      updatedAt: '2026-03-01T03:20:00.000Z',
      createdResourceArn: BUCKET_ARN,
    });
    expect(after).toMatchObject({ source: 'event', stateRank: 4, resourceArn: 'arn:aws:s3:::from-catalog', eventTime: '2026-03-01T03:15:00.000Z' });
  });
});
