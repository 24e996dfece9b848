/** Verifier: metrics, configuration and the exported handler's clients. */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { REGION, TABLE, TOPIC, HELLO_WORLD, objectCreated, sqsRecord, sqsEvent, s3Error, body, s3Mock, deps, installVerifierStubs } from './fixtures';
import { depsFromEnv, handler, createVerifierHandler } from '../../../lambda-src/verifier.lambda';

installVerifierStubs();

describe('metrics and configuration', () => {
  test('ObjectsVerified, ObjectsFailed and BytesHashed are published as EMF', async () => {
    const previous = process.env.POWERTOOLS_METRICS_DISABLED;
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    const metrics = new Metrics({ namespace: 'CompliantBackup', serviceName: 'verifier' });
    process.env.POWERTOOLS_METRICS_DISABLED = previous;
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      s3Mock.on(HeadObjectCommand, { Key: 'acme/ok.txt' }).resolves({ ContentLength: 11 });
      s3Mock.on(GetObjectCommand, { Key: 'acme/ok.txt' }).resolves({ ContentLength: 11, Body: body(HELLO_WORLD) });
      s3Mock.on(HeadObjectCommand, { Key: 'acme/gone.txt' }).rejects(s3Error('NotFound', 404));

      await createVerifierHandler(deps({ metrics }))(
        sqsEvent(sqsRecord(objectCreated('acme/ok.txt'), 'ok'), sqsRecord(objectCreated('acme/gone.txt'), 'gone')),
      );
    } finally {
      write.mockRestore();
    }

    const emf = lines.map((l) => JSON.parse(l)).find((o) => o._aws);
    expect(emf._aws.CloudWatchMetrics[0].Namespace).toBe('CompliantBackup');
    expect(emf._aws.CloudWatchMetrics[0].Metrics).toEqual(
      expect.arrayContaining([
        { Name: 'ObjectsVerified', Unit: 'Count' },
        { Name: 'ObjectsFailed', Unit: 'Count' },
        { Name: 'BytesHashed', Unit: 'Bytes' },
      ]),
    );
    expect(emf).toMatchObject({ ObjectsVerified: 1, ObjectsFailed: 1, BytesHashed: 11, service: 'verifier' });
  });

  test('TABLE_NAME and ALARM_TOPIC_ARN are required; clients retry 5 attempts', async () => {
    expect(() => depsFromEnv({ ALARM_TOPIC_ARN: TOPIC })).toThrow('TABLE_NAME is not set');
    expect(() => depsFromEnv({ TABLE_NAME: TABLE })).toThrow('ALARM_TOPIC_ARN is not set');
    const d = depsFromEnv({ TABLE_NAME: TABLE, ALARM_TOPIC_ARN: TOPIC, TENANTS: 'acme,globex', AWS_REGION: REGION });
    expect(d).toMatchObject({ tableName: TABLE, alarmTopicArn: TOPIC, tenants: ['acme', 'globex'] });
    expect(await d.s3.config.maxAttempts()).toBe(5);
    expect(await d.sns.config.maxAttempts()).toBe(5);
    expect(await d.ddb.config.maxAttempts()).toBe(5);
  });
});

test('the exported handler builds its clients from the environment on first use', async () => {
  const env = { TABLE_NAME: 'env-table', ALARM_TOPIC_ARN: TOPIC, TENANTS: 'globex', AWS_REGION: REGION };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const s3Class = mockClient(S3Client);
  const ddbClass = mockClient(DynamoDBDocumentClient);
  const snsClass = mockClient(SNSClient);
  try {
    s3Class.on(HeadObjectCommand).resolves({ ContentLength: 1, ChecksumSHA256: 'x=' });
    ddbClass.on(PutCommand).resolves({});

    const result = await handler(sqsEvent(sqsRecord(objectCreated('globex/a.bin'))), {} as Context);

    expect(result.batchItemFailures).toEqual([]);
    const input = ddbClass.commandCalls(PutCommand)[0].args[0].input as PutCommandInput;
    expect(input.TableName).toBe('env-table');
    expect(input.Item).toMatchObject({ tenantId: 'globex', status: 'VERIFIED' });
    expect(snsClass.calls()).toHaveLength(0);
  } finally {
    s3Class.restore();
    ddbClass.restore();
    snsClass.restore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
