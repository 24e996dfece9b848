/**
 * An in-process stand-in for an SDK client's HTTP handler. A client stubbed with
 * aws-sdk-client-mock skips the SDK's middleware; with this transport instead, the real
 * serializer, retry strategy and error parser run, and nothing leaves the process.
 */

/** One scripted answer: a JSON body with a status (and the error type header), or `hang` until aborted. */
export type ScriptedReply = { readonly status: number; readonly body: unknown; readonly errorType?: string } | 'hang';

/** What the transport sees of a request. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, unknown>;
  readonly headers: Record<string, string>;
}

export interface FakeTransport<R> {
  /** Give it to a client as `requestHandler`. */
  readonly handler: object;
  /** What `record` made of each request, in order. */
  readonly requests: R[];
  /** How many `hang` replies were ended by the caller's abort signal. */
  readonly aborted: number;
}

export interface FakeTransportOptions<R> {
  /** What to keep of each request (default: method and path). */
  readonly record?: (request: SeenRequest) => R;
  /** Content type of the answers (default `application/json`). */
  readonly contentType?: string;
}

export type MethodAndPath = { method: string; path: string };

/** Each request takes the next scripted reply; the last one repeats. */
export function fakeTransport(script: readonly ScriptedReply[]): FakeTransport<MethodAndPath>;
export function fakeTransport<R>(
  script: readonly ScriptedReply[],
  options: FakeTransportOptions<R> & { record: (request: SeenRequest) => R },
): FakeTransport<R>;
export function fakeTransport<R>(script: readonly ScriptedReply[], options: FakeTransportOptions<R> = {}): FakeTransport<R | MethodAndPath> {
  const record = options.record ?? ((r: SeenRequest): MethodAndPath => ({ method: r.method, path: r.path }));
  const requests: Array<R | MethodAndPath> = [];
  let aborted = 0;
  const handler = {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: SeenRequest, handlerOptions?: { abortSignal?: AbortSignal }) {
      requests.push(record(request));
      const next = script[Math.min(requests.length - 1, script.length - 1)];
      if (next === 'hang') {
        return new Promise<never>((_, reject) => {
          handlerOptions?.abortSignal?.addEventListener('abort', () => {
            aborted++;
            reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
          });
        });
      }
      const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
      if (next.errorType) headers['x-amzn-errortype'] = next.errorType;
      return { response: { statusCode: next.status, headers, body: new TextEncoder().encode(JSON.stringify(next.body)) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() { return {}; },
    destroy() {},
  };
  return {
    handler,
    requests,
    get aborted() {
      return aborted;
    },
  };
}

/**
 * For the tests of the current describe block: returns a function that puts a fake transport
 * under a client the module under test created; the client gets its own back after each test.
 */
export function transportSwap(client: () => { config: object }): (transport: { handler: object }) => void {
  const config = () => client().config as { requestHandler: unknown };
  let original: unknown;
  beforeEach(() => {
    original = config().requestHandler;
  });
  afterEach(() => {
    config().requestHandler = original;
  });
  return (transport) => {
    config().requestHandler = transport.handler;
  };
}
