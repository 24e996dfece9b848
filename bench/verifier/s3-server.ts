/**
 * s3rver on 127.0.0.1 (a free port), run in its own process so that the client's
 * memory is measured alone, with two additions the verifier benchmark needs,
 * driven over IPC by bench/verifier.ts:
 *
 * - Body bytes: every byte of a GET response body is counted (`{ type: 'stats' }`
 *   answers the total), so "zero body bytes" is measured at the server, not taken
 *   from the handler's own report.
 * - Stored checksums: s3rver stores none. With `{ type: 'inject', on: true }` a
 *   HEAD or GET that asks for checksums (x-amz-checksum-mode: ENABLED) gets the
 *   `x-amz-checksum-sha256` header S3 would send for an object uploaded with a
 *   SHA-256 checksum, from the digests registered with `{ type: 'checksum' }`.
 *
 * Usage: node -r ts-node/register/transpile-only bench/verifier/s3-server.ts <directory>
 * Prints `{"port":N}` on stdout once listening.
 */
import type { IncomingMessage, ServerResponse } from 'http';

// s3rver ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

const checksums = new Map<string, string>();
let inject = false;
let bodyBytes = 0;

const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.argv[2] });
const koaCallback = server.callback.bind(server);
server.callback = () => {
  const handle = koaCallback();
  return (req: IncomingMessage, res: ServerResponse) => {
    const key = decodeURIComponent((req.url ?? '').split('?')[0]).replace(/^\/[^/]+\//, '');
    const wantsChecksum = String(req.headers['x-amz-checksum-mode'] ?? '').toUpperCase() === 'ENABLED';
    const writeHead = res.writeHead.bind(res) as (...args: any[]) => ServerResponse;
    res.writeHead = ((...args: any[]) => {
      const digest = checksums.get(key);
      if (inject && wantsChecksum && digest && res.statusCode < 300) {
        res.setHeader('x-amz-checksum-sha256', digest);
        res.setHeader('x-amz-checksum-type', 'FULL_OBJECT');
      }
      return writeHead(...args);
    }) as any;
    if (req.method === 'GET') {
      const write = res.write.bind(res) as (...args: any[]) => boolean;
      const end = res.end.bind(res) as (...args: any[]) => ServerResponse;
      const count = (chunk: unknown) => {
        if (chunk && typeof chunk !== 'function') bodyBytes += Buffer.byteLength(chunk as Buffer);
      };
      res.write = ((chunk: unknown, ...rest: any[]) => { count(chunk); return write(chunk, ...rest); }) as any;
      res.end = ((chunk: unknown, ...rest: any[]) => { count(chunk); return end(chunk, ...rest); }) as any;
    }
    handle(req, res);
  };
};

process.on('message', (message: any) => {
  if (message.type === 'checksum') checksums.set(message.key, message.sha256);
  if (message.type === 'inject') inject = message.on === true;
  if (message.type === 'reset') bodyBytes = 0;
  process.send?.({ type: 'ack', id: message.id, bodyBytes });
});
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));

server.run().then(({ port }: { port: number }) => process.stdout.write(JSON.stringify({ port }) + '\n'));
