/** Restore validator: throttling retried by the real SDK middleware over an in-process transport. */
import { PutRestoreValidationResultCommand } from '@aws-sdk/client-backup';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import 'aws-sdk-client-mock-jest';
import { REGION, TABLE_NAME, TABLE_ARN, restoreEvent, setup } from './fixtures';
import { checkDynamoDbTable } from '../../../lambda-src/restore-validator/checks';
import { createDynamoDbClient, MAX_ATTEMPTS } from '../../../lambda-src/restore-validator/clients';
import { FAKE_CREDENTIALS as CREDENTIALS, UNREACHABLE_ENDPOINT } from '../../support/fake-aws';
import { fakeTransport as jsonTransport, type ScriptedReply } from '../../support/fake-transport';

// ---------- retries through the real SDK middleware ----------

describe('throttling, with a real DynamoDB client over an in-process transport', () => {
  const throttled: ScriptedReply = { status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' } };

  // DynamoDB speaks JSON 1.0 and names the operation in X-Amz-Target.
  function fakeTransport(script: ScriptedReply[]) {
    const t = jsonTransport(script, { record: (request) => request.headers['x-amz-target'], contentType: 'application/x-amz-json-1.0' });
    return { requestHandler: t.handler, targets: t.requests };
  }

  const client = (requestHandler: unknown) => createDynamoDbClient(
    { region: REGION, credentials: CREDENTIALS, endpoint: UNREACHABLE_ENDPOINT, requestHandler: requestHandler as never },
  );

  test('throttled DescribeTable is retried and the check still reaches its verdict', async () => {
    const t = fakeTransport([
      throttled,
      throttled,
      { status: 200, body: { Table: { TableName: TABLE_NAME, TableStatus: 'ACTIVE' } } },
      { status: 200, body: { Count: 1, ScannedCount: 1, Items: [{ pk: { S: 'k' } }] } },
    ]);

    const result = await checkDynamoDbTable(client(t.requestHandler), TABLE_ARN, { allowEmpty: false });

    expect(result.status).toBe('SUCCESSFUL');
    expect(t.targets).toEqual(['DynamoDB_20120810.DescribeTable', 'DynamoDB_20120810.DescribeTable', 'DynamoDB_20120810.DescribeTable', 'DynamoDB_20120810.Scan']);
  });

  test('throttling that outlasts 5 attempts is thrown by the handler; nothing is reported', async () => {
    const t = fakeTransport([throttled]);
    const { run, mocks, m } = setup({}, { dynamodb: client(t.requestHandler) });

    await expect(run(restoreEvent({ resourceType: 'DynamoDB', createdResourceArn: TABLE_ARN }))).rejects.toMatchObject({ name: 'ThrottlingException' });

    expect(t.targets).toHaveLength(MAX_ATTEMPTS);
    expect(mocks.backup).not.toHaveReceivedCommand(PutRestoreValidationResultCommand);
    expect(mocks.catalog).not.toHaveReceivedCommand(UpdateCommand);
    expect(m.emitted).toEqual([]);
  });
});
