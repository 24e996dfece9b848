import { App } from 'aws-cdk-lib';
import { SoxBackupEstateStack } from './stack';
import { addComplianceChecks, RECOMMENDED_CONTEXT } from '../shared/compliance-checks';

const app = new App({ context: RECOMMENDED_CONTEXT });
new SoxBackupEstateStack(app, 'SoxBackupEstate', { env: { account: '123456789012', region: 'us-east-1' } });
addComplianceChecks(app);
app.synth();
