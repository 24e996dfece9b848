/** Catalog handler: event parsing and record building. */
import 'aws-sdk-client-mock-jest';
import { TABLE, VAULT, EBS_ARN, RP_ARN, event, backupEvent, copyEvent, restoreEvent, writtenItem } from './fixtures';
import {
  mergeDescribed, parseJobEvent, PoisonMessageError, recordFromEvent, tenantOfResourceArn, type CatalogJobItem,
} from '../../../lambda-src/catalog/job-record';
import { buildJobUpdate, WRITE_CONDITION } from '../../../lambda-src/catalog/writer';

// ---------- pure logic ----------

describe('event parsing and record building', () => {
  test('poison messages are rejected with PoisonMessageError', () => {
    expect(() => parseJobEvent('not json')).toThrow(PoisonMessageError);
    expect(() => parseJobEvent('[1,2]')).toThrow('not a JSON object');
    expect(() => parseJobEvent(JSON.stringify({ 'detail-type': 'Backup Job State Change', 'time': '2026-03-01T00:00:00Z' }))).toThrow('no detail object');
    expect(() => parseJobEvent(JSON.stringify({ 'detail-type': 'Backup Vault State Change', 'detail': {} }))).toThrow('unsupported detail-type');
    expect(() => parseJobEvent(JSON.stringify({ 'detail-type': 'Backup Job State Change', 'time': '2026-03-01T00:00:00Z', 'detail': { backupJobId: 'j' } })))
      .toThrow('no state');
  });

  test('restore events use `status`; times are normalised to milliseconds so they sort as strings', () => {
    const e = parseJobEvent(restoreEvent('r-1', 'RUNNING', '2026-03-01T03:00:05Z'));
    expect(e).toMatchObject({ kind: 'RESTORE_JOB', jobId: 'r-1', state: 'RUNNING', eventTime: '2026-03-01T03:00:05.000Z' });
    // Without normalisation "…05Z" would sort after "…05.500Z".
    expect('2026-03-01T03:00:05.000Z' < '2026-03-01T03:00:05.500Z').toBe(true);
  });

  test('a copy job CREATED event carries no job id (as AWS sends it)', () => {
    const body = event('Copy Job State Change', { creationDate: '2026-03-01T02:00:00.000Z', state: 'CREATED' }, '2026-03-01T02:00:01Z');
    expect(parseJobEvent(body).jobId).toBeUndefined();
  });

  test('a non-string destinationRecoveryPointArn ({} in AWS samples) is ignored; a completed backup takes its recovery point from resources', () => {
    const copy = recordFromEvent(parseJobEvent(copyEvent('c-1', 'RUNNING', '2026-03-01T02:00:05Z')), 'now');
    expect(copy.recoveryPointArn).toBeUndefined();
    expect(copy).toMatchObject({ pk: 'JOB#COPY_JOB#c-1', vaultName: VAULT, backupSizeBytes: 3221225472, stateRank: 2 });
    const backup = recordFromEvent(parseJobEvent(backupEvent('b-1', 'COMPLETED', '2026-03-01T01:10:00Z', {}, [RP_ARN])), 'now');
    expect(backup).toMatchObject({ recoveryPointArn: RP_ARN, vaultName: VAULT, state: 'COMPLETED', stateRank: 4, source: 'event' });
  });

  test('merge: the event decides the state; the API fills job attributes, and state attributes only for the same state', () => {
    const fromEvent = recordFromEvent(parseJobEvent(backupEvent('b-1', 'RUNNING', '2026-03-01T01:05:00Z', { resourceArn: undefined })), 'now');
    const api: CatalogJobItem = {
      ...fromEvent,
      state: 'COMPLETED',
      stateRank: 4,
      resourceArn: EBS_ARN,
      recoveryPointArn: RP_ARN,
      completionTime: '2026-03-01T01:30:00.000Z',
      statusMessage: 'done',
    };
    const merged = mergeDescribed(fromEvent, api);
    expect(merged).toMatchObject({ state: 'RUNNING', stateRank: 2, eventTime: '2026-03-01T01:05:00.000Z', resourceArn: EBS_ARN, recoveryPointArn: RP_ARN });
    expect(merged.completionTime).toBeUndefined();
    expect(merged.statusMessage).toBeUndefined();
  });

  test('tenant comes only from an S3 object ARN under a known tenant prefix', () => {
    expect(tenantOfResourceArn('arn:aws:s3:::landing/acme/exports/2026-03-01.json', ['acme'])).toBe('acme');
    expect(tenantOfResourceArn('arn:aws:s3:::landing/other/x.json', ['acme'])).toBeUndefined();
    expect(tenantOfResourceArn('arn:aws:s3:::landing', ['acme'])).toBeUndefined();
    expect(tenantOfResourceArn('arn:aws:dynamodb:us-east-1:111122223333:table/acme', ['acme'])).toBeUndefined();
  });

  test('the update never sets the key, names every attribute through a placeholder, and carries the ordering condition', () => {
    const record = recordFromEvent(parseJobEvent(backupEvent('b-1', 'RUNNING', '2026-03-01T01:05:00Z')), 'now');
    const input = buildJobUpdate(TABLE, record);
    expect(input.Key).toEqual({ pk: 'JOB#BACKUP_JOB#b-1', sk: 'JOB' });
    expect(input.ConditionExpression).toBe(WRITE_CONDITION);
    expect(input.ExpressionAttributeValues).toMatchObject({ ':rank': 2, ':time': '2026-03-01T01:05:00.000Z' });
    expect(Object.values(input.ExpressionAttributeNames!)).not.toContain('sk');
    expect(input.UpdateExpression).not.toMatch(/\bstate\b|\bsource\b/); // reserved words only appear as placeholders
    expect(writtenItem(input)).toMatchObject({ ...record });
  });
});
