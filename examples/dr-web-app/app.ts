import { App } from 'aws-cdk-lib';
import { WebAppPrimaryStack } from './stack';
import { addComplianceChecks, RECOMMENDED_CONTEXT } from '../shared/compliance-checks';

// Synthesizes WebAppPrimary plus its DR foundation and DR recovery stacks in eu-west-1.
const app = new App({ context: RECOMMENDED_CONTEXT });
new WebAppPrimaryStack(app, 'WebAppPrimary', { env: { account: '123456789012', region: 'us-east-1' } });
addComplianceChecks(app);
app.synth();
