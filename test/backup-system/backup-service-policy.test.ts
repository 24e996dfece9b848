import { App, Environment, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  ALL_PROTECTED_RESOURCE_TYPES, ProtectedResourceType, backupServiceStatements, copyDestinationStatements, wildcardAcknowledgements,
} from '../../src/backup-system/backup-service-policy';
import { describeFindings, synthFindings, testApp } from '../support/compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };
// IAM's limit for a customer managed policy, counted without whitespace.
const MANAGED_POLICY_LIMIT = 6144;

/** The stack, role and customer managed policy CompliantBackupSystem builds, with the given statements. */
function policyStack(app: App, id: string, statements: (stack: Stack) => iam.PolicyStatement[], env: Environment | undefined) {
  const stack = new Stack(app, id, { env });
  const role = new iam.Role(stack, 'BackupRole', { assumedBy: new iam.ServicePrincipal('backup.amazonaws.com') });
  const resolved = statements(stack);
  const policy = new iam.ManagedPolicy(stack, 'P', { statements: resolved, roles: [role] });
  return { stack, policy, statements: resolved };
}

function statementsJson(statements: iam.PolicyStatement[]): any[] {
  return statements.map((s) => s.toStatementJson());
}

function allActions(statements: iam.PolicyStatement[]): string[] {
  return statements.flatMap((s) => s.actions);
}

function iam5Rules(rules: string[]): string[] {
  return rules.filter((r) => r.startsWith('AwsSolutions-IAM5')).sort();
}

/** Evaluates the pseudo-parameter references CloudFormation would substitute at deploy time. */
function deployed(node: any, pseudo: Record<string, string>): any {
  if (Array.isArray(node)) return node.map((n) => deployed(n, pseudo));
  if (node && typeof node === 'object') {
    if ('Ref' in node && pseudo[node.Ref] !== undefined) return pseudo[node.Ref];
    if ('Fn::Join' in node) return node['Fn::Join'][1].map((n: any) => deployed(n, pseudo)).join(node['Fn::Join'][0]);
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deployed(v, pseudo)]));
  }
  return node;
}

function managedPolicyDocument(stack: Stack): any {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy');
  const [policy] = Object.values(policies) as any[];
  return policy.Properties.PolicyDocument;
}

describe('backupServiceStatements', () => {
  test('no action contains a wildcard, and every action list is sorted', () => {
    const statements = backupServiceStatements(new Stack(new App(), 'S', { env: ENV }), ALL_PROTECTED_RESOURCE_TYPES);
    expect(allActions(statements).filter((a) => a.includes('*'))).toEqual([]);
    for (const s of statements) {
      expect(s.actions).toEqual([...s.actions].sort());
    }
  });

  test('every statement has a unique sid', () => {
    const statements = backupServiceStatements(new Stack(new App(), 'S', { env: ENV }), ALL_PROTECTED_RESOURCE_TYPES);
    const sids = statements.map((s) => s.sid);
    expect(sids.every((sid) => typeof sid === 'string' && /^[A-Za-z0-9]+$/.test(sid))).toBe(true);
    expect(new Set(sids).size).toBe(sids.length);
  });

  test('only the requested types get their service actions', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const services = (types: ProtectedResourceType[]) =>
      [...new Set(allActions(backupServiceStatements(stack, types)).map((a) => a.split(':')[0]))].sort();

    // Every type shares backup, kms and tag (vaults, copies, keys, tag-based selection).
    expect(services([ProtectedResourceType.DYNAMODB])).toEqual(['backup', 'dynamodb', 'kms', 'tag']);
    expect(services([ProtectedResourceType.EFS])).toEqual(['backup', 'elasticfilesystem', 'kms', 'tag']);
    expect(services([ProtectedResourceType.RDS])).toEqual(['backup', 'kms', 'rds', 'tag']);
    expect(services([ProtectedResourceType.AURORA])).toEqual(['backup', 'kms', 'rds', 'tag']);
    expect(services([ProtectedResourceType.EBS])).toEqual(['backup', 'ebs', 'ec2', 'kms', 'tag']);
    expect(services([ProtectedResourceType.EC2])).toEqual(['backup', 'ec2', 'iam', 'kms', 'tag']);
    expect(services([ProtectedResourceType.S3])).toEqual(['backup', 'cloudwatch', 'events', 'kms', 's3', 'tag']);

    const dynamo = allActions(backupServiceStatements(stack, [ProtectedResourceType.DYNAMODB]));
    expect(dynamo.filter((a) => a.startsWith('ec2:') || a.startsWith('rds:') || a.startsWith('s3:'))).toEqual([]);
    // RDS instances and Aurora clusters share the rds prefix but not their actions.
    const rdsOnly = allActions(backupServiceStatements(stack, [ProtectedResourceType.RDS]));
    expect(rdsOnly).toContain('rds:CreateDBSnapshot');
    expect(rdsOnly).not.toContain('rds:CreateDBClusterSnapshot');
    expect(allActions(backupServiceStatements(stack, [ProtectedResourceType.AURORA]))).not.toContain('rds:CreateDBSnapshot');
  });

  test('KMS use other than DescribeKey goes through an AWS service in this region, on this account\'s keys', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const json = stack.resolve(statementsJson(backupServiceStatements(stack, ALL_PROTECTED_RESOURCE_TYPES)));
    const kms = json.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    expect(kms.flatMap((s: any) => [s.Action].flat()).sort()).toEqual([
      'kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey',
      'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo',
    ]);
    for (const s of kms) {
      expect(s.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-east-1:111111111111:key/*']] });
      if (s.Action === 'kms:DescribeKey') continue;
      expect(s.Condition).toEqual({ StringLike: { 'kms:ViaService': { 'Fn::Join': ['', ['*.us-east-1.', { Ref: 'AWS::URLSuffix' }]] } } });
    }
  });

  test('Resource "*" is kept only for the actions without resource-level permissions', () => {
    const statements = backupServiceStatements(new Stack(new App(), 'S', { env: ENV }), ALL_PROTECTED_RESOURCE_TYPES);
    const starActions = statements.filter((s) => s.resources.includes('*')).flatMap((s) => s.actions).sort();
    expect(starActions).toEqual([
      'cloudwatch:GetMetricData',
      'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeElasticGpus',
      'ec2:DescribeImages', 'ec2:DescribeInstanceCreditSpecifications', 'ec2:DescribeInstances', 'ec2:DescribeInternetGateways',
      'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSnapshotTierStatus', 'ec2:DescribeSnapshots',
      'ec2:DescribeSpotInstanceRequests', 'ec2:DescribeSubnets', 'ec2:DescribeTags', 'ec2:DescribeVolumes', 'ec2:DescribeVpcs',
      'events:ListRules',
      's3:ListAllMyBuckets',
      'tag:GetResources',
    ]);
    // A '*' statement never carries an action that IAM could scope.
    for (const s of statements.filter((st) => st.resources.includes('*'))) {
      expect(s.resources).toEqual(['*']);
    }
  });

  test('ARNs are scoped to the stack partition, region and account', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const resources = backupServiceStatements(stack, ALL_PROTECTED_RESOURCE_TYPES)
      .flatMap((s) => s.resources).filter((r) => r !== '*').map((r) => stack.resolve(r));
    for (const r of resources) {
      // Every ARN is a join starting with "arn:" + partition reference.
      expect(r['Fn::Join'][1].slice(0, 2)).toEqual(['arn:', { Ref: 'AWS::Partition' }]);
      const rest: string = r['Fn::Join'][1].slice(2).join('');
      // S3 buckets and IAM roles carry no region; EBS snapshots and AMIs no account.
      if (/^:(s3|iam):/.test(rest)) continue;
      expect(rest).toMatch(/^:[a-z0-9-]+:us-east-1:(111111111111)?:/);
    }
    expect(stack.resolve(resources)).not.toContainEqual(expect.stringMatching(/:\*:\*:/));
  });

  test('iam:PassRole is restricted to EC2 by iam:PassedToService', () => {
    const json = statementsJson(backupServiceStatements(new Stack(new App(), 'S', { env: ENV }), ALL_PROTECTED_RESOURCE_TYPES));
    const passRole = json.filter((s) => [s.Action].flat().includes('iam:PassRole'));
    expect(passRole).toHaveLength(1);
    expect(passRole[0].Action).toBe('iam:PassRole');
    expect(passRole[0].Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } });
  });

  test('keeps the managed policies\' conditions on deletes and tagging', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const json = stack.resolve(statementsJson(backupServiceStatements(stack, ALL_PROTECTED_RESOURCE_TYPES)));
    const bySid = Object.fromEntries(json.map((s: any) => [s.Sid, s]));
    expect(bySid.Ec2Tagged.Condition).toEqual({ Null: { 'aws:ResourceTag/aws:backup:source-resource': 'false' } });
    expect(bySid.Ec2Tagged.Action).toEqual([
      'ec2:DeleteTags', 'ec2:ModifyImageAttribute', 'ec2:ModifySnapshotAttribute', 'ec2:ModifySnapshotTier',
      'ec2:RestoreSnapshotTier', 'ec2:TerminateInstances',
    ]);
    expect(bySid.S3Tags.Condition).toEqual({ StringEquals: { 'aws:PrincipalAccount': '${aws:ResourceAccount}' } });
    expect(bySid.Ec2TagOnCreate.Condition).toEqual({ StringEquals: { 'ec2:CreateAction': ['CreateVolume', 'RunInstances'] } });
    expect(bySid.Ec2TagRestored.Condition).toEqual({ 'ForAllValues:StringEquals': { 'aws:TagKeys': 'aws:backup:source-resource' } });
    // Unconditional tagging and deleting is limited to snapshots and AMIs (no account in their ARN).
    expect(bySid.Ec2Backups.Action).toContain('ec2:CreateTags');
    expect(bySid.Ec2Backups.Action).toContain('ec2:DeleteSnapshot');
    expect(bySid.Ec2Backups.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1::*']] });
    // Deleting or sharing RDS snapshots is limited to the ones AWS Backup named.
    expect(bySid.RdsAwsBackup.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:111111111111:*snapshot:awsbackup:*']] });
    expect([bySid.Rds.Action].flat()).not.toContain('rds:DeleteDBSnapshot');
    expect([bySid.Rds.Action].flat()).not.toContain('rds:DeleteDBClusterSnapshot');
    expect(bySid.S3Rules.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:us-east-1:111111111111:rule/AwsBackupManagedRule*']] });
  });

  // IAM counts the deployed document, where the pseudo parameters are values: measured with the
  // longest partition, region and URL suffix combinations AWS has.
  test.each([
    ['GovCloud', 'us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
    ['commercial', 'ap-southeast-2', 'aws', 'amazonaws.com'],
    ['China', 'cn-northwest-1', 'aws-cn', 'amazonaws.com.cn'],
  ])('the policy document for all types stays under the 6,144-character managed-policy limit (%s)', (_label, region, partition, urlSuffix) => {
    const pseudo = { 'AWS::Partition': partition, 'AWS::URLSuffix': urlSuffix };
    const env = { account: ENV.account, region };
    const { stack } = policyStack(new App(), 'Size', (s) => backupServiceStatements(s, ALL_PROTECTED_RESOURCE_TYPES), env);
    const document = managedPolicyDocument(stack);
    const size = JSON.stringify(deployed(document, pseudo)).length;
    const copies = policyStack(new App(), 'CopySize', (s) => copyDestinationStatements(s, ALL_PROTECTED_RESOURCE_TYPES,
      { region, vaultArn: `arn:${partition}:backup:${region}:${ENV.account}:backup-vault:disaster-recovery-vault` }, 'Dr'), env);
    const copySize = JSON.stringify(deployed(managedPolicyDocument(copies.stack), pseudo)).length;
    // eslint-disable-next-line no-console
    console.log(`${region}: backup service policy for all types ${size} characters `
      + `(${JSON.stringify(document).length} as CloudFormation JSON); one copy destination's statements ${copySize}; limit ${MANAGED_POLICY_LIMIT}`);
    expect(size).toBeLessThan(MANAGED_POLICY_LIMIT);
    expect(copySize).toBeLessThan(MANAGED_POLICY_LIMIT);
  });
});

describe('copyDestinationStatements', () => {
  const dr = { region: 'eu-west-1', vaultArn: 'arn:aws:backup:eu-west-1:111111111111:backup-vault:dr' };

  test('grants the copy in the destination region and names the destination vault', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const json = stack.resolve(statementsJson(copyDestinationStatements(stack, ALL_PROTECTED_RESOURCE_TYPES, dr, 'Dr')));
    const bySid = Object.fromEntries(json.map((s: any) => [s.Sid, s]));
    expect(Object.keys(bySid).sort()).toEqual(['DrBackup', 'DrEc2Backups', 'DrEc2Tagged', 'DrKms', 'DrKmsKeys', 'DrRds', 'DrRdsAwsBackup']);
    expect(bySid.DrBackup.Resource[0]).toBe(dr.vaultArn);
    expect(JSON.stringify(bySid.DrBackup.Resource[1])).toContain(':backup:eu-west-1:111111111111:recovery-point:*');
    expect(JSON.stringify(bySid.DrEc2Backups.Resource)).toContain(':ec2:eu-west-1::*');
    expect(bySid.DrEc2Backups.Action).toEqual(expect.arrayContaining(['ec2:CopyImage', 'ec2:CopySnapshot']));
    expect(JSON.stringify(bySid.DrRds.Resource)).toContain(':rds:eu-west-1:111111111111:*');
    expect(bySid.DrRds.Action).toEqual(expect.arrayContaining(['rds:CopyDBClusterSnapshot', 'rds:CopyDBSnapshot']));
    expect(JSON.stringify(bySid.DrKms.Condition)).toContain('*.eu-west-1.');
    // Taking backups and restoring stay in the source region.
    const copyActions = json.flatMap((s: any) => [s.Action].flat());
    expect(copyActions.filter((a: string) => /^rds:(Create|Restore)|^ec2:(CreateSnapshot|CreateImage|RunInstances)|^(dynamodb|s3|elasticfilesystem):/.test(a))).toEqual([]);
    expect(JSON.stringify(json)).not.toContain('us-east-1');
  });

  test('rejects a sid prefix IAM would not accept', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    expect(() => copyDestinationStatements(stack, ALL_PROTECTED_RESOURCE_TYPES, dr, 'dr-1')).toThrow(/sidPrefix must be letters and digits/);
  });
});

describe('wildcardAcknowledgements', () => {
  test('refuses a wildcard action', () => {
    expect(() => wildcardAcknowledgements([new iam.PolicyStatement({ actions: ['ec2:Describe*'], resources: ['*'] })]))
      .toThrow(/enumerate the actions/);
  });

  test('names the actions without resource-level permissions in the Resource::* reason', () => {
    const acks = wildcardAcknowledgements(backupServiceStatements(new Stack(new App(), 'S', { env: ENV }), ALL_PROTECTED_RESOURCE_TYPES));
    const star = acks.find((a) => a.id === 'AwsSolutions-IAM5[Resource::*]');
    expect(star?.reason).toMatch(/ec2:DescribeInstances.*s3:ListAllMyBuckets.*tag:GetResources.*support no resource-level permissions/);
    expect(acks.find((a) => a.id === 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:rds:us-east-1:111111111111:*]')?.reason)
      .toMatch(/^The selection is by tag, so the protected resources are not known at synth/);
    expect(new Set(acks.map((a) => a.id)).size).toBe(acks.length);
  });
});

// cdk-nag reports IAM5 once per wildcard resource; the acknowledgements must name exactly those.
describe.each([
  ['with a concrete account and region', ENV, 'arn:<AWS::Partition>:rds:us-east-1:111111111111:*'],
  ['environment-agnostic', undefined, 'arn:<AWS::Partition>:rds:<AWS::Region>:<AWS::AccountId>:*'],
])('cdk-nag findings, %s', (_label, env, rdsPattern) => {
  test('without acknowledgements AwsSolutions-IAM5 reports exactly the ids wildcardAcknowledgements produces', () => {
    const app = testApp();
    const { statements } = policyStack(app, 'Bare', (s) => [
      ...backupServiceStatements(s, ALL_PROTECTED_RESOURCE_TYPES),
      ...copyDestinationStatements(s, ALL_PROTECTED_RESOURCE_TYPES, { region: 'eu-west-1', vaultArn: 'arn:aws:backup:eu-west-1:111111111111:backup-vault:dr' }, 'Dr'),
    ], env);
    const reported = iam5Rules(synthFindings(app, [new AwsSolutionsChecks(app)]).map((f) => f.rule));
    expect(reported.length).toBeGreaterThan(5);
    expect(reported).toContain('AwsSolutions-IAM5[Resource::*]');
    expect(reported).toContain(`AwsSolutions-IAM5[Resource::${rdsPattern}]`);
    expect(reported).toEqual(wildcardAcknowledgements(statements).map((a) => a.id).sort());
  });

  test('with them, the four cdk-nag packs and the Control Tower controls report nothing', () => {
    const app = testApp();
    const { policy, statements } = policyStack(app, 'Acknowledged', (s) => [
      ...backupServiceStatements(s, ALL_PROTECTED_RESOURCE_TYPES),
      ...copyDestinationStatements(s, ALL_PROTECTED_RESOURCE_TYPES, { region: 'eu-west-1', vaultArn: 'arn:aws:backup:eu-west-1:111111111111:backup-vault:dr' }, 'Dr'),
    ], env);
    Validations.of(policy).acknowledge(...wildcardAcknowledgements(statements));
    expect(describeFindings(synthFindings(app))).toEqual([]);
  });
});
