import { App } from 'aws-cdk-lib';
import { DocumentBackupStack } from './stack';
import { addComplianceChecks, RECOMMENDED_CONTEXT } from '../shared/compliance-checks';

// cdk synth -c environment=production | staging | development (the default)
const app = new App({ context: RECOMMENDED_CONTEXT });
const environment = app.node.tryGetContext('environment') ?? 'development';
new DocumentBackupStack(app, `DocumentBackup-${environment}`, {
  environment,
  env: { account: '123456789012', region: 'eu-central-1' },
});
addComplianceChecks(app);
app.synth();
