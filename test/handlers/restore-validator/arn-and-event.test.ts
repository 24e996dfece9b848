/** Restore validator: pure parts, the ARN parser, event classification, message and catalog update. */
import 'aws-sdk-client-mock-jest';
import {
  ACCOUNT, REGION, TABLE, JOB_ID, PLAN_ARN, RP_ARN, BUCKET, BUCKET_ARN, TABLE_NAME, TABLE_ARN, VOLUME_ARN, DB_ARN, CLUSTER_ARN, restoreEvent,
} from './fixtures';
import {
  dynamoDbTableName, ebsVolumeId, inferResourceType, parseArn, rdsResource, resolveTarget, s3BucketName,
} from '../../../lambda-src/restore-validator/arn';
import { classifyEvent } from '../../../lambda-src/restore-validator/event';
import { buildValidationUpdate, clampMessage, MAX_MESSAGE_LENGTH } from '../../../lambda-src/restore-validator/report';
import { configFromEnv, TIME_RESERVE_MS, waitBudget } from '../../../lambda-src/restore-validator.lambda';

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
