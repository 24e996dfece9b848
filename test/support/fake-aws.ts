/**
 * The fake AWS side of the handler tests: static credentials and the environment a handler
 * module reads when it is loaded. Nothing here can reach AWS.
 */

/** Static fake credentials: they sign requests that only ever reach stubs, fake transports or local servers. */
export const FAKE_CREDENTIALS = { accessKeyId: 'AKIDTESTFAKE', secretAccessKey: 'fake-secret' };

/** The region of SDK clients pointed at local servers. */
export const TEST_REGION = 'us-east-1';

/** A closed loopback port: a request that escapes the stubs fails at once and never leaves the machine. */
export const UNREACHABLE_ENDPOINT = 'http://127.0.0.1:9';

const HANDLER_ENV_KEYS = ['RETRY_BASE_DELAY_MS', 'AWS_REGION', 'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL'];

/**
 * Sets the environment for loading a handler module in a test: `vars`, then a 1 ms retry base
 * (the real backoff stays fast), `region`, the fake credentials and no session token, and the
 * unreachable endpoint as a safety net (handler-test-env.ts sets the same for every handler test
 * file; this also works in a file that runs without it). Returns a function that puts back every
 * variable it set and every one in `alsoRestore` (which the test sets itself) as it was.
 */
export function setHandlerEnv(region: string, vars: Record<string, string> = {}, alsoRestore: readonly string[] = []): () => void {
  const restore = saveEnv([...Object.keys(vars), ...alsoRestore, ...HANDLER_ENV_KEYS]);
  Object.assign(process.env, vars);
  process.env.RETRY_BASE_DELAY_MS = '1';
  process.env.AWS_REGION = region;
  process.env.AWS_ACCESS_KEY_ID = FAKE_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = FAKE_CREDENTIALS.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  process.env.AWS_ENDPOINT_URL = UNREACHABLE_ENDPOINT;
  return restore;
}

/** Unsets `keys`, then sets every defined value of `values`. */
export function replaceEnv(keys: readonly string[], values: Record<string, string | undefined>): void {
  for (const k of keys) delete process.env[k];
  for (const [k, v] of Object.entries(values)) {
    if (v !== undefined) process.env[k] = v;
  }
}

function saveEnv(keys: readonly string[]): () => void {
  const saved = new Map(keys.map((k) => [k, process.env[k]]));
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
