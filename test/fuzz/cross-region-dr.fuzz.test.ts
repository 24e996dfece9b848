import { App, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as fc from 'fast-check';
import { CompliantBackupSystem, CrossRegionDr } from '../../src';
import { lockSpec, tiersOf, tiersSpec } from './support/backup-specs';
import { FuzzTally } from './support/counts';
import { isAbsent, materialize } from './support/inputs';
import { judge } from './support/outcome';
import { fuzz, summary } from './support/property';
import { removeFuzzOutdir } from './support/synth';
import { ABSENT, Mode, days, field, hours, minutes, optional, rarely, typical } from './support/values';

/**
 * CrossRegionDr under generated props and calls: DR regions (the primary's, typos,
 * unknown ones), RPOs and RTOs around what each mechanism delivers (RTC's 15 minutes,
 * a tier's schedule, archive restores of 5 and 12 hours), a backup system whose tiers
 * copy to DR, user buckets (versioned or not, named or not, KMS or S3 keys, object
 * lock) replicated with options, failover options, the DR vault's lock, the readiness
 * interval, and the databases: DynamoDB global tables, RDS read replicas and Aurora
 * global clusters.
 */

const KNOWN_PROPS = ['drRegion', 'rpo', 'rto', 'backupSystem', 'replicateBuckets', 'failover', 'notificationTopic', 'drVault', 'vaultLock',
  'databaseNetwork', 'readinessInterval', 'removalPolicy', 'replicaBucketName', 'storageClass', 'replicateDeleteMarkers', 'versioned',
  'bucketName', 'bucketEncryption', 'replicationConfiguration', 'bucket', 'stack', 'stack region', 'primary stack env', 'scope', 'engine',
  'engineMode', 'backtrackWindow', 'engine version', 'secondaryInstances', 'instanceType', 'replicas', 'replicaRegions', 'storageEncrypted',
  'globalClusterIdentifier', 'secondaryClusterIdentifier', 'replicaIdentifier', 'clusterIdentifier', 'instanceIdentifier', 'tableName',
  'tiers', 'instanceClass', 'secondaryInstanceClass', 'copy destinations', 'TargetBackupVault', 'replicateBucket()', 'addAuroraGlobalCluster()',
  'addRdsReadReplica()', 'addGlobalTable()',
  // Method arguments, as the type checks name them: replicateBucket(options).replicaBucketName.
  'replicateBucket', 'addAuroraGlobalCluster', 'addRdsReadReplica'];

const PRIMARY = 'eu-west-1';
const DR = 'eu-central-1';
const ACCOUNT = '123456789012';

const bucketSpec = (mode: Mode) => fc.record({
  versioned: typical(mode, fc.constant(true), fc.boolean()),
  named: typical(mode, fc.constant(true), fc.boolean()),
  encryption: typical(mode, fc.constantFrom('KMS', 'S3_MANAGED'), fc.constantFrom('KMS_MANAGED', 'DEFAULT')),
  objectLockDays: optional(mode, fc.constantFrom(1, 30, 365), 3),
});

const databaseSpec = (mode: Mode) => fc.oneof(
  fc.record({ kind: fc.constant('table'), replicaInDr: typical(mode, fc.constant(true), fc.boolean()) }),
  fc.record({
    kind: fc.constant('rds'),
    encrypted: typical(mode, fc.constant(true), fc.boolean()),
    identifier: typical(mode, fc.constant('billing'), fc.constantFrom('Billing-DB', '1billing', 'bill--ing', undefined)),
    options: fc.record({
      replicaIdentifier: optional(mode, typical(mode, fc.constant('billing-dr'), fc.constantFrom('', 'a--b', 'x'.repeat(64), 'dr-'))),
      multiAz: optional(mode, fc.boolean(), 2),
    }),
  }),
  fc.record({
    kind: fc.constant('aurora'),
    engine: typical(mode, fc.constantFrom('postgres-16.4', 'mysql-3.05'), fc.constantFrom('postgres-11.4', 'mysql-2.03', 'postgres-unpinned')),
    identifier: typical(mode, fc.constant('orders'), fc.constantFrom('Orders', undefined)),
    options: fc.record({
      globalClusterIdentifier: optional(mode, typical(mode, fc.constant('orders-global'), fc.constantFrom('', 'a--b', '9orders')), 2),
      secondaryClusterIdentifier: optional(mode, fc.constantFrom('orders-dr', 'orders-dr-', 'x'.repeat(64)), 2),
      secondaryInstances: optional(mode, typical(mode, fc.constantFrom(1, 2), fc.constantFrom(0, 16, 17, 1.5, -1)), 2),
    }),
  }),
);

function drSpec(mode: Mode) {
  return fc.record({
    props: fc.record({
      drRegion: field(mode, typical(mode, fc.constantFrom(DR, 'us-east-1'), fc.constantFrom(PRIMARY, 'us-wset-2', 'EU-CENTRAL-1', '', 'mars-north-1'))),
      rpo: field(mode, typical(mode, fc.oneof(hours([1, 24]), days([1, 2])), fc.oneof(minutes([0, 1, 14, 15, 16, 59, 60]),
        fc.constantFrom({ $duration: 'millis', amount: 500 }, { $duration: 'seconds', amount: 1 })))),
      rto: field(mode, typical(mode, hours([4, 24]), fc.oneof(hours([0, 1, 4, 5, 11, 12, 13]), minutes([30])))),
      failover: optional(mode, fc.record({
        stepTimeout: optional(mode, typical(mode, minutes([5, 15]), fc.oneof(minutes([0, 1, 16]), fc.constant({ $duration: 'seconds', amount: 90 }))), 2),
        hostedZone: optional(mode, fc.constantFrom('literal', 'token'), 2),
        recordName: optional(mode, fc.constantFrom('app.example.com', ''), 2),
        healthCheckDomainName: optional(mode, fc.constant('app.example.com'), 2),
        activeRegionParameterName: optional(mode, fc.constantFrom('/app/active-region', 'no-slash'), 3),
      }), 2),
      notificationTopic: optional(mode, fc.constantFrom('dr-region', 'primary-region'), 4),
      drVault: optional(mode, fc.record({ vaultLock: lockSpec(mode) }), 4),
      readinessInterval: optional(mode, typical(mode, minutes([5, 15]), fc.oneof(minutes([0, 1]), fc.constant({ $duration: 'seconds', amount: 90 }))), 3),
    }),
    backupTiers: optional(mode, tiersSpec(mode, { copyVaults: 0, copyToDr: true }, 2), 1, 2),
    buckets: fc.array(bucketSpec(mode), { maxLength: 2 }),
    replicate: fc.array(fc.record({
      bucket: fc.integer({ min: 0, max: 1 }),
      viaProps: fc.boolean(),
      options: fc.record({
        replicaBucketName: optional(mode, typical(mode, fc.constant('replica-bucket-1'), fc.constantFrom('Replica', 'ab', 'xn--abc', 'a..b', '192.168.1.1')), 3),
        storageClass: optional(mode, typical(mode, fc.constantFrom('STANDARD', 'STANDARD_IA'), fc.constantFrom('GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR', 'REDUCED_REDUNDANCY')), 2),
        replicateDeleteMarkers: optional(mode, fc.boolean(), 2),
      }),
    }), { maxLength: 2 }),
    databases: rarely(fc.array(databaseSpec(mode), { minLength: 1, maxLength: 2 }), 2),
  });
}

type DrSpec = ReturnType<typeof drSpec> extends fc.Arbitrary<infer T> ? T : never;

function setup(spec: DrSpec) {
  return (app: App) => {
    const primary = new Stack(app, 'Primary', { env: { account: ACCOUNT, region: PRIMARY } });
    const drTopicStack = new Stack(app, 'DrTopics', { env: { account: ACCOUNT, region: DR } });
    const key = new kms.Key(primary, 'AppKey', { enableKeyRotation: true });
    const buckets = spec.buckets.map((b, i) => new s3.Bucket(primary, `Data${i}`, {
      bucketName: b.named === true ? `app-data-${i}-${ACCOUNT}` : undefined,
      versioned: b.versioned === true,
      encryption: b.encryption === 'KMS' ? s3.BucketEncryption.KMS : b.encryption === 'S3_MANAGED' ? s3.BucketEncryption.S3_MANAGED
        : b.encryption === 'KMS_MANAGED' ? s3.BucketEncryption.KMS_MANAGED : undefined,
      encryptionKey: b.encryption === 'KMS' ? key : undefined,
      objectLockEnabled: !isAbsent(b.objectLockDays) ? true : undefined,
      objectLockDefaultRetention: typeof b.objectLockDays === 'number' ? s3.ObjectLockRetention.governance(Duration.days(b.objectLockDays)) : undefined,
      enforceSSL: true,
    }));
    const vpc = spec.databases.some((d) => d.kind !== 'table')
      ? new ec2.Vpc(primary, 'AppVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] })
      : undefined;
    const databases = spec.databases.map((d, i) => {
      if (d.kind === 'table') {
        return new dynamodb.TableV2(primary, `Table${i}`, {
          tableName: `sessions-${i}`,
          partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
          replicas: d.replicaInDr === true ? [{ region: typeof spec.props.drRegion === 'string' && /^[a-z]{2}-[a-z]+-\d$/.test(spec.props.drRegion) && spec.props.drRegion !== PRIMARY ? spec.props.drRegion : DR }] : [],
        });
      }
      if (d.kind === 'rds') {
        return new rds.DatabaseInstance(primary, `Instance${i}`, {
          instanceIdentifier: typeof d.identifier === 'string' ? `${d.identifier}${i}` : undefined,
          engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }),
          instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6G, ec2.InstanceSize.LARGE),
          vpc: vpc!,
          vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
          storageEncrypted: d.encrypted === true,
        });
      }
      const engine = {
        'postgres-16.4': rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
        'postgres-11.4': rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_11_4 }),
        'mysql-3.05': rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_05_2 }),
        'mysql-2.03': rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_2_03_2 }),
        'postgres-unpinned': rds.DatabaseClusterEngine.AURORA_POSTGRESQL,
      }[String(d.engine)] ?? rds.DatabaseClusterEngine.AURORA_POSTGRESQL;
      return new rds.DatabaseCluster(primary, `Cluster${i}`, {
        clusterIdentifier: typeof d.identifier === 'string' ? `${d.identifier}${i}` : undefined,
        engine,
        writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) }),
        vpc: vpc!,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        storageEncrypted: true,
        // An unpinned engine has no default parameter group: a user names one.
        parameterGroup: d.engine === 'postgres-unpinned' ? rds.ParameterGroup.fromParameterGroupName(primary, `Params${i}`, 'default.aurora-postgresql16') : undefined,
      });
    });
    const drTopic = new sns.Topic(drTopicStack, 'DrTopic', { topicName: 'dr-alarms' });
    const primaryTopic = new sns.Topic(primary, 'PrimaryTopic');
    const zone = route53.HostedZone.fromHostedZoneId(primary, 'Zone', 'Z0123456789ABCDEFGHIJ');
    const tokenZone = new route53.PublicHostedZone(primary, 'TokenZone', { zoneName: 'example.com' });
    return { primary, buckets, databases, drTopic, primaryTopic, zone, tokenZone };
  };
}

function run(mode: Mode) {
  return (spec: DrSpec) => judge(setup(spec), ({ primary, buckets, databases, drTopic, primaryTopic, zone, tokenZone }) => {
    const refs = () => undefined;
    const p = spec.props as any;
    const system = isAbsent(spec.backupTiers) ? undefined : new CompliantBackupSystem(primary, 'Backups', {
      catalog: false,
      tiers: tiersOf(spec.backupTiers, refs, mode),
    });
    const failover = isAbsent(p.failover) || p.failover?.$wrong !== undefined ? materialize(p.failover, refs) : {
      ...materialize({ ...p.failover, hostedZone: ABSENT }, refs),
      ...(p.failover.hostedZone === 'literal' ? { hostedZone: zone } : p.failover.hostedZone === 'token' ? { hostedZone: tokenZone } : {}),
    };
    const viaProps = spec.replicate.filter((r) => r.viaProps && buckets[r.bucket]).map((r) => buckets[r.bucket]);
    const dr = new CrossRegionDr(primary, 'Dr', {
      ...materialize({ ...p, failover: ABSENT, notificationTopic: ABSENT }, refs),
      ...(isAbsent(p.failover) ? {} : { failover }),
      ...(p.notificationTopic === 'dr-region' ? { notificationTopic: drTopic } : p.notificationTopic === 'primary-region' ? { notificationTopic: primaryTopic } : {}),
      ...(system ? { backupSystem: system } : {}),
      ...(viaProps.length > 0 ? { replicateBuckets: viaProps } : {}),
    });
    for (const r of spec.replicate.filter((x) => !x.viaProps && buckets[x.bucket])) {
      const options = materialize(r.options, refs);
      // A storage class is an s3.StorageClass; only untyped inputs pass the bare string.
      if (typeof options.storageClass === 'string' && mode !== 'untyped') options.storageClass = new s3.StorageClass(options.storageClass);
      dr.replicateBucket(buckets[r.bucket], options);
    }
    spec.databases.forEach((d, i) => {
      const db = databases[i];
      if (d.kind === 'table') dr.addGlobalTable(db as dynamodb.TableV2);
      else if (d.kind === 'rds') dr.addRdsReadReplica(db as rds.DatabaseInstance, materialize(d.options, refs));
      else dr.addAuroraGlobalCluster(db as rds.DatabaseCluster, materialize(d.options, refs));
    });
  }, KNOWN_PROPS);
}

describe('CrossRegionDr fuzz', () => {
  const tally = new FuzzTally('CrossRegionDr');
  afterAll(() => {
    tally.write();
    removeFuzzOutdir();
  });

  test('plausible props and calls, an edge value now and then: consistent templates or ComplianceRuleError naming the prop', () => {
    const defects = fuzz(tally, 'plausible props', 100, drSpec('plausible'), run('plausible'));
    console.log(summary(tally, 'plausible props'));
    expect(defects).toEqual([]);
  });

  test('the plausible sample synthesizes some inputs', () => {
    expect(tally.tally('plausible props').valid).toBeGreaterThan(0);
  });

  test('well-typed props and calls at and around every bound: consistent templates or ComplianceRuleError naming the prop', () => {
    const defects = fuzz(tally, 'well-typed props', 100, drSpec('typed'), run('typed'));
    console.log(summary(tally, 'well-typed props'));
    expect(defects).toEqual([]);
  });

  test('the well-typed sample reaches the rules: some inputs are rejected', () => {
    expect(tally.tally('well-typed props').rejected).toBeGreaterThan(0);
  });

  test('values of the wrong type, as a JavaScript user can pass them: never a TypeError or an error without the path', () => {
    const defects = fuzz(tally, 'wrong-typed props', 60, drSpec('untyped'), run('untyped'));
    console.log(summary(tally, 'wrong-typed props'));
    expect(defects).toEqual([]);
  });

  test('the counts match the committed evidence (docs/evidence/fuzz-counts.json; regenerate with `npx projen docs`)', () => {
    const committed = tally.committedEvidence();
    if (committed === undefined || Object.keys(tally.result().properties).length < 3) return;
    expect(committed).toEqual(tally.result());
  });
});
