/** The failover handler's SDK clients (see shared/aws-clients.ts for the retry policy). */
import { CloudWatchClient, type CloudWatchClientConfig } from '@aws-sdk/client-cloudwatch';
import { RDSClient, type RDSClientConfig } from '@aws-sdk/client-rds';
import { SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';
import { clientDefaults, type ClientProfile } from '../shared/aws-clients';

const PROFILE: ClientProfile = { retry: 'standard', connectionTimeoutMs: 3_000, requestTimeoutMs: 10_000 };

export const createRdsClient = (config: RDSClientConfig = {}): RDSClient => new RDSClient({ ...clientDefaults(PROFILE), ...config });
export const createSsmClient = (config: SSMClientConfig = {}): SSMClient => new SSMClient({ ...clientDefaults(PROFILE), ...config });
export const createSnsClient = (config: SNSClientConfig = {}): SNSClient => new SNSClient({ ...clientDefaults(PROFILE), ...config });
export const createCloudWatchClient = (config: CloudWatchClientConfig = {}): CloudWatchClient =>
  new CloudWatchClient({ ...clientDefaults(PROFILE), ...config });
