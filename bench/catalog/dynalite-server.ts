/**
 * dynalite (an in-memory DynamoDB) on 127.0.0.1, a free port, in its own process,
 * counting the DynamoDB requests it serves by operation (X-Amz-Target), so that
 * "requests per event" is measured at the server. IPC: `{ type: 'stats' }` answers
 * the counts, `{ type: 'reset' }` zeroes them. Prints `{"port":N}` once listening.
 */
import type { IncomingMessage, Server } from 'http';
import type { AddressInfo } from 'net';

// dynalite ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs: number }) => Server;

let counts: Record<string, number> = {};
const server = dynalite({ createTableMs: 0 });
server.prependListener('request', (req: IncomingMessage) => {
  const operation = String(req.headers['x-amz-target'] ?? 'unknown').split('.').pop()!;
  counts[operation] = (counts[operation] ?? 0) + 1;
});
process.on('message', (message: any) => {
  if (message.type === 'reset') counts = {};
  process.send?.({ type: 'ack', id: message.id, counts });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: (server.address() as AddressInfo).port }) + '\n'));
