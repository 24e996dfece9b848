import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { DocumentBackupStack } from './stack';

// cdk synth -c environment=production | staging | development (the default)
const app = new App({
  // What `cdk init` writes to cdk.json: server access logs granted by bucket policy, not ACLs.
  context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true },
});
const environment = app.node.tryGetContext('environment') ?? 'development';
new DocumentBackupStack(app, `DocumentBackup-${environment}`, {
  environment,
  env: { account: '123456789012', region: 'eu-central-1' },
});
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app),
  new HIPAASecurityChecks(app),
  new NIST80053R5Checks(app),
  new PCIDSS321Checks(app),
  new CfnGuardValidator(),
);
app.synth();
