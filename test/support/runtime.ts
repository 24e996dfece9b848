import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The newest Node.js runtime the installed aws-cdk-lib declares, read off its
 * runtime list by version number (what cdk-nag's AwsSolutions-L1 expects).
 */
export const NEWEST_NODE_RUNTIME: string = lambda.Runtime.ALL
  .map((r) => r.name)
  .filter((name) => /^nodejs\d+\.x$/.test(name))
  .sort((a, b) => parseInt(a.slice(6), 10) - parseInt(b.slice(6), 10))
  .pop()!;
