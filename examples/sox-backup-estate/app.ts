import { App } from 'aws-cdk-lib';
import { addComplianceChecks, RECOMMENDED_CONTEXT } from '../shared/compliance-checks';
import { SoxBackupEstateStack } from './stack';

const app = new App({ context: RECOMMENDED_CONTEXT });
new SoxBackupEstateStack(app, 'SoxBackupEstate', { env: { account: '123456789012', region: 'us-east-1' } });
addComplianceChecks(app);
app.synth();
