/**
 * Integration test of CrossRegionDr (CONTRIBUTING.md, "Integration tests").
 *
 * Snapshot mode (offline, part of `npm test`): the synthesized templates must match
 * test/integ.cross-region-dr.ts.snapshot/.
 *
 * Deploy mode (an AWS account, two regions) asserts what a deployment should show, from
 * the DR region:
 * - the readiness handler runs and its metrics are published in the DR region;
 * - a drill run of the failover handler changes nothing: the active-region parameter
 *   holds the primary region before and after it.
 *
 * Regions: the primary is the deployment's region, the DR region is INTEG_DR_REGION
 * (default us-west-2). Snapshot mode uses integ-runner's placeholders (see integEnv).
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CrossRegionDr } from '../src';
import { INTEG_APP_PROPS, QUICK_WAIT, SLOW_WAIT, integEnv } from './support/integ-assertions';

const { account, region } = integEnv();
const drRegion = process.env.INTEG_DR_REGION ?? 'us-west-2';

const app = new App(INTEG_APP_PROPS);
const primary = new Stack(app, 'IntegCrossRegionDr', { env: { account, region } });

const source = new s3.Bucket(primary, 'Source', {
  // CrossRegionDr names replicated buckets across regions, so they need a physical name.
  bucketName: `integ-ccb-dr-source-${account}-${region}`,
  versioned: true,
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
});
const dr = new CrossRegionDr(primary, 'Dr', {
  drRegion,
  rpo: Duration.hours(1),
  rto: Duration.hours(4),
  replicateBuckets: [source],
  removalPolicy: RemovalPolicy.DESTROY,
});

// Assertions run in the DR region, where readiness and the runbook live.
const assertions = new Stack(app, 'IntegCrossRegionDrAssertions', { env: { account, region: drRegion } });
const integ = new IntegTest(app, 'CrossRegionDrTest', {
  testCases: [dr.drStack, primary, dr.recoveryStack],
  assertionStack: assertions,
  // The snapshot holds templates, not asset contents, so it cannot be deployed as the "before" of an update.
  stackUpdateWorkflow: false,
});

// Readiness runs, and its metrics reach CloudWatch in the DR region (new metrics can take
// up to 15 minutes to be listed).
const namespace = dr.metricRecoveryPointAge().namespace;
integ.assertions.invokeFunction({ functionName: dr.readinessFunction.functionName })
  .expect(ExpectedResult.objectLike({ StatusCode: 200, Payload: Match.stringLikeRegexp('"rpoSeconds":3600') }))
  .waitForAssertions(QUICK_WAIT)
  .next(integ.assertions.awsApiCall('CloudWatch', 'listMetrics', { Namespace: namespace, MetricName: 'RpoBreaches' })
    .expect(ExpectedResult.objectLike({
      Metrics: Match.arrayWith([Match.objectLike({ Namespace: namespace, MetricName: 'RpoBreaches' })]),
    }))
    .waitForAssertions(SLOW_WAIT));

// A drill reads and reports, and leaves the active region where it was.
const activeRegionIsPrimary = () => integ.assertions
  .awsApiCall('SSM', 'getParameter', { Name: dr.activeRegionParameter.parameterName })
  .expect(ExpectedResult.objectLike({ Parameter: Match.objectLike({ Value: region }) }))
  .waitForAssertions(QUICK_WAIT);
const drill = integ.assertions.invokeFunction({
  functionName: dr.failoverFunction.functionName,
  payload: JSON.stringify({ action: 'drill' }),
})
  .expect(ExpectedResult.objectLike({ StatusCode: 200, Payload: Match.stringLikeRegexp('"action":"drill".*"dryRun":true') }))
  .waitForAssertions(QUICK_WAIT);
activeRegionIsPrimary().next(drill).next(activeRegionIsPrimary());

app.synth();
