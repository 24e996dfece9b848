import { IConstruct } from 'constructs';
import { fail } from './errors';

/** Lambda's limit for all environment variables of a function together (keys and values). */
export const LAMBDA_ENVIRONMENT_MAX_BYTES = 4096;

/**
 * A handler's environment fits Lambda's 4 KB, or the deployment fails on the function.
 * `variables` are the deployed values (references counted at their longest deployed length).
 * The message names the largest variables: they say which option to reduce.
 */
export function checkEnvironmentSize(scope: IConstruct, variables: Record<string, string>): void {
  const size = Object.entries(variables).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (size <= LAMBDA_ENVIRONMENT_MAX_BYTES) return;
  const largest = Object.entries(variables).sort((a, b) => b[1].length - a[1].length).slice(0, 3)
    .map(([k, v]) => `${k} (${Buffer.byteLength(v)} bytes)`).join(', ');
  fail(scope, 'the environment', `${size} bytes`, `Lambda allows ${LAMBDA_ENVIRONMENT_MAX_BYTES} bytes for all environment variables of a `
    + `function; the largest are ${largest}: protect fewer resources with this construct, or split them across constructs`);
}
