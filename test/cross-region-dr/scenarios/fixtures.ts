import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { BackupTier, ComplianceProfile, CompliantBackupSystem, CrossRegionDr, CrossRegionDrProps } from '../../../src';
import { testApp } from '../../support/compliance';

export const ACCOUNT = '111111111111';
export const PRIMARY_REGION = 'us-east-1';
export const DR_REGION = 'us-west-2';
export const PRIMARY_ENV = { account: ACCOUNT, region: PRIMARY_REGION };
export const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
export const SOURCE_BUCKET = `documents-${ACCOUNT}-${PRIMARY_REGION}`;

// --- Helpers -------------------------------------------------------------------------------

/**
 * A CloudFormation value as the string it becomes at deploy time, when its only
 * non-literal parts are the partition and URL-suffix pseudo parameters (or the
 * same-template references named in `refs`). Anything else — a reference to another
 * resource, an import, a condition — fails: the value is not a plain string.
 */
export function plain(value: unknown, refs: Record<string, string> = {}): string {
  if (typeof value === 'string') return value;
  const v = value as any;
  if (v?.Ref === 'AWS::Partition') return 'aws';
  if (v?.Ref === 'AWS::URLSuffix') return 'amazonaws.com';
  if (typeof v?.Ref === 'string' && refs[v.Ref] !== undefined) return refs[v.Ref];
  if (Array.isArray(v?.['Fn::Join']) && Object.keys(v).length === 1) {
    const [separator, parts] = v['Fn::Join'];
    return (parts as unknown[]).map((p) => plain(p, refs)).join(separator);
  }
  throw new Error(`not a plain string: ${JSON.stringify(value)}`);
}

/** `arn:<partition><rest>` as CloudFormation renders a string built with `stack.partition`. */
export const withPartition = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });

/** Every Ref / Fn::GetAtt / DependsOn target that is not a resource, parameter or pseudo parameter of the same template. */
export function danglingReferences(template: any): string[] {
  const known = new Set([...Object.keys(template.Resources ?? {}), ...Object.keys(template.Parameters ?? {})]);
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    for (const [k, v] of Object.entries(x)) {
      if (k === 'Ref' && typeof v === 'string' && !v.startsWith('AWS::') && !known.has(v)) out.push(v);
      if (k === 'Fn::GetAtt') {
        const id = Array.isArray(v) ? v[0] : String(v).split('.')[0];
        if (!known.has(id)) out.push(id);
      }
      if (k === 'DependsOn') for (const d of [v].flat()) if (!known.has(d as string)) out.push(d as string);
      walk(v);
    }
  };
  walk(template);
  return out;
}

/** Checks that a template holds nothing that crosses stacks: no imports, exports, export readers/writers or dangling references. */
export function expectSelfContained(template: any): void {
  const json = JSON.stringify(template);
  expect(json).not.toContain('Fn::ImportValue');
  expect(json).not.toContain('"Export"');
  expect(json).not.toMatch(/Custom::CrossRegionExport(Reader|Writer)/);
  expect(json).not.toContain('/cdk/exports/');
  expect(danglingReferences(template)).toEqual([]);
}

/** The only resource of `type` whose logical id starts with `prefix`. */
export function only(template: Template, type: string, prefix = ''): { id: string; resource: any } {
  const found = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  expect(found.map(([id]) => id)).toHaveLength(1);
  return { id: found[0][0], resource: found[0][1] };
}

/** The statements of every policy attached to the role `roleId` (managed policies and any inline ones). */
export function roleStatements(template: Template, roleId: string): any[] {
  const role = template.toJSON().Resources[roleId];
  const inline = (role.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
  const managed = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
    .filter((p: any) => (p.Properties.Roles ?? []).some((r: any) => r.Ref === roleId))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  return [...inline, ...managed];
}

/** The statement(s) of `statements` granting `action`. */
export const granting = (statements: any[], action: string) => statements.filter((s) => [s.Action].flat().includes(action));

/** Every IAM action granted anywhere in `template`. */
export function allActions(template: Template): string[] {
  const docs = [
    ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map((p: any) => p.Properties.PolicyDocument),
    ...Object.values(template.findResources('AWS::IAM::Policy')).map((p: any) => p.Properties.PolicyDocument),
    ...Object.values(template.findResources('AWS::IAM::Role')).flatMap((r: any) => (r.Properties.Policies ?? []).map((p: any) => p.PolicyDocument)),
  ];
  return docs.flatMap((d) => d.Statement).filter((s: any) => s.Effect === 'Allow').flatMap((s: any) => [s.Action].flat());
}

/** The name prefix CrossRegionDr chose, read back from the DR key alias (`alias/<prefix>/dr`). */
export function namePrefixOf(drFoundation: Template): string {
  const alias = only(drFoundation, 'AWS::KMS::Alias').resource.Properties.AliasName as string;
  const m = /^alias\/(dr-[0-9a-f]{10})\/dr$/.exec(alias);
  expect(m).not.toBeNull();
  return m![1];
}

export interface Synthesized {
  readonly app: App;
  readonly assembly: CloudAssembly;
  readonly primary: Stack;
  readonly dr: CrossRegionDr;
  readonly templates: { readonly primary: Template; readonly drFoundation: Template; readonly recovery: Template };
  readonly prefix: string;
}

/** Builds the primary stack with `build`, synthesizes the app once and returns the three templates. */
export function synthesize(build: (primary: Stack) => CrossRegionDr, app: App = testApp()): Synthesized {
  const primary = new Stack(app, 'Primary', { env: PRIMARY_ENV });
  const dr = build(primary);
  const assembly = app.synth();
  const templates = {
    primary: Template.fromStack(primary),
    drFoundation: Template.fromStack(dr.drStack),
    recovery: Template.fromStack(dr.recoveryStack),
  };
  return { app, assembly, primary, dr, templates, prefix: namePrefixOf(templates.drFoundation) };
}

export function vpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'AppVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
}

export function props(overrides: Partial<CrossRegionDrProps> = {}): CrossRegionDrProps {
  return { drRegion: DR_REGION, rpo: Duration.hours(4), rto: Duration.hours(4), ...overrides };
}

// --- Scenarios (each synthesized once) -----------------------------------------------------

/**
 * Everything at once: a backup system with two copyToDr tiers (inherited and own copy
 * lifecycle) and one local tier, a replicated bucket, an Aurora global database, an RDS
 * read replica, a DynamoDB global table, a health check and a Route 53 step.
 */
export function full(): Synthesized {
  return synthesize((primary) => {
    const backups = new CompliantBackupSystem(primary, 'Backups', {
      tiers: [
        BackupTier.hourly({ copyToDr: true }),
        BackupTier.daily({ copyToDr: true, copyRetention: Duration.days(60) }),
        BackupTier.weekly(),
      ],
    });
    const bucket = new s3.Bucket(primary, 'Documents', {
      bucketName: SOURCE_BUCKET,
      encryptionKey: new kms.Key(primary, 'DataKey', { enableKeyRotation: true }),
      versioned: true,
      enforceSSL: true,
    });
    const network = vpc(primary);
    const cluster = new rds.DatabaseCluster(primary, 'Orders', {
      clusterIdentifier: 'orders',
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.XLARGE) }),
      vpc: network,
      vpcSubnets: ISOLATED,
      storageEncrypted: true,
    });
    const instance = new rds.DatabaseInstance(primary, 'Billing', {
      instanceIdentifier: 'billing',
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6G, ec2.InstanceSize.LARGE),
      vpc: network,
      vpcSubnets: ISOLATED,
      storageEncrypted: true,
    });
    const table = new dynamodb.TableV2(primary, 'Sessions', {
      tableName: 'sessions',
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      replicas: [{ region: DR_REGION }],
    });
    const dr = new CrossRegionDr(primary, 'Dr', props({
      rpo: Duration.hours(48),
      rto: Duration.minutes(90),
      backupSystem: backups,
      readinessInterval: Duration.minutes(10),
      failover: {
        hostedZone: route53.HostedZone.fromHostedZoneId(primary, 'Zone', 'Z0123456789ABC'),
        recordName: 'app.example.com',
        healthCheckDomainName: 'primary.app.example.com',
        healthCheckPath: '/health',
        stepTimeout: Duration.minutes(10),
        activeRegionParameterName: 'app-active-region',
      },
    }));
    dr.replicateBucket(bucket);
    dr.addAuroraGlobalCluster(cluster);
    dr.addRdsReadReplica(instance);
    dr.addGlobalTable(table);
    return dr;
  });
}

/** No backup system, nothing replicated, no databases, no health check: every default. */
export function minimal(): Synthesized {
  return synthesize((primary) => new CrossRegionDr(primary, 'Dr', props()));
}

/** The SOX estate of examples/dr-sox-estate: compliance profile, an air-gapped tier, both tiers copied to DR. */
export function sox(): Synthesized {
  return synthesize((primary) => {
    const backups = new CompliantBackupSystem(primary, 'Backups', {
      profile: ComplianceProfile.sox(),
      tiers: [
        BackupTier.daily({ retention: Duration.days(2555), moveToColdStorageAfter: Duration.days(90), copyToDr: true }),
        BackupTier.hourly({
          name: 'critical',
          schedule: events.Schedule.cron({ minute: '0', hour: '*/4' }),
          retention: Duration.days(365),
          airGapped: true,
          copyToDr: true,
        }),
      ],
    });
    return new CrossRegionDr(primary, 'Dr', props({ rpo: Duration.hours(24), rto: Duration.hours(4), backupSystem: backups }));
  });
}

// --- Tests -------------------------------------------------------------------------------------
