import { App } from 'aws-cdk-lib';
import { AuditedVaultExampleStack } from './stack';
import { addComplianceChecks, RECOMMENDED_CONTEXT } from '../shared/compliance-checks';

const app = new App({ context: RECOMMENDED_CONTEXT });
new AuditedVaultExampleStack(app, 'AuditedVaultExample', { env: { account: '123456789012', region: 'eu-west-1' } });
addComplianceChecks(app);
app.synth();
