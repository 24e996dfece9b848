import { App } from 'aws-cdk-lib';
import { SoxBackupEstateStack, SoxDrVaultStack } from './stack';
import { addComplianceChecks, RECOMMENDED_CONTEXT } from '../shared/compliance-checks';

const app = new App({ context: RECOMMENDED_CONTEXT });
// The DR vault first (us-west-2), then the estate that copies into it by ARN.
const dr = new SoxDrVaultStack(app, 'SoxDrVault', { env: { account: '123456789012', region: 'us-west-2' } });
const estate = new SoxBackupEstateStack(app, 'SoxBackupEstate', { env: { account: '123456789012', region: 'us-east-1' } });
estate.addStackDependency(dr, 'copies land in the DR vault');
addComplianceChecks(app);
app.synth();
