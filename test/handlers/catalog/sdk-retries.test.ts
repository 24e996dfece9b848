/** Catalog handler: SDK retries through the real Backup client over a fake HTTP transport. */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import 'aws-sdk-client-mock-jest';
import { REGION, EBS_ARN, event, backupEvent, sqsEvent, mockedDeps, updates, fakeTransport, RUNNING_JOB, throttled, unavailable } from './fixtures';
import { createBackupClient, MAX_ATTEMPTS } from '../../../lambda-src/catalog/clients';
import { createCatalogHandler } from '../../../lambda-src/catalog.lambda';
import { jobKey } from '../../../lambda-src/shared/catalog-schema';
import { FAKE_CREDENTIALS as CREDENTIALS } from '../../support/fake-aws';

describe('SDK retries through the real Backup client (fake HTTP transport)', () => {
  const realBackup = (requestHandler: object) =>
    createBackupClient({ region: REGION, credentials: CREDENTIALS, requestHandler: requestHandler as never });
  // The event names no resource: a written resourceArn proves the (retried) Describe answer was used.
  const runningEvent = () => backupEvent('b-r', 'RUNNING', '2026-03-01T01:05:00Z', { resourceArn: undefined });

  test('throttling, then success: DescribeBackupJob is retried and its answer recorded', async () => {
    const t = fakeTransport([throttled, RUNNING_JOB]);
    const { deps, ddbMock } = mockedDeps({ backup: realBackup(t.requestHandler) });

    const result = await createCatalogHandler(deps)(sqsEvent(runningEvent()));

    expect(result.batchItemFailures).toEqual([]);
    expect(t.seen).toEqual([{ method: 'GET', path: '/backup-jobs/b-r' }, { method: 'GET', path: '/backup-jobs/b-r' }]);
    expect(updates(ddbMock)[0]).toMatchObject({ resourceArn: EBS_ARN, creationTime: '2026-03-01T01:00:00.500Z' });
  });

  test('5xx (ServiceUnavailable) is retried', async () => {
    const t = fakeTransport([unavailable, unavailable, RUNNING_JOB]);
    const { deps, ddbMock } = mockedDeps({ backup: realBackup(t.requestHandler) });

    const result = await createCatalogHandler(deps)(sqsEvent(runningEvent()));

    expect(result.batchItemFailures).toEqual([]);
    expect(t.seen).toHaveLength(3);
    expect(updates(ddbMock)[0]).toMatchObject({ resourceArn: EBS_ARN });
  });

  test('a 5xx that outlasts 5 attempts fails that message only (it returns to the queue); nothing is written for it', async () => {
    const t = fakeTransport([unavailable]);
    const { deps, ddbMock } = mockedDeps({ backup: realBackup(t.requestHandler) });
    const withoutJobId = event('Copy Job State Change', { state: 'CREATED' }, '2026-03-01T02:00:01Z');

    const result = await createCatalogHandler(deps)(sqsEvent(runningEvent(), withoutJobId));

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
    expect(t.seen).toHaveLength(MAX_ATTEMPTS);
    expect(ddbMock).not.toHaveReceivedCommand(UpdateCommand);
  });

  test('AccessDenied is not retried either: one request, record from the event, EnrichmentRefused counted', async () => {
    const t = fakeTransport([{ status: 403, errorType: 'AccessDeniedException', body: { Message: 'not authorized' } }]);
    const { deps, ddbMock, m } = mockedDeps({ backup: realBackup(t.requestHandler) });

    const result = await createCatalogHandler(deps)(sqsEvent(backupEvent('b-r', 'RUNNING', '2026-03-01T01:05:00Z')));

    expect(result.batchItemFailures).toEqual([]);
    expect(t.seen).toHaveLength(1);
    expect(updates(ddbMock)[0]).toMatchObject({ pk: jobKey('BACKUP_JOB', 'b-r'), resourceArn: EBS_ARN });
    expect(m.value('EnrichmentRefused')).toBe(1);
  });

  test('ResourceNotFoundException is not retried: one request, record from the event', async () => {
    const t = fakeTransport([{ status: 404, errorType: 'ResourceNotFoundException', body: { Message: 'not found' } }]);
    const { deps, ddbMock } = mockedDeps({ backup: realBackup(t.requestHandler) });

    const result = await createCatalogHandler(deps)(sqsEvent(backupEvent('b-r', 'RUNNING', '2026-03-01T01:05:00Z')));

    expect(result.batchItemFailures).toEqual([]);
    expect(t.seen).toHaveLength(1);
    expect(updates(ddbMock)[0]).toMatchObject({ pk: jobKey('BACKUP_JOB', 'b-r'), resourceArn: EBS_ARN, state: 'RUNNING' });
  });
});
