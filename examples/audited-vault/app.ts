import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { AuditedVaultExampleStack } from './stack';

const app = new App();
new AuditedVaultExampleStack(app, 'AuditedVaultExample', {
  env: { account: '123456789012', region: 'eu-west-1' },
});
// The compliance checks a user would run: cdk-nag's four packs and AWS Control Tower proactive controls.
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app),
  new HIPAASecurityChecks(app),
  new NIST80053R5Checks(app),
  new PCIDSS321Checks(app),
  new CfnGuardValidator(),
);
app.synth();
