import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PLUGIN_NAMES, findingsOnBareBucket, loadedCdk, minimumCdkVersion } from './min-cdk';
import { latestNodeRuntime } from '../../src/private/handler-code';

/**
 * The `min-cdk` project's premise: every copy of aws-cdk-lib in the run is the
 * minimum version, cdk-nag's included (its rules test `instanceof CfnResource`:
 * a second copy would make them silently find nothing).
 */
process.env.CDK_VALIDATION = 'false';

test('aws-cdk-lib resolves to the minimum the package accepts, from the alias', () => {
  expect(minimumCdkVersion()).toBe('2.269.0');
  const cdk = loadedCdk();
  expect(cdk.version).toBe(minimumCdkVersion());
  expect(path.basename(cdk.directory)).toBe('aws-cdk-lib-min');
});

test('a subpath import is the same copy as the root import', () => {
  const stack = new Stack(new App(), 'S');
  const bucket = new s3.Bucket(stack, 'B');
  expect(Stack.of(bucket)).toBe(stack);
  expect(bucket.node.defaultChild).toBeInstanceOf(CfnResource);
});

test("the library's handlers get the newest Node.js runtime this aws-cdk-lib knows", () => {
  // 2.269 knows nodejs24.x at most (2.278 adds nodejs26.x).
  expect(latestNodeRuntime().name).toBe('nodejs24.x');
});

test('control: cdk-nag packs and the Control Tower rules report a bare bucket on this copy', () => {
  const byPlugin = findingsOnBareBucket();
  expect([...byPlugin.keys()].sort()).toEqual(PLUGIN_NAMES);
  expect(byPlugin.get('AwsSolutions')).toContain('AwsSolutions-S1');
  expect(byPlugin.get('HIPAA.Security')).toContain('HIPAA.Security-S3BucketLoggingEnabled');
});
