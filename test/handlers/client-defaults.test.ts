/**
 * Every handler's SDK clients: 5 attempts with the shared backoff, and timeouts that end a request
 * that is never answered. (@smithy/node-http-handler 4 only logs a warning when `requestTimeout`
 * passes unless `throwOnRequestTimeout` is set; the fault tests show such a request being retried,
 * with short timeouts, and this test shows the production clients are built the same way.)
 */
import { AdaptiveRetryStrategy, ConfiguredRetryStrategy } from '@smithy/util-retry';
import * as catalog from '../../lambda-src/catalog/clients';
import * as failover from '../../lambda-src/failover/clients';
import * as readiness from '../../lambda-src/readiness/clients';
import * as restoreValidator from '../../lambda-src/restore-validator/clients';
import { clientDefaults, MAX_ATTEMPTS, SOCKET_IDLE_TIMEOUT_MS } from '../../lambda-src/shared/aws-clients';
import * as vaultAlert from '../../lambda-src/vault-alert/clients';
import * as verifier from '../../lambda-src/verifier/clients';

interface AnyClient {
  config: { maxAttempts: () => Promise<number>; retryStrategy: () => Promise<unknown>; requestHandler: unknown };
}

/** The options the client's Node HTTP handler resolved from its configuration. */
async function httpOptions(client: AnyClient): Promise<Record<string, unknown>> {
  const handler = client.config.requestHandler as { configProvider: Promise<Record<string, unknown>> };
  return handler.configProvider;
}

const clients: Array<[string, 'standard' | 'adaptive', () => unknown]> = [
  ['vault-alert Backup', 'standard', () => vaultAlert.createBackupClient()],
  ['vault-alert SNS', 'standard', () => vaultAlert.createSnsClient()],
  ['verifier S3', 'standard', () => verifier.createS3Client()],
  ['verifier SNS', 'standard', () => verifier.createSnsClient()],
  ['verifier DynamoDB', 'standard', () => (verifier.createDocumentClient() as unknown as { config: unknown })],
  ['catalog Backup', 'adaptive', () => catalog.createBackupClient()],
  ['catalog DynamoDB', 'adaptive', () => catalog.createDocumentClient()],
  ['restore-validator Backup', 'standard', () => restoreValidator.createBackupClient()],
  ['restore-validator S3', 'standard', () => restoreValidator.createS3Client()],
  ['restore-validator DynamoDB', 'standard', () => restoreValidator.createDynamoDbClient()],
  ['restore-validator EC2', 'standard', () => restoreValidator.createEc2Client()],
  ['restore-validator RDS', 'standard', () => restoreValidator.createRdsClient()],
  ['restore-validator catalog', 'standard', () => restoreValidator.createCatalogClient()],
  ['readiness Backup', 'standard', () => readiness.createBackupClient({ region: 'eu-central-1' })],
  ['readiness CloudWatch', 'standard', () => readiness.createCloudWatchClient({ region: 'eu-central-1' })],
  ['failover RDS', 'standard', () => failover.createRdsClient({ region: 'eu-central-1' })],
  ['failover SSM', 'standard', () => failover.createSsmClient({ region: 'eu-central-1' })],
  ['failover SNS', 'standard', () => failover.createSnsClient({ region: 'eu-central-1' })],
  ['failover CloudWatch', 'standard', () => failover.createCloudWatchClient({ region: 'eu-central-1' })],
];

test.each(clients)('%s: 5 attempts, %s retries, a request never answered times out and a silent stream is cut', async (_name, mode, make) => {
  const client = make() as AnyClient;

  expect(await client.config.maxAttempts()).toBe(MAX_ATTEMPTS);
  expect(await client.config.retryStrategy()).toBeInstanceOf(mode === 'adaptive' ? AdaptiveRetryStrategy : ConfiguredRetryStrategy);
  const options = await httpOptions(client);
  expect(options).toMatchObject({ throwOnRequestTimeout: true, socketTimeout: SOCKET_IDLE_TIMEOUT_MS });
  expect(options.requestTimeout).toBeGreaterThan(0);
  expect(options.connectionTimeout).toBeGreaterThan(0);
});

test('clientDefaults: the retry mode picks the strategy; the timeouts come from the profile', () => {
  const standard = clientDefaults({ retry: 'standard', connectionTimeoutMs: 1, requestTimeoutMs: 2 });
  expect(standard.retryStrategy).toBeInstanceOf(ConfiguredRetryStrategy);
  expect(standard.requestHandler).toEqual({
    connectionTimeout: 1, requestTimeout: 2, throwOnRequestTimeout: true, socketTimeout: SOCKET_IDLE_TIMEOUT_MS,
  });
  expect(clientDefaults({ retry: 'adaptive', connectionTimeoutMs: 1, requestTimeoutMs: 2 }).retryStrategy).toBeInstanceOf(AdaptiveRetryStrategy);
});
