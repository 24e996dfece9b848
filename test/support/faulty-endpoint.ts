/**
 * A real HTTP endpoint on 127.0.0.1 that misbehaves on cue, for the network faults an in-process
 * transport cannot produce: a request that is never answered (the client's own timeout must end
 * it), a connection reset before any answer, and a body cut off mid-stream. Point an SDK client
 * at `url` (with its real Node HTTP handler) and the SDK's timeout, retry and error handling run
 * for real over a real socket.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Misbehaviour =
  /** Read the request, never answer. */
  | { readonly kind: 'hang' }
  /** Read the request, then destroy the socket without a byte of answer. */
  | { readonly kind: 'reset' }
  /** A whole answer. */
  | { readonly kind: 'reply'; readonly status: number; readonly headers?: Record<string, string>; readonly body?: string | Buffer }
  /** Status, headers (with the full Content-Length) and the first `sendBytes` of the body, then destroy the socket. */
  | { readonly kind: 'cut'; readonly status: number; readonly headers?: Record<string, string>; readonly body: Buffer; readonly sendBytes: number };

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  /** The request body, as text. */
  readonly body: string;
}

export interface FaultyEndpoint {
  readonly url: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

/**
 * Starts the endpoint on a free port. `script` is a list (each request takes the next step; the
 * last repeats) or a function of the request.
 */
export type Script = readonly Misbehaviour[] | ((request: SeenRequest, index: number) => Misbehaviour);

export async function startFaultyEndpoint(script: Script): Promise<FaultyEndpoint> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const next = (seen: SeenRequest): Misbehaviour => {
    const index = requests.length - 1;
    return typeof script === 'function' ? script(seen, index) : script[Math.min(index, script.length - 1)];
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      requests.push(seen);
      const step = next(seen);
      switch (step.kind) {
        case 'hang':
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'reply': {
          const body = step.body === undefined ? Buffer.alloc(0) : Buffer.from(step.body);
          res.writeHead(step.status, { 'content-length': String(body.length), ...step.headers });
          res.end(req.method === 'HEAD' ? undefined : body);
          return;
        }
        case 'cut':
          res.writeHead(step.status, { 'content-length': String(step.body.length), ...step.headers });
          res.write(step.body.subarray(0, step.sendBytes), () => req.socket.destroy());
          return;
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }),
  };
}

/**
 * The handlers' HTTP handler settings (shared/aws-clients.ts `clientDefaults`), with times for tests.
 * HANG_TIMEOUTS end a request that is never answered quickly, so the SDK retries it; they are for
 * the cases that inject a hang. Every other case uses PATIENT_TIMEOUTS: the endpoint shares the
 * test's event loop, and on a busy machine an answer it does give must not be taken for a hang.
 */
export const HANG_TIMEOUTS = { connectionTimeout: 5_000, requestTimeout: 1_000, throwOnRequestTimeout: true, socketTimeout: 1_000 } as const;
export const PATIENT_TIMEOUTS = { connectionTimeout: 60_000, requestTimeout: 60_000, throwOnRequestTimeout: true, socketTimeout: 60_000 } as const;
export type TestTimeouts = typeof HANG_TIMEOUTS | typeof PATIENT_TIMEOUTS;

/** HANG_TIMEOUTS when one of the steps is a hang, else PATIENT_TIMEOUTS. */
export const timeoutsFor = (...steps: readonly Misbehaviour[]): TestTimeouts =>
  (steps.some((s) => s.kind === 'hang') ? HANG_TIMEOUTS : PATIENT_TIMEOUTS);
