/** DR databases: addGlobalTable. */
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DR, fixture, sessionsTable } from './fixtures';
import { addGlobalTable } from '../../../src/cross-region-dr/dynamodb-global';

describe('addGlobalTable', () => {
  const f = fixture();
  const added = addGlobalTable(f.ctx, f.dr, sessionsTable(f));

  test('an alarm on ReplicationLatency (ms, Average) to the DR region, in the primary region where DynamoDB publishes it', () => {
    Template.fromStack(f.primary).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/DynamoDB',
      MetricName: 'ReplicationLatency',
      Dimensions: Match.arrayEquals([{ Name: 'ReceivingRegion', Value: DR }, { Name: 'TableName', Value: 'sessions' }]),
      Statistic: 'Average',
      Threshold: 900000,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^PrimaryAlarms') }],
    });
    Template.fromStack(f.recoveryStack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('capability and readiness', () => {
    expect(added.capability).toEqual({ resource: 'Primary/Sessions', mechanism: 'DynamoDB global table', deliverable: Duration.seconds(1) });
    expect(added.readiness).toEqual({ kind: 'dynamodb-global', identifier: 'sessions', region: DR });
  });

  test('a replica added after the call counts (the check runs at synth)', () => {
    const g = fixture();
    const table = sessionsTable(g, { replicas: [] });
    addGlobalTable(g.ctx, g.dr, table);
    table.addReplica({ region: DR });
    expect(() => g.app.synth()).not.toThrow();
  });
});
