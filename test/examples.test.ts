import { CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AuditedVaultExampleStack } from '../examples/audited-vault/stack';
import { describeFindings, readFindings, synthFindings, testApp } from './support/compliance';

const ENV = { account: '123456789012', region: 'eu-west-1' };

describe('example: audited-vault', () => {
  test('synthesizes with zero unacknowledged compliance findings', () => {
    const app = testApp();
    const stack = new AuditedVaultExampleStack(app, 'AuditedVaultExample', { env: ENV });
    expect(describeFindings(synthFindings(app))).toEqual([]);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Backup::BackupVault', 1);
    template.resourceCountIs('AWS::Backup::LogicallyAirGappedBackupVault', 1);
  });

  // The one test that keeps aws-cdk-lib's built-in CloudFormation validation on:
  // the templates must be valid against the CloudFormation resource schemas. The
  // validator downgrades schema errors to warnings in the report, so any finding fails.
  test('passes aws-cdk-lib built-in CloudFormation template validation', () => {
    const app = testApp({ builtinValidation: true });
    new AuditedVaultExampleStack(app, 'AuditedVaultExample', { env: ENV });
    app.synth();
    const findings = readFindings(app.outdir).filter((f) => f.plugin === 'CloudFormation Validate');
    expect(describeFindings(findings)).toEqual([]);
  });

  test('built-in CloudFormation validation does report a schema violation (control)', () => {
    const app = testApp({ builtinValidation: true });
    const stack = new Stack(app, 'Control', { env: ENV });
    new CfnResource(stack, 'Bad', { type: 'AWS::Backup::BackupVault', properties: { BackupVaultName: 'x' } });
    app.synth();
    const findings = readFindings(app.outdir).filter((f) => f.plugin === 'CloudFormation Validate');
    expect(findings.map((f) => f.rule)).toContain('F3031');
  });
});
