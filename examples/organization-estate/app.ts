import { App } from 'aws-cdk-lib';
import { CentralVaultStack, ESTATE, ManagementStack, RecoveryStack } from './stack';
import { addComplianceChecks, RECOMMENDED_CONTEXT } from '../shared/compliance-checks';

const app = new App({ context: RECOMMENDED_CONTEXT });
// Set once the multi-party approval team exists (RecoveryApprovalTeam in the recovery organization).
const approvalTeamArn: string | undefined = app.node.tryGetContext('approvalTeamArn');
const central = new CentralVaultStack(app, 'OrgCentralVault', {
  env: { account: ESTATE.vaultAccount, region: ESTATE.vaultRegion },
  approvalTeamArn,
});
const management = new ManagementStack(app, 'OrgManagement', {
  env: { account: ESTATE.managementAccount, region: 'us-east-1' },
  centralVaultArn: central.recoveryVault.vaultArn,
});
new RecoveryStack(app, 'OrgRecovery', {
  env: { account: ESTATE.recoveryAccount, region: ESTATE.vaultRegion },
  sharedVaultArn: central.recoveryVault.vaultArn,
});
addComplianceChecks(app);
// The StackSet's member template is synthesized in an app of its own: check it the same way.
addComplianceChecks(management.backupPolicy.memberStack.node.root as App);
app.synth();
