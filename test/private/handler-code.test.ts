import * as lambda from 'aws-cdk-lib/aws-lambda';
import { OLDEST_SUPPORTED_NODE_MAJOR, latestNodeRuntime } from '../../src/private/handler-code';
import { NEWEST_NODE_RUNTIME } from '../support/runtime';

describe('latestNodeRuntime', () => {
  test('is the newest Node.js runtime the installed aws-cdk-lib knows', () => {
    expect(latestNodeRuntime().name).toBe(NEWEST_NODE_RUNTIME);
    expect(Number(/^nodejs(\d+)\.x$/.exec(NEWEST_NODE_RUNTIME)![1])).toBeGreaterThanOrEqual(OLDEST_SUPPORTED_NODE_MAJOR);
  });

  test('follows a newer runtime as soon as aws-cdk-lib declares one', () => {
    const future = new lambda.Runtime('nodejs98.x', lambda.RuntimeFamily.NODEJS);
    try {
      expect(latestNodeRuntime().name).toBe('nodejs98.x');
    } finally {
      lambda.Runtime.ALL.splice(lambda.Runtime.ALL.indexOf(future), 1);
    }
  });

  test('refuses an aws-cdk-lib that knows no runtime the bundles run on', () => {
    const saved = lambda.Runtime.ALL.splice(0, lambda.Runtime.ALL.length);
    try {
      lambda.Runtime.ALL.push(lambda.Runtime.NODEJS_20_X);
      expect(() => latestNodeRuntime()).toThrow(/knows no Node.js Lambda runtime of version 22 or later \(newest: nodejs20.x\)/);
    } finally {
      lambda.Runtime.ALL.splice(0, lambda.Runtime.ALL.length, ...saved);
    }
  });
});
