
import { App, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct, IConstruct } from 'constructs';
import { DrDatabaseNetwork, createDrDatabaseNetwork } from '../../../src/cross-region-dr/database-network';
import { DrArns } from '../../../src/cross-region-dr/dr-arns';
import { DrContext } from '../../../src/cross-region-dr/dr-context';
import { createEncryptedAlertTopic } from '../../../src/private/encrypted-topic';
import { createAccessLogBucket } from '../../../src/private/secure-bucket';
import { createSecureKey } from '../../../src/private/secure-key';
import { testApp } from '../../support/compliance';

export const ACCOUNT = '111111111111';
export const PRIMARY = 'ap-southeast-1';
export const DR = 'ap-southeast-2';
export const ALIAS = 'alias/dr-test/dr';
/** The DR key's alias ARN as the templates render it (partition pseudo parameter). */
export const ALIAS_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kms:${DR}:${ACCOUNT}:${ALIAS}`]] };
export const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

export interface Fixture {
  readonly app: App;
  readonly primary: Stack;
  readonly drStack: Stack;
  readonly recoveryStack: Stack;
  readonly ctx: DrContext;
  /** Where CrossRegionDr would be: the scope of the primary-region parts. */
  readonly dr: Construct;
  readonly vpc: ec2.Vpc;
  network(): DrDatabaseNetwork;
}

/** Three stacks and a DrContext built the way CrossRegionDr builds them. */
export function fixture(props: { rpo?: Duration; partition?: 'aws' } = {}): Fixture {
  const app = testApp();
  const env = (region: string) => ({ account: ACCOUNT, region });
  const primary = new Stack(app, 'Primary', { env: env(PRIMARY) });
  const drStack = new Stack(app, 'DrFoundation', { env: env(DR) });
  const recoveryStack = new Stack(app, 'DrRecovery', { env: env(DR) });
  primary.addStackDependency(drStack);
  recoveryStack.addStackDependency(primary);
  const partition = props.partition ?? primary.partition;
  const ctx: DrContext = {
    primaryStack: primary,
    drStack,
    recoveryStack,
    primaryRegion: PRIMARY,
    drRegion: DR,
    account: ACCOUNT,
    partition,
    rpo: props.rpo ?? Duration.minutes(15),
    rto: Duration.hours(1),
    namePrefix: 'dr-test',
    drKey: createSecureKey(drStack, 'DrKey', { description: 'DR-region key', alias: ALIAS }),
    drKeyAliasName: ALIAS,
    drKeyAliasArn: `arn:${partition}:kms:${DR}:${ACCOUNT}:${ALIAS}`,
    primaryAlarmTopic: createEncryptedAlertTopic(primary, 'PrimaryAlarms',
      createSecureKey(primary, 'PrimaryAlarmKey', { description: 'Encrypts the primary-region DR alarms' }), 'DR alarms (primary)'),
    drAlarmTopic: createEncryptedAlertTopic(recoveryStack, 'DrAlarms',
      createSecureKey(recoveryStack, 'DrAlarmKey', { description: 'Encrypts the DR alarms' }), 'DR alarms'),
    drAccessLogBucket: createAccessLogBucket(drStack, 'DrAccessLogs', RemovalPolicy.RETAIN),
    drOperationsKey: createSecureKey(recoveryStack, 'DrOperationsKey', { description: 'Encrypts the DR handlers' }),
    drVaultName: 'dr-test-vault',
    metricNamespace: 'CompliantBackup/DR/dr-test',
    arns: new DrArns(partition, ACCOUNT),
    removalPolicy: RemovalPolicy.RETAIN,
  };
  const vpc = new ec2.Vpc(primary, 'AppVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  let network: DrDatabaseNetwork | undefined;
  return {
    app,
    primary,
    drStack,
    recoveryStack,
    ctx,
    vpc,
    dr: new Construct(primary, 'Dr'),
    network: () => (network ??= createDrDatabaseNetwork(ctx, 'Primary/Dr')),
  };
}

/** Log exports as the packs want them on the user's own databases (a missing list is reported without a construct path). */
export const LOG_EXPORTS: Record<string, string[]> = {
  'aurora-postgresql': ['postgresql'],
  'aurora-mysql': ['audit', 'error', 'general', 'slowquery'],
  'postgres': ['postgresql', 'upgrade'],
  'mysql': ['audit', 'error', 'general', 'slowquery'],
};

export function auroraPostgres(f: Fixture, props: Partial<rds.DatabaseClusterProps> = {}, scope: Construct = f.primary): rds.DatabaseCluster {
  return new rds.DatabaseCluster(scope, 'Orders', {
    cloudwatchLogsExports: LOG_EXPORTS[(props.engine ?? rds.DatabaseClusterEngine.AURORA_POSTGRESQL).engineType],
    clusterIdentifier: 'orders',
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.XLARGE) }),
    vpc: f.vpc,
    vpcSubnets: ISOLATED,
    storageEncrypted: true,
    credentials: rds.Credentials.fromGeneratedSecret('orders_admin'),
    ...props,
  });
}

export function postgresInstance(f: Fixture, props: Partial<rds.DatabaseInstanceProps> = {}): rds.DatabaseInstance {
  return new rds.DatabaseInstance(f.primary, 'Billing', {
    cloudwatchLogsExports: LOG_EXPORTS[props.engine?.engineType ?? 'postgres'],
    instanceIdentifier: 'billing',
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }),
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6G, ec2.InstanceSize.LARGE),
    vpc: f.vpc,
    vpcSubnets: ISOLATED,
    storageEncrypted: true,
    ...props,
  });
}

export function sessionsTable(f: Fixture, props: Partial<dynamodb.TablePropsV2> = {}): dynamodb.TableV2 {
  return new dynamodb.TableV2(f.primary, 'Sessions', {
    tableName: 'sessions',
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    replicas: [{ region: DR }],
    ...props,
  });
}

/** The only resource of `type` in `template` whose logical id starts with `prefix`. */
export function resource(template: Template, type: string, prefix: string): any {
  const found = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  expect(found).toHaveLength(1);
  return found[0][1];
}

// --- Compliance packs ----------------------------------------------------------------------

export const USER_REASON = 'Test fixture standing in for the user\'s own database, secret or network; CrossRegionDr configures only '
  + 'the DR side, so these findings belong to the user.';

/** The rule ids the packs report for the test's own (user) resources, acknowledged on those resources only. */
export function acknowledgeUserResources(...constructs: IConstruct[]): void {
  const ids = [
    'AwsSolutions-VPC7', 'AwsSolutions-SMG4', 'AwsSolutions-RDS3', 'AwsSolutions-RDS6', 'AwsSolutions-RDS10', 'AwsSolutions-RDS11',
    'AwsSolutions-RDS14',
    ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].flatMap((pack) => [
      'VPCDefaultSecurityGroupClosed', 'VPCFlowLogsEnabled', 'SecretsManagerRotationEnabled', 'SecretsManagerUsingKMSKey',
      'RDSInstanceDeletionProtectionEnabled', 'RDSEnhancedMonitoringEnabled', 'RDSInBackupPlan', 'RDSMultiAZSupport',
      ...['postgresql', 'upgrade', 'audit', 'error', 'general', 'slowquery'].map((log) => `RDSLoggingEnabled[LogExport::${log}]`),
    ].map((rule) => `${pack}-${rule}`)),
    ...['rds_instance_multi_az_support_check', 'rds_instance_deletion_protection_enabled_check', 'rds_instance_logging_enabled_check',
      'rds_instance_enhanced_monitoring_enabled_check', 'rds_instance_no_default_ports_check', 'rds_cluster_logging_enabled_check',
      'rds_cluster_deletion_protection_enabled_check', 'rds_storage_encrypted_kms_key_check', 'rds_cluster_iam_authentication_enabled_check',
      'rds_instance_iam_authentication_enabled_check', 'rds_instance_backup_enabled_check', 'aurora_cluster_backtracking_enabled_check'].map((rule) => `cdk-validator-cfnguard::${rule}`),
  ];
  for (const c of constructs) Validations.of(c).acknowledge(...ids.map((id) => ({ id, reason: USER_REASON })));
}
