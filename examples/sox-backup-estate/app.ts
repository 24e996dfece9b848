import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { SoxBackupEstateStack } from './stack';

const app = new App();
new SoxBackupEstateStack(app, 'SoxBackupEstate', { env: { account: '123456789012', region: 'us-east-1' } });
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app),
  new HIPAASecurityChecks(app),
  new NIST80053R5Checks(app),
  new PCIDSS321Checks(app),
  new CfnGuardValidator(),
);
app.synth();
