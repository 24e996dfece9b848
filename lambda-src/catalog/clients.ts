/**
 * SDK clients of the catalog handlers (catalog and catalog-reconciler), in adaptive retry mode:
 * its client-side rate limiter slows down after throttling, which is what a burst of events (or
 * a reconciler run) against Backup's Describe/List quotas needs. See shared/aws-clients.ts.
 */
import { BackupClient, type BackupClientConfig } from '@aws-sdk/client-backup';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientDefaults } from '../shared/aws-clients';

export { MAX_ATTEMPTS } from '../shared/aws-clients';

export function createBackupClient(config: BackupClientConfig = {}): BackupClient {
  return new BackupClient({ ...clientDefaults({ retry: 'adaptive', connectionTimeoutMs: 3_000, requestTimeoutMs: 10_000 }), ...config });
}

export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({ ...clientDefaults({ retry: 'adaptive', connectionTimeoutMs: 3_000, requestTimeoutMs: 5_000 }), ...config });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
