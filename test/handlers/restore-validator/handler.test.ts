/** Restore validator: the handler's decisions with stubbed clients. */
import { DescribeRestoreJobCommand, InvalidRequestException, PutRestoreValidationResultCommand } from '@aws-sdk/client-backup';
import { DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { HeadBucketCommand, ListObjectsV2Command, NotFound, S3ServiceException } from '@aws-sdk/client-s3';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import 'aws-sdk-client-mock-jest';
import {
  ACCOUNT, REGION, TABLE, JOB_ID, RP_ARN, BUCKET, BUCKET_ARN, TABLE_NAME, TABLE_ARN, VOLUME_ARN, DB_ARN, CLUSTER_ARN, restoreEvent, awsError, setup,
  Mocks, putInputs, onlyPut, stubHealthyBucket,
} from './fixtures';
import { TIME_RESERVE_MS } from '../../../lambda-src/restore-validator.lambda';
import { jobKey } from '../../../lambda-src/shared/catalog-schema';
import { capturedLogger } from '../../support/captured-logs';

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
