import { Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AssemblyStack, resourcesOf } from './assembly';
import { Change, identityProblems, synthesize } from './identity';
import { AuditedVault, BackupTier, CompliantBackupSystem, CrossRegionDr, OrganizationBackupPolicy, OrganizationTarget } from '../../src';
import * as databaseCommon from '../../src/cross-region-dr/database-common';
import { testApp } from '../support/compliance';

/*
 * Identity from what is protected: for each way the library protects more than one
 * thing, the app is synthesized with the first protected (`[A]`), both (`[A, B]`), only
 * the second (`[B]`) and both in the other order (`[B, A]`). Whole templates of every
 * stack are compared: adding B keeps every resource of [A]; removing A keeps every
 * resource of [B] as it was in [A, B]; reordering changes nothing. "Keeps" means the same
 * stack, logical ID and type, the same physical-name properties (bucket names, DB
 * identifiers, role, vault, parameter and function names...), and no name moving to
 * another logical ID.
 *
 * The protected resources themselves are always built (in the order of the variant, the
 * ones left out last), so only what the library derives from them can move.
 */

const ENV = { account: '123456789012', region: 'us-east-1' };
const DR_REGION = 'eu-west-1';
type Names = readonly string[];

const VARIANTS: Record<'first' | 'both' | 'second' | 'reversed', Names> = {
  first: ['Alpha'],
  both: ['Alpha', 'Beta'],
  second: ['Beta'],
  reversed: ['Beta', 'Alpha'],
};
const ALL: Names = ['Alpha', 'Beta'];

/** `protected` first, in order, then the others: construction order follows the variant too. */
function constructionOrder(protectedNames: Names): Names {
  return [...protectedNames, ...ALL.filter((n) => !protectedNames.includes(n))];
}

/** A scenario: builds the app protecting `protectedNames`, in that order. */
type Scenario = (stack: Stack, protectedNames: Names) => void;

function synthVariants(name: string, scenario: Scenario): Record<keyof typeof VARIANTS, AssemblyStack[]> {
  const out = {} as Record<keyof typeof VARIANTS, AssemblyStack[]>;
  for (const [variant, names] of Object.entries(VARIANTS) as Array<[keyof typeof VARIANTS, Names]>) {
    const app = testApp({ context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true } });
    scenario(new Stack(app, 'Primary', { env: ENV }), names);
    out[variant] = synthesize(app, `${name}-${variant}`);
  }
  return out;
}

/** The three transitions of the issue: add a second, remove the first, reorder. */
function describeIdentity(title: string, scenario: Scenario): void {
  describe(title, () => {
    let v: Record<keyof typeof VARIANTS, AssemblyStack[]>;
    beforeAll(() => {
      v = synthVariants(title, scenario);
    }, 10 * 60_000);
    const check = (from: keyof typeof VARIANTS, to: keyof typeof VARIANTS, change: Change) =>
      expect(identityProblems(v[from], v[to], change)).toEqual([]);
    test('the variants differ (the comparison is not vacuous)', () => {
      const rendered = (stacks: AssemblyStack[]) => JSON.stringify(stacks.map((st) => st.template));
      expect(rendered(v.both)).not.toEqual(rendered(v.first));
      expect(rendered(v.both)).not.toEqual(rendered(v.second));
      expect(resourcesOf(v.reversed).length).toBe(resourcesOf(v.both).length);
    });
    test('adding a second keeps every resource of the first', () => check('first', 'both', 'added'));
    test('removing the first keeps every resource of the second as it was', () => check('both', 'second', 'removed'));
    test('reordering changes no resource', () => check('both', 'reversed', 'reordered'));
  });
}

function crossRegionDr(stack: Stack, props: { rpo?: Duration; backupSystem?: CompliantBackupSystem } = {}): CrossRegionDr {
  return new CrossRegionDr(stack, 'Dr', {
    drRegion: DR_REGION,
    rpo: props.rpo ?? Duration.minutes(15),
    rto: Duration.hours(1),
    backupSystem: props.backupSystem,
  });
}

function appVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'AppVpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

const BUCKETS: Scenario = (stack, names) => {
  const buckets = new Map(constructionOrder(names).map((n) => [n, new s3.Bucket(stack, n, {
    bucketName: `${n.toLowerCase()}-documents-${ENV.account}`,
    encryption: s3.BucketEncryption.S3_MANAGED,
    versioned: true,
    enforceSSL: true,
  })]));
  const dr = crossRegionDr(stack);
  for (const n of names) dr.replicateBucket(buckets.get(n)!);
};
describeIdentity('CrossRegionDr.replicateBucket', BUCKETS);

describeIdentity('CrossRegionDr.addAuroraGlobalCluster', (stack, names) => {
  const vpc = appVpc(stack);
  const clusters = new Map(constructionOrder(names).map((n) => [n, new rds.DatabaseCluster(stack, n, {
    clusterIdentifier: `${n.toLowerCase()}-ledger`,
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    storageEncrypted: true,
    credentials: rds.Credentials.fromGeneratedSecret(`${n.toLowerCase()}_admin`),
  })]));
  const dr = crossRegionDr(stack);
  for (const n of names) dr.addAuroraGlobalCluster(clusters.get(n)!);
});

describeIdentity('CrossRegionDr.addRdsReadReplica', (stack, names) => {
  const vpc = appVpc(stack);
  const instances = new Map(constructionOrder(names).map((n) => [n, new rds.DatabaseInstance(stack, n, {
    instanceIdentifier: `${n.toLowerCase()}-billing`,
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }),
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6G, ec2.InstanceSize.LARGE),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    storageEncrypted: true,
    backupRetention: Duration.days(7),
    credentials: rds.Credentials.fromGeneratedSecret(`${n.toLowerCase()}_admin`),
  })]));
  const dr = crossRegionDr(stack);
  for (const n of names) dr.addRdsReadReplica(instances.get(n)!);
});

describeIdentity('CrossRegionDr.addGlobalTable', (stack, names) => {
  const dr = crossRegionDr(stack);
  const tables = new Map(constructionOrder(names).map((n) => [n, new dynamodb.TableV2(stack, n, {
    tableName: `${n.toLowerCase()}-sessions`,
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    replicas: [{ region: DR_REGION }],
  })]));
  for (const n of names) dr.addGlobalTable(tables.get(n)!);
});

describeIdentity('CompliantBackupSystem.protect(), one call per resource', (stack, names) => {
  const tables = new Map(constructionOrder(names).map((n) => [n, new dynamodb.TableV2(stack, n, {
    tableName: `${n.toLowerCase()}-orders`,
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  })]));
  const system = new CompliantBackupSystem(stack, 'Backups', { tiers: [BackupTier.daily()], selectionTags: {} });
  for (const n of names) system.protect(backup.BackupResource.fromArn(tables.get(n)!.tableArn));
});

/** Copy destinations of the same region: vaults of the app, created whether or not a tier copies into them. */
function copyVaults(scope: Construct, names: Names): Map<string, AuditedVault> {
  return new Map(constructionOrder(names).map((n) => [n, new AuditedVault(scope, `${n}Vault`, { vaultName: `${n.toLowerCase()}-copies` })]));
}

describeIdentity('CompliantBackupSystem, copyTo vaults of one tier', (stack, names) => {
  const vaults = copyVaults(stack, names);
  new CompliantBackupSystem(stack, 'Backups', {
    tiers: [BackupTier.daily({ copyTo: names.map((n) => vaults.get(n)!) })],
    selectionTags: {},
  });
});

describeIdentity('CompliantBackupSystem, tiers that copy into their own vaults', (stack, names) => {
  const vaults = copyVaults(stack, names);
  const tier: Record<string, (vault: AuditedVault) => BackupTier> = {
    Alpha: (vault) => BackupTier.daily({ copyTo: [vault] }),
    Beta: (vault) => BackupTier.weekly({ copyTo: [vault] }),
  };
  new CompliantBackupSystem(stack, 'Backups', { tiers: names.map((n) => tier[n](vaults.get(n)!)), selectionTags: {} });
});

describeIdentity('CompliantBackupSystem.addTier() and CrossRegionDr copies', (stack, names) => {
  const system = new CompliantBackupSystem(stack, 'Backups', { tiers: [BackupTier.hourly()], selectionTags: {} });
  const tier: Record<string, () => BackupTier> = {
    Alpha: () => BackupTier.daily({ copyToDr: true }),
    Beta: () => BackupTier.weekly({ copyToDr: true, retention: Duration.days(60) }),
  };
  for (const n of names) system.addTier(tier[n]());
  // The weekly tier's copies are at most 7 days plus its windows old.
  crossRegionDr(stack, { rpo: Duration.days(8), backupSystem: system });
});

describeIdentity('OrganizationBackupPolicy, copyTo vaults (the member template of its StackSet)', (stack, names) => {
  const vaults = new Map(constructionOrder(names).map((n) => [n, AuditedVault.fromVaultArn(stack, `${n}Central`,
    `arn:aws:backup:eu-west-1:222222222222:backup-vault:${n.toLowerCase()}-central`)]));
  new OrganizationBackupPolicy(stack, 'BackupPolicy', {
    targets: [OrganizationTarget.organizationalUnit('ou-ab12-11111111')],
    regions: ['eu-west-1'],
    tiers: [BackupTier.daily({ copyTo: names.map((n) => vaults.get(n)!) })],
  });
});

describe('the comparison itself', () => {
  test('catches ids from call order, as the library had them before issue 10 (Replication1, Replication2)', () => {
    const spy = jest.spyOn(databaseCommon, 'protectedResourceId').mockImplementation((parent, prefix) =>
      `${prefix}${parent.node.children.filter((c) => c.node.id.startsWith(prefix)).length + 1}`);
    try {
      const v = synthVariants('counter-ids', BUCKETS);
      const problems = identityProblems(v.both, v.second, 'removed');
      expect(problems).toContainEqual(expect.stringMatching(/^Primary-DrFoundation: AWS::S3::Bucket BucketName=.* moves from Replication2/));
      expect(problems).toContainEqual(expect.stringMatching(/^Primary: DrReplication1Role\w* \(AWS::IAM::Role\).*RoleName changes from/));
    } finally {
      spy.mockRestore();
    }
  }, 5 * 60_000);

  const stack = (resources: Record<string, any>, paths: Record<string, string> = {}): AssemblyStack[] => [{
    app: 'seeded', id: 'S', stackName: 'S', account: ENV.account, region: ENV.region, template: { Resources: resources }, paths, metadata: {},
  }];
  const replica = (name: string) => ({ Type: 'AWS::S3::Bucket', Properties: { BucketName: name } });

  test('the bug of issue 10: removing the first bucket hands its replica\'s logical ID and name to the second', () => {
    const both = stack({ Replication1Bucket: replica('replica-a'), Replication2Bucket: replica('replica-b') });
    const second = stack({ Replication1Bucket: replica('replica-b') });
    expect(identityProblems(both, second, 'removed')).toEqual([
      'S: Replication1Bucket (AWS::S3::Bucket, stateful) at Replication1Bucket: BucketName changes from "replica-a" to "replica-b"',
      'S: AWS::S3::Bucket BucketName="replica-b" moves from Replication2Bucket to Replication1Bucket',
    ]);
  });

  test('a resource that disappears when another is added, and one renamed on reorder, are reported', () => {
    const first = stack({ VaultA: { Type: 'AWS::Backup::BackupVault' } });
    expect(identityProblems(first, stack({ VaultB: { Type: 'AWS::Backup::BackupVault' } }), 'added')).toEqual([
      'S: VaultA (AWS::Backup::BackupVault, stateful) at VaultA is gone: it would be replaced or deleted',
    ]);
    expect(identityProblems(first, stack({ VaultA2: { Type: 'AWS::Backup::BackupVault' } }, { VaultA2: 'S/A' }), 'reordered')).toEqual([
      'S: VaultA (AWS::Backup::BackupVault, stateful) at VaultA is gone: it would be replaced or deleted',
      'S: VaultA2 (AWS::Backup::BackupVault, stateful) at S/A is new: a surviving resource was renamed',
    ]);
  });
});
