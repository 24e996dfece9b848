import { ALL_OPTIONS_CONTEXT, buildAllOptionsApp } from './all-options';
import { describeFindings, synthFindings, testApp } from '../support/compliance';

/**
 * The coverage app synthesizes with cdk-nag's four packs and the AWS Control Tower
 * proactive controls on, as every example does. Application-side findings are
 * acknowledged in the app with reasons; anything left is on the library.
 */
jest.setTimeout(10 * 60_000);

test('the coverage app synthesizes with zero unacknowledged compliance findings', () => {
  const app = testApp({ context: ALL_OPTIONS_CONTEXT });
  const stacks = buildAllOptionsApp(app);
  expect(stacks.map((s) => `${s.stackName}@${s.region}`)).toEqual([
    'AllOptionsVaults@eu-west-1', 'AllOptionsDrTopic@eu-central-1', 'AllOptionsPrimary@eu-west-1',
    'AllOptionsPrimary-DrFoundation@eu-central-1', 'AllOptionsPrimary-DrRecovery@eu-central-1', 'AllOptionsBringYourOwn@us-east-1',
  ]);
  expect(describeFindings(synthFindings(app))).toEqual([]);
});
