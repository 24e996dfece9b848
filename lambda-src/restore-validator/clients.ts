/**
 * SDK clients of the restore validator (see shared/aws-clients.ts for the retry policy): one per
 * service it checks, and the catalog's document client over its own DynamoDB client (the
 * checks' DynamoDB client reads restored tables).
 */
import { BackupClient, type BackupClientConfig } from '@aws-sdk/client-backup';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { RDSClient, type RDSClientConfig } from '@aws-sdk/client-rds';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientDefaults, type ClientProfile } from '../shared/aws-clients';

export { MAX_ATTEMPTS } from '../shared/aws-clients';

const PROFILE: ClientProfile = { retry: 'standard', connectionTimeoutMs: 3_000, requestTimeoutMs: 10_000 };

export const createBackupClient = (config: BackupClientConfig = {}): BackupClient => new BackupClient({ ...clientDefaults(PROFILE), ...config });
// followRegionRedirects: a HEAD on a bucket in another region answers 301 without a body.
export const createS3Client = (config: S3ClientConfig = {}): S3Client =>
  new S3Client({ ...clientDefaults(PROFILE), followRegionRedirects: true, ...config });
export const createDynamoDbClient = (config: DynamoDBClientConfig = {}): DynamoDBClient =>
  new DynamoDBClient({ ...clientDefaults(PROFILE), ...config });
export const createEc2Client = (config: EC2ClientConfig = {}): EC2Client => new EC2Client({ ...clientDefaults(PROFILE), ...config });
export const createRdsClient = (config: RDSClientConfig = {}): RDSClient => new RDSClient({ ...clientDefaults(PROFILE), ...config });
export const createCatalogClient = (config: DynamoDBClientConfig = {}): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(createDynamoDbClient(config), { marshallOptions: { removeUndefinedValues: true } });
