import { assertMinimumCdk, assertPluginsSeeThisCopy, stacksIn } from './min-cdk';
import { ALL_OPTIONS_CONTEXT, buildAllOptionsApp } from '../apps/all-options';
import { describeFindings, synthFindings, testApp } from '../support/compliance';

/**
 * The coverage app (every option of every construct) on the MINIMUM aws-cdk-lib,
 * with cdk-nag's four packs and the AWS Control Tower rules, as
 * test/apps/all-options.test.ts runs it on the newest.
 */
jest.setTimeout(10 * 60_000);
process.env.CDK_VALIDATION = 'false'; // the only switch 2.269 reads for its built-in template validation

beforeAll(() => {
  assertMinimumCdk();
  assertPluginsSeeThisCopy();
});

test('the coverage app synthesizes with zero unacknowledged compliance findings', () => {
  const app = testApp({ context: ALL_OPTIONS_CONTEXT });
  const stacks = buildAllOptionsApp(app);
  expect(describeFindings(synthFindings(app))).toEqual([]);
  const synthesized = stacksIn(app.outdir);
  expect(synthesized.map((s) => s.name).sort()).toEqual(stacks.map((s) => s.artifactId).sort());
  expect(synthesized.filter((s) => s.resources === 0)).toEqual([]);
});
