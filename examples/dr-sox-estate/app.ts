import { App } from 'aws-cdk-lib';
import { SoxDrPrimaryStack } from './stack';
import { addComplianceChecks, RECOMMENDED_CONTEXT } from '../shared/compliance-checks';

// Synthesizes SoxDrPrimary plus its DR foundation and DR recovery stacks in us-west-2.
const app = new App({ context: RECOMMENDED_CONTEXT });
new SoxDrPrimaryStack(app, 'SoxDrPrimary', { env: { account: '123456789012', region: 'us-east-1' } });
addComplianceChecks(app);
app.synth();
