/** The vault-alert handler's SDK clients (see shared/aws-clients.ts for the retry policy). */
import { BackupClient, type BackupClientConfig } from '@aws-sdk/client-backup';
import { SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { clientDefaults, type ClientProfile } from '../shared/aws-clients';

const PROFILE: ClientProfile = { retry: 'standard', connectionTimeoutMs: 3_000, requestTimeoutMs: 5_000 };

export const createBackupClient = (config: BackupClientConfig = {}): BackupClient => new BackupClient({ ...clientDefaults(PROFILE), ...config });
export const createSnsClient = (config: SNSClientConfig = {}): SNSClient => new SNSClient({ ...clientDefaults(PROFILE), ...config });
