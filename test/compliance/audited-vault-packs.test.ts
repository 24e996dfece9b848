import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AuditedVault } from '../../src';
import { describeFindings, synthFindings, testApp } from '../support/compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };

// cdk-nag AwsSolutions, HIPAA Security, NIST 800-53 rev5, PCI DSS 3.2.1 and the
// AWS Control Tower proactive controls: zero unacknowledged findings.
describe('AuditedVault passes the compliance packs', () => {
  test('with its defaults', () => {
    const app = testApp();
    new AuditedVault(new Stack(app, 'Defaults', { env: ENV }), 'Vault');
    expect(describeFindings(synthFindings(app))).toEqual([]);
  });

  test('air-gapped', () => {
    const app = testApp();
    new AuditedVault(new Stack(app, 'AirGapped', { env: ENV }), 'Vault', {
      airGapped: true,
      vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(365) },
    });
    expect(describeFindings(synthFindings(app))).toEqual([]);
  });

  test('with every option set', () => {
    const app = testApp();
    const stack = new Stack(app, 'AllOptions', { env: ENV });
    new AuditedVault(stack, 'Vault', {
      vaultName: 'all-options',
      vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(3650), changeableFor: Duration.days(3) },
      allowDeletionBy: [iam.Role.fromRoleName(stack, 'BreakGlass', 'break-glass')],
      allowCopyFromAccounts: ['222222222222'],
      allowCopyFromOrganization: 'o-a1b2c3d4e5',
    });
    expect(describeFindings(synthFindings(app))).toEqual([]);
  });

  test('the packs do find problems: a finding is reported when an acknowledgement is missing', () => {
    // Guards the harness itself: a deliberately non-compliant resource must show up.
    const app = testApp();
    const stack = new Stack(app, 'Bad', { env: ENV });
    new iam.Role(stack, 'Admin', {
      assumedBy: new iam.AccountRootPrincipal(),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
    });
    const rules = synthFindings(app).map((f) => f.rule);
    expect(rules).toContain('AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess]');
  });
});
