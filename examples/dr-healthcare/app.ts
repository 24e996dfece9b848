import { App } from 'aws-cdk-lib';
import { HealthcarePrimaryStack } from './stack';
import { addComplianceChecks, RECOMMENDED_CONTEXT } from '../shared/compliance-checks';

// Synthesizes HealthcarePrimary plus its DR foundation and DR recovery stacks in ap-southeast-2.
const app = new App({ context: RECOMMENDED_CONTEXT });
new HealthcarePrimaryStack(app, 'HealthcarePrimary', { env: { account: '123456789012', region: 'ap-southeast-1' } });
addComplianceChecks(app);
app.synth();
