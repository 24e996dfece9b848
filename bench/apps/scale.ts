/**
 * One point of a scaling curve (issue 12.5): the library with one dimension grown
 * to BENCH_SCALE_N and everything else at a fixed, small baseline. The dimension
 * is BENCH_SCALE_DIMENSION (see DIMENSIONS). The library's resources live in the
 * stack `Backups` (and, for DR, its DR stacks); what a user would own anyway
 * (tagged workloads, databases, source buckets) goes in `Workload*` stacks or in
 * the primary stack, as a user would write it.
 */
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BackupTier, CompliantBackupSystem, CrossRegionDr } from 'cdk-compliant-backup';

const DIMENSIONS = ['tagged', 'protect-each', 'protect-once', 'tenants', 'tiers', 'buckets', 'rds', 'aurora'] as const;
type Dimension = (typeof DIMENSIONS)[number];

const ENV = { account: '123456789012', region: 'us-east-1' };
/** CloudFormation's limit is 500 resources a stack: the workload stacks stay well under it. */
const WORKLOAD_RESOURCES_PER_STACK = 400;

const dimension = process.env.BENCH_SCALE_DIMENSION as Dimension;
const n = Number(process.env.BENCH_SCALE_N);
if (!DIMENSIONS.includes(dimension) || !Number.isInteger(n) || n < 1) {
  throw new Error(`BENCH_SCALE_DIMENSION=${dimension} BENCH_SCALE_N=${process.env.BENCH_SCALE_N}; expected one of ${DIMENSIONS.join(', ')} and a positive integer`);
}

const app = new App();
const stack = new Stack(app, 'Backups', { env: ENV });
const range = (count: number) => Array.from({ length: count }, (_, i) => i);
const tableArn = (i: number) => `arn:aws:dynamodb:${ENV.region}:${ENV.account}:table/workload-${i}`;

switch (dimension) {
  case 'tagged': {
    // Resources tagged Backup=true, selected by the library's tag condition.
    new CompliantBackupSystem(stack, 'System');
    for (let s = 0; s * WORKLOAD_RESOURCES_PER_STACK < n; s++) {
      const workload = new Stack(app, `Workload${s}`, { env: ENV });
      for (const i of range(Math.min(WORKLOAD_RESOURCES_PER_STACK, n - s * WORKLOAD_RESOURCES_PER_STACK))) {
        new dynamodb.CfnTable(workload, `Table${i}`, {
          keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
          attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
          billingMode: 'PAY_PER_REQUEST',
          tags: [{ key: 'Backup', value: 'true' }],
        });
      }
    }
    break;
  }
  case 'protect-each': {
    // One protect() call per resource, as code that protects resources one by one would.
    const system = new CompliantBackupSystem(stack, 'System', { selectionTags: {} });
    for (const i of range(n)) system.protect(backup.BackupResource.fromArn(tableArn(i)));
    break;
  }
  case 'protect-once': {
    // One protect() call with every resource.
    const system = new CompliantBackupSystem(stack, 'System', { selectionTags: {} });
    system.protect(...range(n).map((i) => backup.BackupResource.fromArn(tableArn(i))));
    break;
  }
  case 'tenants': {
    new CompliantBackupSystem(stack, 'System', {
      landingStorage: {},
      tenants: range(n).map((i) => `tenant-${String(i).padStart(5, '0')}`),
    });
    break;
  }
  case 'tiers': {
    new CompliantBackupSystem(stack, 'System', {
      tiers: range(n).map((i) => new BackupTier({
        name: `tier${i}`,
        schedule: events.Schedule.cron({ minute: '0', hour: String(i % 24) }),
        retention: Duration.days(35 + i),
      })),
    });
    break;
  }
  case 'buckets': {
    const system = new CompliantBackupSystem(stack, 'System');
    const buckets = range(n).map((i) => new s3.Bucket(stack, `Source${i}`, {
      // CrossRegionDr names replicated buckets across regions: they need a name.
      bucketName: `bench-source-${i}-${ENV.account}-${ENV.region}`,
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    }));
    new CrossRegionDr(stack, 'Dr', {
      drRegion: 'us-west-2', rpo: Duration.hours(1), rto: Duration.hours(4), backupSystem: system, replicateBuckets: buckets,
    });
    break;
  }
  case 'rds':
  case 'aurora': {
    const system = new CompliantBackupSystem(stack, 'System');
    const dr = new CrossRegionDr(stack, 'Dr', { drRegion: 'us-west-2', rpo: Duration.hours(1), rto: Duration.hours(4), backupSystem: system });
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    for (const i of range(n)) {
      if (dimension === 'rds') {
        const instance = new rds.DatabaseInstance(stack, `Db${i}`, {
          instanceIdentifier: `bench-db-${i}`,
          engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }),
          instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6G, ec2.InstanceSize.LARGE),
          vpc,
          vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
          storageEncrypted: true,
          backupRetention: Duration.days(7),
        });
        dr.addRdsReadReplica(instance);
      } else {
        const cluster = new rds.DatabaseCluster(stack, `Cluster${i}`, {
          clusterIdentifier: `bench-cluster-${i}`,
          engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
          writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) }),
          vpc,
          vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
          storageEncrypted: true,
        });
        dr.addAuroraGlobalCluster(cluster);
      }
    }
    break;
  }
}

app.synth();
