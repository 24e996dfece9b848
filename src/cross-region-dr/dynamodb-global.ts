import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { DATABASE_DELIVERABLE_RPO, DatabaseDr, LAG_ALARM_PERIOD, lagAlarm } from './database-common';
import { DrContext } from './dr-context';
import { checkDatabaseRegion, checkExplicitIdentifier, checkGlobalTableReplica } from '../validation/dr';
import { collectViolations } from '../validation/errors';

/**
 * Checks that `table` replicates into the DR region and alarms on its replication
 * latency. The replica itself is declared on the table (`replicas`), because its
 * key must be known when the table is constructed.
 */
export function addGlobalTable(ctx: DrContext, primaryParent: Construct, table: dynamodb.TableV2): DatabaseDr {
  const cfn = table.node.defaultChild as dynamodb.CfnGlobalTable;
  const tableName = checkExplicitIdentifier(table, 'tableName', cfn.tableName, 'table');
  checkDatabaseRegion(table, Stack.of(table).region, ctx.primaryRegion);
  // Replicas can still be added with table.addReplica(): check the final list at synth.
  table.node.addValidation({
    validate: () => {
      const replicas = Stack.of(table).resolve(cfn.replicas);
      const regions: string[] = Array.isArray(replicas) ? replicas.map((r: any) => r?.region).filter((r: unknown) => typeof r === 'string') : [];
      return collectViolations(() => checkGlobalTableReplica(table, regions, ctx.drRegion));
    },
  });

  const ms = ctx.rpo.toMilliseconds();
  // ReplicationLatency with ReceivingRegion=<DR region> is emitted by the sending replica, in the primary region.
  const metric = new cloudwatch.Metric({
    namespace: 'AWS/DynamoDB',
    metricName: 'ReplicationLatency',
    dimensionsMap: { TableName: tableName, ReceivingRegion: ctx.drRegion },
    statistic: cloudwatch.Stats.AVERAGE,
    period: LAG_ALARM_PERIOD,
    region: ctx.primaryRegion,
  });
  const alarm = lagAlarm(new Construct(primaryParent, `GlobalTable${tableName}`), 'ReplicationLatencyAlarm', ctx.primaryAlarmTopic, ms, metric,
    `DynamoDB global table ${tableName}: replication to ${ctx.drRegion} takes longer than the RPO (${ms} ms)`);
  return {
    capability: { resource: table.node.path, mechanism: 'DynamoDB global table', deliverable: DATABASE_DELIVERABLE_RPO.dynamodbGlobal },
    readiness: { kind: 'dynamodb-global', identifier: tableName, region: ctx.drRegion },
    alarms: [alarm],
  };
}
