import { App } from 'aws-cdk-lib';
import { addComplianceChecks, RECOMMENDED_CONTEXT } from '../shared/compliance-checks';
import { AuditedVaultExampleStack } from './stack';

const app = new App({ context: RECOMMENDED_CONTEXT });
new AuditedVaultExampleStack(app, 'AuditedVaultExample', { env: { account: '123456789012', region: 'eu-west-1' } });
addComplianceChecks(app);
app.synth();
