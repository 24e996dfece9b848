import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CentralVaultStack, ESTATE, ManagementStack, RecoveryStack } from '../../examples/organization-estate/stack';
import { compliancePlugins, describeFindings, readFindings, testApp } from '../support/compliance';

describe('example: organization-estate', () => {
  test('management, central vault, recovery and member templates synthesize with zero unacknowledged findings', () => {
    const app = testApp({ context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true } });
    const central = new CentralVaultStack(app, 'OrgCentralVault', { env: { account: ESTATE.vaultAccount, region: ESTATE.vaultRegion } });
    const management = new ManagementStack(app, 'OrgManagement', {
      env: { account: ESTATE.managementAccount, region: 'us-east-1' }, centralVaultArn: central.recoveryVault.vaultArn,
    });
    new RecoveryStack(app, 'OrgRecovery', { env: { account: ESTATE.recoveryAccount, region: ESTATE.vaultRegion }, sharedVaultArn: central.recoveryVault.vaultArn });
    Validations.of(app).addPlugins(...compliancePlugins(app));
    const memberApp = management.backupPolicy.memberStack.node.root as App;
    Validations.of(memberApp).addPlugins(...compliancePlugins(memberApp));
    app.synth();
    expect(describeFindings(readFindings(app.outdir))).toEqual([]);
    expect(describeFindings(readFindings(memberApp.outdir))).toEqual([]);
    // The copy goes to the central vault by its literal ARN.
    const policy = Template.fromStack(management).findResources('AWS::Organizations::Policy');
    expect(JSON.stringify(policy)).toContain('arn:aws:backup:eu-north-1:222222222222:backup-vault:org-recovery');
  });
});
