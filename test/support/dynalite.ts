/**
 * A real DynamoDB implementation for tests: dynalite on 127.0.0.1, on a free port, started and
 * stopped by the test that uses it.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FAKE_CREDENTIALS, TEST_REGION } from './fake-aws';
import { createDocumentClient } from '../../lambda-src/catalog/clients';
import { CATALOG_INDEXES } from '../../lambda-src/shared/catalog-schema';

// dynalite ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs: number }) => Server;

/**
 * dynalite runs in the test's own process, so its answers wait for the test's event loop: on a
 * starved machine a write can take longer than the handlers' production request timeout (meant
 * for AWS). A timed-out write that dynalite had already applied would then be retried and find
 * its own first attempt (a conditional write counts that as stale), so clients of dynalite wait
 * this long instead. It only bounds a hang; nothing measures it.
 */
export const LOCAL_DYNAMO_TIMEOUTS = { connectionTimeout: 60_000, requestTimeout: 120_000, throwOnRequestTimeout: true, socketTimeout: 120_000 };

export interface LocalDynamo {
  /** SDK client configuration for the server: its endpoint, the test region, fake credentials and generous timeouts. */
  readonly clientConfig: {
    readonly endpoint: string;
    readonly region: string;
    readonly credentials: typeof FAKE_CREDENTIALS;
    readonly requestHandler: typeof LOCAL_DYNAMO_TIMEOUTS;
  };
  /** Stops the server (destroy the clients first: their open connections would keep it waiting). */
  close(): Promise<void>;
}

/** Starts dynalite on 127.0.0.1 (port 0: a free one); tables are ACTIVE as soon as they are created. */
export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    clientConfig: { endpoint: `http://127.0.0.1:${port}`, region: TEST_REGION, credentials: FAKE_CREDENTIALS, requestHandler: LOCAL_DYNAMO_TIMEOUTS },
    // Idle keep-alive connections would hold the server (and the jest worker) open: end them too.
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
    }),
  };
}

/**
 * Creates a table with the catalog's keys (pk, sk), on demand; `withIndexes` adds the global
 * secondary indexes of lambda-src/shared/catalog-schema.ts.
 */
export async function createCatalogTable(doc: DynamoDBDocumentClient, tableName: string, options: { withIndexes?: boolean } = {}): Promise<void> {
  const indexes = options.withIndexes ? Object.entries(CATALOG_INDEXES) : [];
  const attributes = new Set(['pk', 'sk', ...indexes.flatMap(([, keys]) => [keys.partitionKey, keys.sortKey])]);
  await doc.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    ...(indexes.length ? {
      GlobalSecondaryIndexes: indexes.map(([name, keys]) => ({
        IndexName: name,
        KeySchema: [
          { AttributeName: keys.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: keys.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      })),
    } : {}),
  }));
}

/** What `catalogTablePerTest` gives its tests: read these inside a test, not when the describe block is defined. */
export interface CatalogTableFixture {
  /** The document client of the running dynalite server. */
  readonly doc: DynamoDBDocumentClient;
  /** The test's own, freshly created catalog table. */
  readonly table: string;
}

/**
 * For the describe block it is called in: dynalite on 127.0.0.1 for its tests (stopped after
 * them) and a fresh catalog table `<prefix>-<n>` before each test, so no test sees another's items.
 */
export function catalogTablePerTest(prefix: string, options: {
  readonly withIndexes?: boolean;
  /** How the tests' document client is made (default: the catalog handler's). */
  readonly client?: (config: LocalDynamo['clientConfig']) => DynamoDBDocumentClient;
} = {}): CatalogTableFixture {
  let dynamo: LocalDynamo | undefined;
  let doc: DynamoDBDocumentClient | undefined;
  let table = '';
  let tableNo = 0;
  beforeAll(async () => {
    dynamo = await startDynalite();
    doc = (options.client ?? createDocumentClient)(dynamo.clientConfig);
  });
  afterAll(async () => {
    doc?.destroy();
    await dynamo?.close();
  });
  beforeEach(async () => {
    table = `${prefix}-${++tableNo}`;
    await createCatalogTable(doc!, table, { withIndexes: options.withIndexes });
  });
  return {
    get doc() { return doc!; },
    get table() { return table; },
  };
}
