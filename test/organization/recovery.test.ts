import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RecoveryApprovalTeam, RecoveryRestoreTesting, RecoveryVault, RestoreTestingResourceType } from '../../src';
import { testApp } from '../support/compliance';

const VAULT_ENV = { account: '222222222222', region: 'eu-west-1' };
const TEAM_ARN = 'arn:aws:mpa:eu-west-1:444444444444:approval-team/abcdef123456';

function recoveryVault(extra: { approvalTeamArn?: string } = {}) {
  const stack = new Stack(testApp(), 'Vault', { env: VAULT_ENV });
  const vault = new RecoveryVault(stack, 'Recovery', {
    vaultName: 'org-recovery', organizationId: 'o-abcdefghij', recoveryAccounts: ['333333333333'], maxRetention: Duration.days(400), ...extra,
  });
  return { stack, vault, template: Template.fromStack(stack) };
}

describe('RecoveryVault', () => {
  test('a logically air-gapped vault the organization copies into, with a literal ARN', () => {
    const { vault, template } = recoveryVault();
    template.hasResourceProperties('AWS::Backup::LogicallyAirGappedBackupVault', { BackupVaultName: 'org-recovery', MinRetentionDays: 7, MaxRetentionDays: 400 });
    const [lag] = Object.values<any>(template.findResources('AWS::Backup::LogicallyAirGappedBackupVault'));
    expect(JSON.stringify(lag.Properties.AccessPolicy)).toContain('"aws:PrincipalOrgID":"o-abcdefghij"');
    expect(lag.Properties.MpaApprovalTeamArn).toBeUndefined();
    expect(vault.vaultArn).toEqual('arn:aws:backup:eu-west-1:222222222222:backup-vault:org-recovery');
  });

  test('shared with the recovery account through AWS RAM, inside the organization', () => {
    const { template } = recoveryVault();
    const [lagId] = Object.keys(template.findResources('AWS::Backup::LogicallyAirGappedBackupVault'));
    template.hasResourceProperties('AWS::RAM::ResourceShare', {
      Name: 'org-recovery-recovery',
      ResourceArns: [{ 'Fn::GetAtt': [lagId, 'BackupVaultArn'] }],
      Principals: ['333333333333'],
      AllowExternalPrincipals: false,
    });
  });

  test('the multi-party approval team on the vault (MpaApprovalTeamArn)', () => {
    const { template } = recoveryVault({ approvalTeamArn: TEAM_ARN });
    template.hasResourceProperties('AWS::Backup::LogicallyAirGappedBackupVault', { MpaApprovalTeamArn: TEAM_ARN });
  });
});

describe('RecoveryApprovalTeam', () => {
  test('an M-of-N team with the restore-access-vault policy, shared with the vault account through RAM', () => {
    const stack = new Stack(testApp(), 'Mpa', { env: { account: '444444444444', region: 'eu-west-1' } });
    new RecoveryApprovalTeam(stack, 'Team', {
      teamName: 'backup-recovery',
      identitySourceArn: 'arn:aws:mpa:eu-west-1:444444444444:identity-sources/abc',
      approverIds: ['u1', 'u2', 'u3'],
      minApprovals: 2,
      vaultAccounts: ['222222222222'],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::MPA::ApprovalTeam', {
      Name: 'backup-recovery',
      ApprovalStrategy: { MofN: { MinApprovalsRequired: 2 } },
      Approvers: ['u1', 'u2', 'u3'].map((id) => ({ PrimaryIdentityId: id, PrimaryIdentitySourceArn: 'arn:aws:mpa:eu-west-1:444444444444:identity-sources/abc' })),
      Policies: [{ PolicyArn: 'arn:aws:mpa::aws:policy/backup.amazonaws.com/CreateRestoreAccessVault' }],
    });
    template.hasResourceProperties('AWS::RAM::ResourceShare', {
      Principals: ['222222222222'],
      PermissionArns: ['arn:aws:ram::aws:permission/AWSRAMMPAApprovalTeamAccess'],
    });
  });
});

describe('RecoveryRestoreTesting', () => {
  test('restore testing in the recovery account against the shared vault', () => {
    const stack = new Stack(testApp(), 'Recovery', { env: { account: '333333333333', region: 'eu-west-1' } });
    new RecoveryRestoreTesting(stack, 'Testing', {
      sharedVaultArn: 'arn:aws:backup:eu-west-1:222222222222:backup-vault:org-recovery',
      restoreTesting: { selections: [{ resourceType: RestoreTestingResourceType.DYNAMODB }] },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      RecoveryPointSelection: {
        Algorithm: 'LATEST_WITHIN_WINDOW',
        IncludeVaults: ['arn:aws:backup:eu-west-1:222222222222:backup-vault:org-recovery'],
        RecoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'],
        SelectionWindowDays: 7,
      },
    });
    const [selection] = Object.values<any>(template.findResources('AWS::Backup::RestoreTestingSelection'));
    expect(selection.Properties.ProtectedResourceType).toEqual('DynamoDB');
    expect(selection.Properties.ProtectedResourceConditions).toBeUndefined();
    template.resourceCountIs('AWS::Lambda::Function', 1);
  });
});
