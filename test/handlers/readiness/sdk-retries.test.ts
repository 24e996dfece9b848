/** Readiness check: throttling retried by the real SDK pipeline over an in-process transport. */
import 'aws-sdk-client-mock-jest';
import { DR, VAULT, DB_ARN, ago, mod, backupDr, installReadinessStubs } from './fixtures';
import { fakeTransport as jsonTransport, transportSwap, type ScriptedReply } from '../../support/fake-transport';

installReadinessStubs();

describe('with the real SDK retry pipeline over an in-process transport', () => {
  const fakeTransport = (script: ScriptedReply[]) =>
    jsonTransport(script, { record: (request) => ({ method: request.method, path: request.path, query: { ...request.query } }) });
  beforeEach(() => {
    backupDr.restore(); // the real send, over the fake transport
  });
  const useTransport = transportSwap(() => mod.backupClient(DR));

  test('a throttled ListRecoveryPointsByBackupVault is retried by the SDK and then succeeds', async () => {
    const t = fakeTransport([
      { status: 400, errorType: 'ThrottlingException', body: { message: 'Rate exceeded' } },
      {
        status: 200,
        body: { RecoveryPoints: [{ RecoveryPointArn: 'rp-1', ResourceArn: DB_ARN, Status: 'COMPLETED', CreationDate: ago(300).getTime() / 1000 }] },
      },
    ]);
    useTransport(t);

    const summary = await mod.handler();

    expect(t.requests).toHaveLength(2);
    expect(t.requests[1].method).toBe('GET');
    expect(t.requests[1].path).toBe(`/backup-vaults/${VAULT}/recovery-points`);
    expect(t.requests[1].query).toMatchObject({ resourceArn: DB_ARN });
    expect(summary.checks[0]).toMatchObject({ status: 'OK', valueSeconds: 300 });
    expect(summary.unknown).toBe(0);
  });
});
