/**
 * The checks of a restored resource, one per kind, and the bounded wait for a resource that
 * is still becoming available. Each check takes its SDK client and the created resource's ARN
 * and returns a status with a message that says what was checked and what was found:
 * - SUCCESSFUL / FAILED: a verdict about the restored resource;
 * - PENDING: not ready yet (e.g. RDS `creating`, DynamoDB `CREATING`); the caller polls again.
 *
 * Errors that say nothing about the restore (access denied, throttling that outlasted the
 * retries, 5xx) are thrown, not turned into FAILED: a validation status cannot be changed once
 * set, so "could not check" must never be reported as "restore is bad".
 */
import {
  DescribeTableCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DescribeVolumesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, type RDSClient } from '@aws-sdk/client-rds';
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type _Object as S3Object,
  type S3Client,
} from '@aws-sdk/client-s3';
import { dynamoDbTableName, ebsVolumeId, rdsResource, s3BucketName, type ValidationTarget } from './arn';
import { describeErrorBriefly as describeError, errorName, httpStatus } from '../shared/errors';

export type CheckStatus = 'SUCCESSFUL' | 'FAILED' | 'PENDING';
export interface CheckResult {
  readonly status: CheckStatus;
  readonly message: string;
}

/** The three outcomes PutRestoreValidationResult accepts as a result (VALIDATING is not one). */
export type ValidationStatus = 'SUCCESSFUL' | 'FAILED' | 'TIMED_OUT';
export interface ValidationResult {
  readonly status: ValidationStatus;
  readonly message: string;
  /** How many times the check ran (more than one when the resource was still becoming available). */
  readonly attempts: number;
}

/** Objects listed from a restored bucket (ListObjectsV2 MaxKeys). */
export const S3_LIST_SAMPLE = 5;
/** Objects of that listing actually read. */
export const S3_READ_SAMPLE = 3;
/** Items a DynamoDB Scan page may return (Limit). */
export const DYNAMODB_SCAN_LIMIT = 5;
/** Scan pages read before a table is called empty (a page can be empty yet have a LastEvaluatedKey). */
export const DYNAMODB_MAX_SCAN_PAGES = 3;

// Storage classes whose object bodies cannot be read without a restore request: HEAD only.
const ARCHIVED_STORAGE_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);

export interface EmptyPolicy {
  /** An empty restored bucket or table is a success (ALLOW_EMPTY_S3 / ALLOW_EMPTY_DYNAMODB). */
  readonly allowEmpty: boolean;
}

// ---------- S3 ----------

/**
 * The restored bucket exists (HeadBucket), lists objects (ListObjectsV2, MaxKeys 5), and up to 3
 * of them are readable: the first byte (ranged GetObject) of a non-empty object, the metadata
 * (HeadObject) of an empty or archived one. Object keys stay out of the message.
 */
export async function checkS3Bucket(s3: S3Client, bucketArn: string, policy: EmptyPolicy): Promise<CheckResult> {
  const bucket = required(s3BucketName(bucketArn), 'an S3 bucket ARN', bucketArn);
  const what = `S3 bucket ${bucket}`;
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (err) {
    if (isNotFound(err, ['NotFound', 'NoSuchBucket'])) return failed(`${what}: the restored bucket does not exist (HeadBucket: ${describeError(err)})`);
    throw err;
  }
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: S3_LIST_SAMPLE }));
  const objects = (listed.Contents ?? []).filter((o): o is S3Object & { Key: string } => typeof o.Key === 'string');
  if (objects.length === 0) {
    return policy.allowEmpty
      ? ok(`${what}: exists and is empty; accepted because ALLOW_EMPTY_S3=true`)
      : failed(`${what}: exists, but the restored bucket is empty (ListObjectsV2 returned no objects)`);
  }
  // Prefer objects with content: reading a byte of data proves more than reading metadata.
  const sample = [...objects].sort((a, b) => Number((b.Size ?? 0) > 0) - Number((a.Size ?? 0) > 0)).slice(0, S3_READ_SAMPLE);
  let bytesRead = 0;
  let headsRead = 0;
  for (const object of sample) {
    const readable = await readSample(s3, bucket, object);
    if (readable.ok === false) {
      return failed(`${what}: listed ${objects.length} object(s), but sampled object ${bytesRead + headsRead + 1} of ${sample.length} is not readable (${readable.reason})`);
    }
    if (readable.how === 'byte') bytesRead++;
    else headsRead++;
  }
  const reads = [
    bytesRead > 0 ? `read the first byte of ${bytesRead}` : undefined,
    headsRead > 0 ? `read the metadata of ${headsRead}` : undefined,
  ].filter(Boolean).join(' and ');
  const more = listed.IsTruncated ? ' (more not listed)' : '';
  return ok(`${what}: exists; listed ${objects.length} object(s)${more}; ${reads}`);
}

type SampleRead = { readonly ok: true; readonly how: 'byte' | 'head' } | { readonly ok: false; readonly reason: string };

async function readSample(s3: S3Client, bucket: string, object: S3Object & { Key: string }): Promise<SampleRead> {
  const size = object.Size ?? 0;
  const archived = ARCHIVED_STORAGE_CLASSES.has(String(object.StorageClass ?? ''));
  try {
    if (size > 0 && !archived) {
      try {
        const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key, Range: 'bytes=0-0' }));
        const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
        if (body.length === 0) return { ok: false, reason: `ranged GetObject of a ${size}-byte object returned no data` };
        return { ok: true, how: 'byte' };
      } catch (err) {
        // An object in an archive tier of Intelligent-Tiering cannot be read, but its metadata can.
        if (errorName(err) !== 'InvalidObjectState') throw err;
      }
    }
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: object.Key }));
    return { ok: true, how: 'head' };
  } catch (err) {
    if (isNotFound(err, ['NoSuchKey', 'NotFound'])) return { ok: false, reason: `listed but not found: ${describeError(err)}` };
    throw err;
  }
}

// ---------- DynamoDB ----------

/** DescribeTable status ACTIVE (CREATING/UPDATING: not ready yet), then a Scan (Limit 5) returns items. */
export async function checkDynamoDbTable(ddb: DynamoDBClient, tableArn: string, policy: EmptyPolicy): Promise<CheckResult> {
  const table = required(dynamoDbTableName(tableArn), 'a DynamoDB table ARN', tableArn);
  const what = `DynamoDB table ${table}`;
  let status: string | undefined;
  try {
    status = (await ddb.send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus;
  } catch (err) {
    if (isNotFound(err, ['ResourceNotFoundException'])) return failed(`${what}: the restored table does not exist (DescribeTable: ${describeError(err)})`);
    throw err;
  }
  if (status === 'CREATING' || status === 'UPDATING') return pending(`${what}: status ${status}`);
  if (status !== 'ACTIVE') return failed(`${what}: status ${status ?? 'unknown'}, expected ACTIVE`);

  let startKey: Record<string, AttributeValue> | undefined;
  for (let page = 1; page <= DYNAMODB_MAX_SCAN_PAGES; page++) {
    const out = await ddb.send(new ScanCommand({ TableName: table, Limit: DYNAMODB_SCAN_LIMIT, ExclusiveStartKey: startKey }));
    const count = out.Count ?? out.Items?.length ?? 0;
    if (count > 0) return ok(`${what}: ACTIVE; Scan (Limit ${DYNAMODB_SCAN_LIMIT}) read ${count} item(s)`);
    startKey = out.LastEvaluatedKey;
    if (!startKey) break;
  }
  if (startKey) {
    // Pages without items but with more to read: not proof of emptiness, and not of content.
    return failed(`${what}: ACTIVE, but ${DYNAMODB_MAX_SCAN_PAGES} Scan pages returned no items`);
  }
  return policy.allowEmpty
    ? ok(`${what}: ACTIVE and empty; accepted because ALLOW_EMPTY_DYNAMODB=true`)
    : failed(`${what}: ACTIVE, but the restored table is empty (Scan returned no items)`);
}

// ---------- EBS ----------

/** DescribeVolumes state `available` or `in-use` (`creating`: not ready yet). */
export async function checkEbsVolume(ec2: EC2Client, volumeArn: string): Promise<CheckResult> {
  const volumeId = required(ebsVolumeId(volumeArn), 'an EBS volume ARN', volumeArn);
  const what = `EBS volume ${volumeId}`;
  let volume;
  try {
    volume = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes?.[0];
  } catch (err) {
    if (isNotFound(err, ['InvalidVolume.NotFound'])) return failed(`${what}: the restored volume does not exist (DescribeVolumes: ${describeError(err)})`);
    throw err;
  }
  if (!volume) return failed(`${what}: DescribeVolumes returned no volume`);
  const state = volume.State;
  const size = volume.Size !== undefined ? `, ${volume.Size} GiB` : '';
  if (state === 'available' || state === 'in-use') return ok(`${what}: state ${state}${size}`);
  if (state === 'creating') return pending(`${what}: state ${state}`);
  return failed(`${what}: state ${state ?? 'unknown'}, expected available or in-use`);
}

// ---------- RDS / Aurora ----------

/**
 * RDS statuses after which the restored database will not become available on its own.
 * Any other status that is not `available` (creating, modifying, backing-up, configuring-*,
 * rebooting, starting, upgrading, ...) is waited for.
 */
export const RDS_FAILED_STATUSES: ReadonlySet<string> = new Set([
  'failed',
  'restore-error',
  'incompatible-restore',
  'incompatible-parameters',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-credentials',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
  'insufficient-capacity',
  'storage-full',
  'stopping',
  'stopped',
  'delete-precheck',
  'deleting',
]);

function rdsVerdict(what: string, status: string | undefined, detail: string): CheckResult {
  if (status === 'available') return ok(`${what}: status available${detail}`);
  if (status === undefined || RDS_FAILED_STATUSES.has(status)) return failed(`${what}: status ${status ?? 'unknown'}, expected available${detail}`);
  return pending(`${what}: status ${status}`);
}

/** DescribeDBInstances status `available`. */
export async function checkRdsInstance(rds: RDSClient, instanceArn: string): Promise<CheckResult> {
  const r = rdsResource(instanceArn);
  const id = required(r?.kind === 'instance' ? r.id : undefined, 'an RDS DB instance ARN', instanceArn);
  const what = `RDS DB instance ${id}`;
  let instance;
  try {
    instance = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
  } catch (err) {
    if (isNotFound(err, ['DBInstanceNotFoundFault', 'DBInstanceNotFound'])) return failed(`${what}: the restored DB instance does not exist (DescribeDBInstances: ${describeError(err)})`);
    throw err;
  }
  if (!instance) return failed(`${what}: DescribeDBInstances returned no instance`);
  return rdsVerdict(what, instance.DBInstanceStatus, instance.Engine ? ` (engine ${instance.Engine})` : '');
}

/** DescribeDBClusters status `available` (Aurora, and RDS Multi-AZ DB clusters). */
export async function checkRdsCluster(rds: RDSClient, clusterArn: string): Promise<CheckResult> {
  const r = rdsResource(clusterArn);
  const id = required(r?.kind === 'cluster' ? r.id : undefined, 'an RDS DB cluster ARN', clusterArn);
  const what = `DB cluster ${id}`;
  let cluster;
  try {
    cluster = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0];
  } catch (err) {
    if (isNotFound(err, ['DBClusterNotFoundFault', 'DBClusterNotFound'])) return failed(`${what}: the restored DB cluster does not exist (DescribeDBClusters: ${describeError(err)})`);
    throw err;
  }
  if (!cluster) return failed(`${what}: DescribeDBClusters returned no cluster`);
  const members = cluster.DBClusterMembers?.length ?? 0;
  const engine = cluster.Engine ? `engine ${cluster.Engine}, ` : '';
  return rdsVerdict(what, cluster.Status, ` (${engine}${members} member instance(s))`);
}

// ---------- dispatch and wait ----------

export interface ValidationClients {
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  readonly ec2: EC2Client;
  readonly rds: RDSClient;
}

export interface CheckOptions {
  readonly allowEmptyS3: boolean;
  readonly allowEmptyDynamoDb: boolean;
}

/** Runs the one check that fits the target, once. */
export function runCheck(clients: ValidationClients, target: ValidationTarget, options: CheckOptions): Promise<CheckResult> {
  switch (target.check) {
    case 'S3_BUCKET':
      return checkS3Bucket(clients.s3, target.arn, { allowEmpty: options.allowEmptyS3 });
    case 'DYNAMODB_TABLE':
      return checkDynamoDbTable(clients.dynamodb, target.arn, { allowEmpty: options.allowEmptyDynamoDb });
    case 'EBS_VOLUME':
      return checkEbsVolume(clients.ec2, target.arn);
    case 'RDS_INSTANCE':
      return checkRdsInstance(clients.rds, target.arn);
    case 'RDS_CLUSTER':
      return checkRdsCluster(clients.rds, target.arn);
  }
}

export interface WaitOptions {
  /** Absolute time (ms, on `now`'s clock) after which a PENDING result becomes TIMED_OUT. */
  readonly deadline: number;
  readonly pollIntervalMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Runs a check until it gives a verdict or the deadline passes; a resource still PENDING at the
 * deadline is TIMED_OUT. The check always runs at least once, even with no time to wait.
 */
export async function checkUntilSettled(check: () => Promise<CheckResult>, options: WaitOptions): Promise<ValidationResult> {
  const started = options.now();
  const interval = Math.max(1, options.pollIntervalMs);
  // Guards against a clock that does not advance: never more polls than the budget allows.
  const maxAttempts = Math.max(1, Math.ceil(Math.max(0, options.deadline - started) / interval) + 1);
  for (let attempts = 1; ; attempts++) {
    const result = await check();
    if (result.status !== 'PENDING') return { status: result.status, message: result.message, attempts };
    const left = options.deadline - options.now();
    if (left <= 0 || attempts >= maxAttempts) {
      const waited = Math.round((options.now() - started) / 1000);
      return { status: 'TIMED_OUT', message: `${result.message}; still not ready after waiting ${waited} s (${attempts} check(s))`, attempts };
    }
    await options.sleep(Math.min(interval, left));
  }
}

// ---------- helpers ----------

const ok = (message: string): CheckResult => ({ status: 'SUCCESSFUL', message });
const failed = (message: string): CheckResult => ({ status: 'FAILED', message });
const pending = (message: string): CheckResult => ({ status: 'PENDING', message });

function required<T>(value: T | undefined, expected: string, arn: string): T {
  if (value === undefined) throw new TypeError(`expected ${expected}, got ${JSON.stringify(arn)}`);
  return value;
}

/** A "no such resource" answer: by error name, or an HTTP 404 (S3 HEAD errors carry no name in the body). */
function isNotFound(err: unknown, names: readonly string[]): boolean {
  const name = errorName(err);
  return (name !== undefined && names.includes(name)) || httpStatus(err) === 404;
}
