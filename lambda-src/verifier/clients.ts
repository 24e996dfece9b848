/**
 * The verifier's SDK clients (see shared/aws-clients.ts). The request timeout bounds a silent
 * connection, not a whole download: a streamed body may take as long as it keeps arriving.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientDefaults, type ClientProfile } from '../shared/aws-clients';

const PROFILE: ClientProfile = { retry: 'standard', connectionTimeoutMs: 3_000, requestTimeoutMs: 10_000 };

export const createS3Client = (config: S3ClientConfig = {}): S3Client => new S3Client({ ...clientDefaults(PROFILE), ...config });
export const createSnsClient = (config: SNSClientConfig = {}): SNSClient => new SNSClient({ ...clientDefaults(PROFILE), ...config });
export const createDocumentClient = (config: DynamoDBClientConfig = {}): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ ...clientDefaults(PROFILE), ...config }), {
    marshallOptions: { removeUndefinedValues: true },
  });
