/** Restore validator: the per-resource checks (S3, DynamoDB, EBS, RDS) and the wait for a resource still becoming available. */
import { DescribeTableCommand, ResourceNotFoundException, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import { DBClusterNotFoundFault, DBInstanceNotFoundFault, DescribeDBClustersCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import {
  GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, NoSuchKey, NotFound, S3ServiceException,
} from '@aws-sdk/client-s3';
import 'aws-sdk-client-mock-jest';
import {
  BUCKET, BUCKET_ARN, TABLE_NAME, TABLE_ARN, VOLUME_ARN, DB_ARN, CLUSTER_ARN, NOW, fakeClock, body, awsError, setup, stubHealthyBucket,
} from './fixtures';
import {
  checkDynamoDbTable, checkEbsVolume, checkRdsCluster, checkRdsInstance, checkS3Bucket, checkUntilSettled, type CheckResult,
} from '../../../lambda-src/restore-validator/checks';

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
