import * as fs from 'fs';
import { App } from 'aws-cdk-lib';
import { AssemblyStack, readAssembly, resourcesOf } from './assembly';
import { isStateful } from './stateful-types';

/**
 * Identity of resources across two versions of an app: what a deploy of `after` over
 * `before` would replace. A resource keeps its identity when its stack keeps its name,
 * the resource keeps its logical ID and type, and every physical-name property keeps its
 * value; a physical name must also not move to another logical ID (the new resource
 * would then fail to create, or take over the old one's name).
 */

/** How the protected resources changed between `before` and `after`. */
export type Change =
  /** A second resource was protected: everything of `before` survives. */
  | 'added'
  /** The first of two was removed: everything of `after` survived from `before`. */
  | 'removed'
  /** The same resources, protected in the other order: the same resources on both sides. */
  | 'reordered';

/** Synthesizes `app`, reads its stacks, and removes the assembly (templates stay in memory). */
export function synthesize(app: App, name: string): AssemblyStack[] {
  const directory = app.synth().directory;
  try {
    return readAssembly(name, directory);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

/** Top-level properties ending in Name or Identifier, and the names nested in Backup plans and selections. */
const NESTED_NAMES: Record<string, string[][]> = {
  'AWS::Backup::BackupPlan': [['BackupPlan', 'BackupPlanName']],
  'AWS::Backup::BackupSelection': [['BackupSelection', 'SelectionName']],
};

/**
 * The properties that say which resource this is, each rendered as JSON (tokens included,
 * so a renamed reference shows): its physical names, and its `Description`, which in this
 * library names what the resource serves ("AWS Backup copies into <vault>"), so that an
 * unnamed resource handed over to another protected resource shows too.
 */
export function physicalNames(type: string, resource: any): Record<string, string> {
  const props = resource.Properties ?? {};
  const names: Record<string, string> = {};
  for (const [key, value] of Object.entries(props)) {
    if (/(Name|Identifier)$/.test(key) || key === 'Description') names[key] = JSON.stringify(value);
  }
  for (const route of NESTED_NAMES[type] ?? []) {
    const value = route.reduce((v: any, k) => v?.[k], props);
    if (value !== undefined) names[route.join('.')] = JSON.stringify(value);
  }
  return names;
}

/** The property that names the resource itself, per type (others name what it refers to, or a metric). */
const OWN_NAME: Record<string, string> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Backup::BackupVault': 'BackupVaultName',
  'AWS::Backup::LogicallyAirGappedBackupVault': 'BackupVaultName',
  'AWS::Backup::BackupPlan': 'BackupPlan.BackupPlanName',
  'AWS::Backup::BackupSelection': 'BackupSelection.SelectionName',
  'AWS::Backup::Framework': 'FrameworkName',
  'AWS::Backup::ReportPlan': 'ReportPlanName',
  'AWS::Backup::RestoreTestingPlan': 'RestoreTestingPlanName',
  'AWS::RDS::DBCluster': 'DBClusterIdentifier',
  'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::RDS::GlobalCluster': 'GlobalClusterIdentifier',
  'AWS::RDS::DBSubnetGroup': 'DBSubnetGroupName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SSM::Parameter': 'Name',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::ARCRegionSwitch::Plan': 'Name',
};

/** Every way `after` breaks the identity of what survives from `before`; empty when none. */
export function identityProblems(before: AssemblyStack[], after: AssemblyStack[], change: Change): string[] {
  const problems: string[] = [];
  const label = (type: string) => `${type}${isStateful(type) ? ', stateful' : ''}`;
  const stackNames = new Set([...before, ...after].map((s) => s.stackName));
  for (const stackName of [...stackNames].sort()) {
    const b = before.find((s) => s.stackName === stackName);
    const a = after.find((s) => s.stackName === stackName);
    if (!b || !a) {
      problems.push(`stack ${stackName} ${b ? 'disappears' : 'appears'}`);
      continue;
    }
    const was = new Map(resourcesOf([b]).map((r) => [r.logicalId, r]));
    const now = new Map(resourcesOf([a]).map((r) => [r.logicalId, r]));
    for (const [id, r] of was) {
      if (!now.has(id) && change !== 'removed') {
        problems.push(`${stackName}: ${id} (${label(r.type)}) at ${r.path} is gone: it would be replaced or deleted`);
      }
    }
    for (const [id, r] of now) {
      const old = was.get(id);
      if (!old) {
        if (change !== 'added') problems.push(`${stackName}: ${id} (${label(r.type)}) at ${r.path} is new: a surviving resource was renamed`);
        continue;
      }
      if (old.type !== r.type) problems.push(`${stackName}: ${id} changes type from ${old.type} to ${r.type}`);
      const oldNames = physicalNames(old.type, old.resource);
      const newNames = physicalNames(r.type, r.resource);
      for (const key of new Set([...Object.keys(oldNames), ...Object.keys(newNames)])) {
        if (oldNames[key] !== newNames[key]) {
          problems.push(`${stackName}: ${id} (${label(r.type)}) at ${r.path}: ${key} changes from ${oldNames[key] ?? '(unset)'} to `
            + `${newNames[key] ?? '(unset)'}`);
        }
      }
    }
    // A resource's own name now held by another logical ID than before.
    const holders = (resources: Map<string, { type: string; resource: any }>) => {
      const byName = new Map<string, string>();
      for (const [id, r] of resources) {
        const key = OWN_NAME[r.type];
        const value = key ? physicalNames(r.type, r.resource)[key] : undefined;
        if (value !== undefined) byName.set(`${r.type} ${key}=${value}`, id);
      }
      return byName;
    };
    const oldHolders = holders(was);
    for (const [name, id] of holders(now)) {
      const oldId = oldHolders.get(name);
      if (oldId !== undefined && oldId !== id) problems.push(`${stackName}: ${name} moves from ${oldId} to ${id}`);
    }
  }
  return problems;
}
