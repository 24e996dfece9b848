/**
 * SDK clients of the restore validator, each with 5 attempts and full-jitter exponential
 * backoff (standard retry mode: throttling, transient and 5xx errors are retried; client errors
 * such as ResourceNotFoundException or AccessDenied are not).
 */
import { BackupClient, type BackupClientConfig } from '@aws-sdk/client-backup';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { RDSClient, type RDSClientConfig } from '@aws-sdk/client-rds';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { DEFAULT_RETRY_BASE_DELAY_MS, jitterRetryStrategy } from '../shared/aws-clients';

export { DEFAULT_RETRY_BASE_DELAY_MS, MAX_ATTEMPTS } from '../shared/aws-clients';

const REQUEST_HANDLER = { connectionTimeout: 3_000, requestTimeout: 10_000 };

export interface ClientOptions {
  /** Base of the backoff (tests pass 1 to keep real retries fast). */
  readonly retryBaseDelayMs?: number;
}

function retryStrategy(options: ClientOptions): ConfiguredRetryStrategy {
  return jitterRetryStrategy(options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS);
}

export function createBackupClient(options: ClientOptions = {}, config: BackupClientConfig = {}): BackupClient {
  return new BackupClient({ requestHandler: REQUEST_HANDLER, ...config, retryStrategy: retryStrategy(options) });
}

export function createS3Client(options: ClientOptions = {}, config: S3ClientConfig = {}): S3Client {
  // followRegionRedirects: a HEAD on a bucket in another region answers 301 without a body.
  return new S3Client({ requestHandler: REQUEST_HANDLER, followRegionRedirects: true, ...config, retryStrategy: retryStrategy(options) });
}

export function createDynamoDbClient(options: ClientOptions = {}, config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({ requestHandler: REQUEST_HANDLER, ...config, retryStrategy: retryStrategy(options) });
}

export function createEc2Client(options: ClientOptions = {}, config: EC2ClientConfig = {}): EC2Client {
  return new EC2Client({ requestHandler: REQUEST_HANDLER, ...config, retryStrategy: retryStrategy(options) });
}

export function createRdsClient(options: ClientOptions = {}, config: RDSClientConfig = {}): RDSClient {
  return new RDSClient({ requestHandler: REQUEST_HANDLER, ...config, retryStrategy: retryStrategy(options) });
}

/** The catalog's document client, over its own DynamoDB client (the checks' client reads restored tables). */
export function createCatalogClient(options: ClientOptions = {}, config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoDbClient(options, config), { marshallOptions: { removeUndefinedValues: true } });
}
