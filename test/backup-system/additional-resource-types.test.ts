/**
 * EKS and Aurora DSQL (issue 14, item 8): `additionalResourceTypes` adds their cluster ARNs to
 * the tag selection and their backup and restore actions to the backup role, in a managed
 * policy of its own; without it the template is what it was. cdk-nag's four packs, the Control
 * Tower rules and cfn-lint 1.51 (in the stack's region) find nothing to add.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AdditionalResourceType, CompliantBackupSystem } from '../../src';
import { AllowedRule, describeMatch, isAllowed, runCfnLint } from '../judges/cfn-lint';
import { describeFindings, synthFindings, testApp } from '../support/compliance';

const ENV = { account: '111122223333', region: 'eu-west-1' };

function system(additionalResourceTypes?: AdditionalResourceType[]) {
  const app = testApp();
  const stack = new Stack(app, 'Estate', { env: ENV });
  new CompliantBackupSystem(stack, 'Backup', { additionalResourceTypes });
  return { app, stack };
}

const selectionResources = (t: Template) => Object.values(t.findResources('AWS::Backup::BackupSelection'))
  .map((r: any) => r.Properties.BackupSelection)
  .find((s: any) => s.SelectionName === 'tagged').Resources;

describe('additional resource types', () => {
  test('off (unset or empty) the template is unchanged: the seven default ARN patterns, no additional policy', () => {
    const unset = Template.fromStack(system().stack).toJSON();
    const empty = Template.fromStack(system([]).stack).toJSON();
    expect(empty).toEqual(unset);
    expect(selectionResources(Template.fromJSON(unset))).toHaveLength(7);
    expect(JSON.stringify(unset)).not.toMatch(/eks:|dsql:/);
  });

  test('EKS and Aurora DSQL clusters join the tag selection by ARN', () => {
    const t = Template.fromStack(system([AdditionalResourceType.EKS, AdditionalResourceType.AURORA_DSQL]).stack);
    const resources = selectionResources(t).map((r: any) => JSON.stringify(r));
    expect(resources).toHaveLength(9);
    expect(resources).toEqual(expect.arrayContaining([
      expect.stringMatching(/:eks:eu-west-1:111122223333:cluster\/\*"/),
      expect.stringMatching(/:dsql:eu-west-1:111122223333:cluster\/\*"/),
    ]));
  });

  test('the backup role gets the actions in a managed policy of its own, no wildcard action, under IAM\'s size limit', () => {
    const t = Template.fromStack(system([AdditionalResourceType.EKS, AdditionalResourceType.AURORA_DSQL]).stack);
    const policies = t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('EKS, AURORA_DSQL') } });
    expect(Object.keys(policies)).toHaveLength(1);
    const doc = Object.values<any>(policies)[0].Properties.PolicyDocument;
    const statements = doc.Statement as any[];
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
    expect(actions).toEqual(expect.arrayContaining(['eks:DescribeCluster', 'eks:CreateAccessEntry', 'dsql:StartBackupJob', 'dsql:StartRestoreJob']));
    // Resource '*' only for the actions IAM accepts nothing else for.
    const star = statements.filter((s) => s.Resource === '*').flatMap((s) => [s.Action].flat()).sort();
    expect(star).toEqual(['backup:DescribeRestoreJob', 'backup:ListRestoreJobs', 'dsql:ListClusters', 'ec2:DescribeLaunchTemplateVersions',
      'ec2:DescribeSubnets', 'eks:CreateCluster', 'eks:ListClusters']);
    const passRole = statements.find((s) => s.Sid === 'EksPassRole');
    expect(passRole.Condition).toEqual({ StringEquals: { 'iam:PassedToService': ['backup.amazonaws.com', 'eks.amazonaws.com', 'pods.eks.amazonaws.com'] } });
    expect(JSON.stringify(doc).length).toBeLessThan(6144);
  });

  test('a value that is not an AdditionalResourceType is rejected with the prop named', () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    expect(() => new CompliantBackupSystem(stack, 'Backup', { additionalResourceTypes: ['EKS', 'REDSHIFT'] as any }))
      .toThrow(/additionalResourceTypes\[1\]/);
  });

  test('cdk-nag\'s four packs and the Control Tower rules find nothing unacknowledged', () => {
    const { app } = system([AdditionalResourceType.EKS, AdditionalResourceType.AURORA_DSQL]);
    expect(describeFindings(synthFindings(app))).toEqual([]);
  }, 300_000);

  test('cfn-lint 1.51 in the stack\'s region: nothing beyond the project\'s allowlist', () => {
    const allowlist: Record<string, AllowedRule> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'judges', 'cfn-lint-allowlist.json'), 'utf8'));
    const { app, stack } = system([AdditionalResourceType.EKS, AdditionalResourceType.AURORA_DSQL]);
    const assembly = app.synth();
    const templateFile = path.join(assembly.directory, `${stack.artifactId}.template.json`);
    expect(fs.existsSync(templateFile)).toBe(true);
    const run = runCfnLint([{ app: 'additional-types', stackName: stack.stackName, region: ENV.region, templateFile }]);
    expect(run.matches.filter((m) => !isAllowed(m, allowlist)).map(describeMatch)).toEqual([]);
  }, 300_000);
});
