/** CompliantBackupSystem: the backup selection and the backup role. */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import { ENV, build, only } from './fixtures';
import { CompliantBackupSystem, KeyStrategy } from '../../../src';
import { testApp } from '../../support/compliance';

// ---------------------------------------------------------------------------------------------

describe('selection and backup role', () => {
  let template: Template;
  beforeAll(() => {
    template = build({ keyStrategy: KeyStrategy.PER_PURPOSE }).template;
  });

  function tagSelections(t: Template): any[] {
    return Object.values(t.findResources('AWS::Backup::BackupSelection'))
      .map((r: any) => r.Properties.BackupSelection)
      .filter((s: any) => s.Conditions !== undefined || s.ListOfTags !== undefined);
  }

  test('default: Backup=true as a StringEquals condition on aws:ResourceTag/Backup, over the types the role can back up', () => {
    const selections = tagSelections(template);
    expect(selections).toHaveLength(1);
    // Never '*': a tagged resource of a type the role cannot back up (FSx, Redshift, ...) is not selected.
    const arn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
    expect(selections[0]).toMatchObject({
      SelectionName: 'tagged',
      Resources: [
        arn(':ec2:us-east-1:111111111111:volume/*'), arn(':ec2:us-east-1:111111111111:instance/*'),
        arn(':rds:us-east-1:111111111111:db:*'), arn(':rds:us-east-1:111111111111:cluster:*'),
        arn(':dynamodb:us-east-1:111111111111:table/*'), arn(':elasticfilesystem:us-east-1:111111111111:file-system/*'),
        arn(':s3:::*'),
      ],
      Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/Backup', ConditionValue: 'true' }] },
      IamRoleArn: { 'Fn::GetAtt': [only(template, 'AWS::IAM::Role', 'BackupsBackupRole')[0], 'Arn'] },
    });
    expect(selections[0].ListOfTags).toBeUndefined();
  });

  test('two tags: two conditions (AND), never ListOfTags (OR)', () => {
    const { template: t } = build({ selectionTags: { Backup: 'true', Tier: 'gold' } });
    const selections = tagSelections(t);
    expect(selections).toHaveLength(1);
    expect(selections[0].Conditions).toEqual({
      StringEquals: [
        { ConditionKey: 'aws:ResourceTag/Backup', ConditionValue: 'true' },
        { ConditionKey: 'aws:ResourceTag/Tier', ConditionValue: 'gold' },
      ],
    });
    expect(selections[0].ListOfTags).toBeUndefined();
  });

  test('selectionTags {}: no tag selection; protect() adds a selection of its own listing the ARNs', () => {
    const table = 'arn:aws:dynamodb:us-east-1:111111111111:table/ledger';
    const bucket = 'arn:aws:s3:::documents';
    let selection: backup.BackupSelection | undefined;
    const { system, template: t } = build({ selectionTags: {} }, (sys) => {
      selection = sys.protect(backup.BackupResource.fromArn(table), backup.BackupResource.fromArn(bucket));
    });
    expect(system.tagSelection).toBeUndefined();
    expect(tagSelections(t)).toEqual([]);
    const all = Object.values(t.findResources('AWS::Backup::BackupSelection')).map((r: any) => r.Properties);
    const mine = all.filter((p: any) => JSON.stringify(p.BackupSelection.Resources) === JSON.stringify([table, bucket]));
    expect(mine).toHaveLength(1);
    expect(mine[0].BackupSelection.Conditions).toBeUndefined();
    expect(mine[0].BackupSelection.IamRoleArn).toEqual({ 'Fn::GetAtt': [only(t, 'AWS::IAM::Role', 'BackupsBackupRole')[0], 'Arn'] });
    expect(mine[0].BackupPlanId).toEqual({ 'Fn::GetAtt': [only(t, 'AWS::Backup::BackupPlan')[0], 'BackupPlanId'] });
    expect(selection).toBeInstanceOf(backup.BackupSelection);
  });

  test('protect() refuses tag resources, which selectionTags covers', () => {
    const stack = new Stack(testApp(), 'P', { env: ENV });
    const system = new CompliantBackupSystem(stack, 'Backups');
    expect(() => system.protect(backup.BackupResource.fromTag('Backup', 'true'))).toThrow(
      "P/Backups: protect() is BackupResource.fromTag('Backup'); protect() takes resources by ARN or construct; select by tag with selectionTags");
  });

  test('the backup role is assumed by AWS Backup and has no AWS-managed policy', () => {
    const [roleId, role] = only(template, 'AWS::IAM::Role', 'BackupsBackupRole');
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' } },
    ]);
    expect(JSON.stringify(role.Properties.ManagedPolicyArns ?? [])).not.toMatch(/:iam::aws:policy\//);
    expect(roleId).toBeDefined();
  });

  function roleStatements(t: Template): any[] {
    const [roleId] = only(t, 'AWS::IAM::Role', 'BackupsBackupRole');
    const attached = (r: any) => (r.Properties.Roles ?? []).some((x: any) => x.Ref === roleId);
    const managed = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).filter(attached);
    const inline = Object.values(t.findResources('AWS::IAM::Policy')).filter(attached);
    expect(managed.length).toBeGreaterThan(0);
    return [...managed, ...inline].flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  }

  test('no statement of the backup role has a wildcard action', () => {
    const actions = roleStatements(template).flatMap((s) => [].concat(s.Action));
    expect(actions.length).toBeGreaterThan(20);
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
    expect(roleStatements(template).every((s) => s.Effect === 'Allow' && s.NotAction === undefined)).toBe(true);
  });

  test('the backup role can restore as well as back up, and use the vault key', () => {
    const actions = new Set(roleStatements(template).flatMap((s) => [].concat(s.Action)));
    for (const action of [
      'dynamodb:RestoreTableFromAwsBackup', 'dynamodb:StartAwsBackupJob', 'elasticfilesystem:Restore', 'elasticfilesystem:Backup',
      'rds:RestoreDBInstanceFromDBSnapshot', 'rds:RestoreDBClusterFromSnapshot', 'ec2:CreateVolume', 'ec2:RunInstances',
      's3:PutObject', 's3:GetObject', 'kms:Decrypt', 'kms:GenerateDataKey',
    ]) {
      expect(actions).toContain(action);
    }
    const [keyId] = only(template, 'AWS::KMS::Key', 'BackupsPrimaryVaultKey');
    expect(roleStatements(template).some((s) => JSON.stringify(s.Resource) === JSON.stringify({ 'Fn::GetAtt': [keyId, 'Arn'] })
      && [].concat(s.Action).includes('kms:Decrypt' as never))).toBe(true);
  });
});
