import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BackupTier, CompliantBackupSystem, CompliantBackupSystemProps, IndexedResourceType } from '../../src';
import { policyOf } from '../organization/support';
import { testApp } from '../support/compliance';

/*
 * Backup indexes per tier: the rule's IndexActions, the alarm on failed indexing, what the
 * backup role needs for EBS indexes, and the synth rules (one type per tier, never on an
 * air-gapped tier, never in an organization backup policy).
 */

const ENV = { account: '111111111111', region: 'eu-west-1' };

function systemStack(props: CompliantBackupSystemProps = {}) {
  const stack = new Stack(testApp(), 'Indexes', { env: ENV });
  const system = new CompliantBackupSystem(stack, 'Backups', props);
  return { stack, system };
}

function ruleNamed(template: Template, name: string): any {
  const plan = Object.values(template.findResources('AWS::Backup::BackupPlan'))[0] as any;
  return plan.Properties.BackupPlan.BackupPlanRule.find((r: any) => r.RuleName === name);
}

function indexRules(template: Template): any[] {
  return Object.values(template.findResources('AWS::Events::Rule'))
    .filter((r: any) => JSON.stringify(r.Properties.EventPattern ?? {}).includes('Recovery Point Index State Change'));
}

function ebsIndexStatements(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .filter((s: any) => s.Sid === 'IndexEbsSnapshots');
}

describe('indexing tiers', () => {
  const { stack } = systemStack({
    tiers: [
      BackupTier.daily({ backupIndexes: [IndexedResourceType.S3] }),
      BackupTier.weekly({ backupIndexes: [IndexedResourceType.EBS] }),
      BackupTier.monthly(),
    ],
  });
  const template = Template.fromStack(stack);

  test('render one index action with the tier\'s type, on that tier\'s rule only', () => {
    expect(ruleNamed(template, 'daily').IndexActions).toEqual([{ ResourceTypes: ['S3'] }]);
    expect(ruleNamed(template, 'weekly').IndexActions).toEqual([{ ResourceTypes: ['EBS'] }]);
    expect(ruleNamed(template, 'monthly').IndexActions).toBeUndefined();
  });

  test('send failed indexing to the alarm topic, with one rule for all tiers', () => {
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
    const rules = indexRules(template);
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties.EventPattern).toEqual({
      'source': ['aws.backup'], 'detail-type': ['Recovery Point Index State Change'], 'detail': { indexStatus: ['FAILED'] },
    });
    expect(rules[0].Properties.Targets).toEqual([expect.objectContaining({ Arn: { Ref: topicId } })]);
  });

  test('let the backup role read the blocks of the EBS snapshots AWS Backup made, in this region', () => {
    const backupRoleId = Object.entries(template.findResources('AWS::IAM::Role'))
      .find(([, r]: [string, any]) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('backup.amazonaws.com'))![0];
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((p: any) => p.Properties.PolicyDocument.Statement.some((s: any) => s.Sid === 'IndexEbsSnapshots')) as any[];
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.Roles).toEqual([{ Ref: backupRoleId }]);
    expect(ebsIndexStatements(template)).toEqual([{
      Sid: 'IndexEbsSnapshots',
      Effect: 'Allow',
      Action: ['ebs:GetSnapshotBlock', 'ebs:ListSnapshotBlocks'],
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:eu-west-1::snapshot/*']] },
      Condition: { Null: { 'aws:ResourceTag/aws:backup:source-resource': 'false' } },
    }]);
  });
});

describe('S3 indexes alone', () => {
  test('need no extra permission on the backup role ("No index permissions are required to create an S3 index")', () => {
    const { stack } = systemStack({ tiers: [BackupTier.daily({ backupIndexes: [IndexedResourceType.S3] })] });
    const template = Template.fromStack(stack);
    expect(ebsIndexStatements(template)).toEqual([]);
    expect(indexRules(template)).toHaveLength(1);
  });
});

describe('no indexing tier', () => {
  test('renders no IndexActions and no indexing alarm', () => {
    const { stack } = systemStack();
    const template = Template.fromStack(stack);
    expect(ruleNamed(template, 'daily').IndexActions).toBeUndefined();
    expect(indexRules(template)).toEqual([]);
    expect(ebsIndexStatements(template)).toEqual([]);
  });
});

describe('an indexing tier added later', () => {
  test('brings its IndexActions, the alarm and the EBS permissions', () => {
    const { stack, system } = systemStack();
    system.addTier(BackupTier.weekly({ backupIndexes: [IndexedResourceType.EBS] }));
    const template = Template.fromStack(stack);
    expect(ruleNamed(template, 'weekly').IndexActions).toEqual([{ ResourceTypes: ['EBS'] }]);
    expect(indexRules(template)).toHaveLength(1);
    expect(ebsIndexStatements(template)).toHaveLength(1);
  });
});

describe('synth rules', () => {
  test('one indexed type per tier', () => {
    expect(() => systemStack({ tiers: [BackupTier.daily({ backupIndexes: [IndexedResourceType.EBS, IndexedResourceType.S3] })] }))
      .toThrow('Indexes/Backups: tiers[0].backupIndexes is [EBS, S3]; a backup rule takes one index action with one resource type: '
        + 'index each type in a tier of its own');
  });

  test('one indexed type per tier, for a tier added later too', () => {
    const { system } = systemStack();
    expect(() => system.addTier(BackupTier.weekly({ backupIndexes: [IndexedResourceType.S3, IndexedResourceType.S3] })))
      .toThrow(/Indexes\/Backups: tiers\['weekly'\]\.backupIndexes is \[S3, S3\]; a backup rule takes one index action/);
  });

  test('no index on an air-gapped tier', () => {
    expect(() => systemStack({ tiers: [BackupTier.daily({ airGapped: true, backupIndexes: [IndexedResourceType.S3] })] }))
      .toThrow('Indexes/Backups: tiers[0].backupIndexes is [S3]; the tier is airGapped, and AWS Backup does not index recovery points '
        + 'in a logically air-gapped vault: index a tier that is not air-gapped');
  });

  test('only IndexedResourceType members', () => {
    expect(() => systemStack({ tiers: [BackupTier.daily({ backupIndexes: ['RDS' as any] })] }))
      .toThrow(/Indexes\/Backups: tiers\[0\]\.backupIndexes\[0\] is the string 'RDS'; expected a member of IndexedResourceType: IndexedResourceType\.EBS, IndexedResourceType\.S3/);
  });

  test('an organization backup policy rejects an indexing tier', () => {
    expect(() => policyOf({ tiers: [BackupTier.daily({ backupIndexes: [IndexedResourceType.EBS] })] }))
      .toThrow(/Mgmt\/Org: tiers\[0\]\.backupIndexes is \[EBS\]; OrganizationBackupPolicy does not render backup indexes into the backup policy/);
  });
});
