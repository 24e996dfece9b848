import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { addAuroraGlobalCluster, addGlobalTable, addRdsReadReplica, createDrDatabaseNetwork } from '../../src/cross-region-dr/databases';
import { DrContext } from '../../src/cross-region-dr/dr-context';
import { createEncryptedAlertTopic } from '../../src/private/encrypted-topic';
import { createAccessLogBucket } from '../../src/private/secure-bucket';
import { createSecureKey } from '../../src/private/secure-key';
import { describeFindings, synthFindings, testApp } from '../support/compliance';

test('explore', () => {
  const app = testApp();
  const env = (region: string) => ({ account: '111111111111', region });
  const primary = new Stack(app, 'Primary', { env: env('ap-southeast-1') });
  const drStack = new Stack(app, 'DrFoundation', { env: env('ap-southeast-2') });
  const recoveryStack = new Stack(app, 'DrRecovery', { env: env('ap-southeast-2') });
  const aliasName = 'alias/dr-test/dr';
  const drKey = createSecureKey(drStack, 'DrKey', { description: 'DR key', alias: aliasName });
  const ctx: DrContext = {
    primaryStack: primary, drStack, recoveryStack, primaryRegion: 'ap-southeast-1', drRegion: 'ap-southeast-2',
    account: '111111111111', partition: primary.partition, rpo: Duration.minutes(15), rto: Duration.hours(1), namePrefix: 'dr-test',
    drKey, drKeyAliasName: aliasName, drKeyAliasArn: `arn:${primary.partition}:kms:ap-southeast-2:111111111111:${aliasName}`,
    primaryAlarmTopic: createEncryptedAlertTopic(primary, 'PrimaryAlarms', createSecureKey(primary, 'PrimaryAlarmKey', { description: 'p' }), 'p'),
    drAlarmTopic: createEncryptedAlertTopic(recoveryStack, 'DrAlarms', createSecureKey(recoveryStack, 'DrAlarmKey', { description: 'd' }), 'd'),
    drAccessLogBucket: createAccessLogBucket(drStack, 'AccessLogs', RemovalPolicy.RETAIN),
    removalPolicy: RemovalPolicy.RETAIN,
  };
  recoveryStack.addDependency(primary);
  const vpc = new ec2.Vpc(primary, 'AppVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const cluster = new rds.DatabaseCluster(primary, 'Orders', {
    clusterIdentifier: 'orders',
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.XLARGE) }),
    vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, storageEncrypted: true,
    credentials: rds.Credentials.fromGeneratedSecret('orders_admin'),
  });
  const instance = new rds.DatabaseInstance(primary, 'Billing', {
    instanceIdentifier: 'billing',
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }),
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6G, ec2.InstanceSize.LARGE),
    vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, storageEncrypted: true,
  });
  const table = new dynamodb.TableV2(primary, 'Sessions', {
    tableName: 'sessions', partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, replicas: [{ region: 'ap-southeast-2' }],
  });
  const network = createDrDatabaseNetwork(ctx);
  const dr = new (require('constructs').Construct)(primary, 'Dr');
  addAuroraGlobalCluster(ctx, dr, 'Aurora0', cluster, network);
  addRdsReadReplica(ctx, dr, 'Rds0', instance, network);
  addGlobalTable(ctx, dr, table);
  const findings = describeFindings(synthFindings(app));
  const fs = require('fs');
  fs.writeFileSync('/tmp/dbtry/findings.txt', findings.join('\n'));
  for (const s of [primary, recoveryStack, drStack]) fs.copyFileSync(`${app.outdir}/${s.templateFile}`, `/tmp/dbtry/${s.stackName}.json`);
});
