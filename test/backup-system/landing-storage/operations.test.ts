/** LandingStorage: operations. */
import { landingFixture } from './fixtures';

describe('LandingStorage operations', () => {
  const { template, stack, landing } = landingFixture();

  test('objects waiting over an hour for verification raise an alarm', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [stack.getLogicalId(landing.queue.node.defaultChild as any), 'QueueName'] } }],
      Threshold: 3600,
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  test('the inventory bucket keeps a year of daily listings', () => {
    const inventory = template.toJSON().Resources[stack.getLogicalId(landing.inventoryBucket.node.defaultChild as any)];
    expect(inventory.Properties.LifecycleConfiguration.Rules).toEqual(expect.arrayContaining([
      expect.objectContaining({ Id: 'expire-old-inventories', ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
    ]));
  });
});
