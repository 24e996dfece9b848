/**
 * The environment of every handler test (the `handlers` and `integ` jest projects run this file
 * before any module loads, so module-scope loggers, metrics and SDK clients see it):
 * - Powertools prints nothing: loggers work at DEBUG, so every log call is built and checked for
 *   reserved keys, but handler-test-hooks.ts keeps the entries off stdout; metrics are disabled,
 *   so no EMF is printed. Tests that check what a handler logs or measures capture it explicitly
 *   (captured-logs.ts, captured-metrics.ts), and those captures do not depend on this.
 * - SDK clients retry with a 1 ms backoff base (RETRY_BASE_DELAY_MS), carry fake credentials,
 *   never ask the EC2 metadata service for any, and default to a closed loopback port, so a
 *   request that escapes a stub fails at once and never leaves the machine.
 * - The SDK's Node.js version notice is off (it is about future SDK releases, not these tests).
 * A test that needs another value sets it itself (fake-aws.ts `setHandlerEnv` restores it).
 */
import { FAKE_CREDENTIALS, TEST_REGION, UNREACHABLE_ENDPOINT } from './fake-aws';

Object.assign(process.env, {
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
  POWERTOOLS_METRICS_DISABLED: 'true',
  RETRY_BASE_DELAY_MS: '1',
  AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ENDPOINT_URL: UNREACHABLE_ENDPOINT,
  AWS_REGION: process.env.AWS_REGION || TEST_REGION,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});
delete process.env.AWS_SESSION_TOKEN;
delete process.env.AWS_PROFILE;
