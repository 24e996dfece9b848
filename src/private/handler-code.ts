import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** The library's Lambda handlers: `lambda-src/<name>.lambda.ts`, bundled at build time into `assets/`. */
export type HandlerName =
  | 'vault-alert' | 'verifier' | 'catalog' | 'catalog-reconciler' | 'restore-validator' | 'readiness' | 'failover';

/**
 * The oldest Node.js major version the bundles run on: esbuild targets it
 * (`HANDLER_BUNDLE_TARGET` in `.projenrc.ts`), so every runtime from it up works.
 */
export const OLDEST_SUPPORTED_NODE_MAJOR = 22;

/** The pre-built bundle of a handler, shipped in the npm package: synth needs neither Docker nor esbuild. */
export function handlerCode(name: HandlerName): lambda.Code {
  return lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'lambda-src', `${name}.lambda`));
}

/**
 * The newest Node.js runtime that the aws-cdk-lib installed in the consumer's app
 * knows. A pinned runtime falls behind with every aws-cdk-lib release (and cdk-nag's
 * AwsSolutions-L1 wants the newest one the installed aws-cdk-lib knows), so the
 * choice is made at synth from `lambda.Runtime.ALL`, the way cdk-nag makes it.
 */
export function latestNodeRuntime(): lambda.Runtime {
  let newest: { runtime: lambda.Runtime; major: number } | undefined;
  for (const runtime of lambda.Runtime.ALL) {
    const match = /^nodejs(\d+)\.x$/.exec(runtime.name);
    if (runtime.family !== lambda.RuntimeFamily.NODEJS || !match) continue;
    const major = Number(match[1]);
    if (!newest || major > newest.major) newest = { runtime, major };
  }
  if (!newest || newest.major < OLDEST_SUPPORTED_NODE_MAJOR) {
    throw new Error(`cdk-compliant-backup: the installed aws-cdk-lib knows no Node.js Lambda runtime of version ${OLDEST_SUPPORTED_NODE_MAJOR} `
      + `or later (newest: ${newest?.runtime.name ?? 'none'}); upgrade aws-cdk-lib`);
  }
  return newest.runtime;
}
