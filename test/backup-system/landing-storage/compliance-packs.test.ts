/** LandingStorage: the compliance packs pass. */
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { landingFixture } from './fixtures';
import { describeFindings, synthFindings } from '../../support/compliance';

// cdk-nag AwsSolutions, HIPAA Security, NIST 800-53 rev5, PCI DSS 3.2.1 and the
// AWS Control Tower proactive controls (cfn-guard): zero unacknowledged findings.
describe('LandingStorage passes the compliance packs', () => {
  test('with its defaults', () => {
    const f = landingFixture();
    expect(describeFindings(synthFindings(f.stack.node.root as any))).toEqual([]);
  });

  test('with every option, a VPC and tenants granted', () => {
    const f = landingFixture({
      options: {
        objectLockMode: s3.ObjectLockMode.COMPLIANCE,
        objectLockRetention: Duration.days(365),
        transitionToColdAfter: Duration.days(90),
        noncurrentVersionExpiration: Duration.days(730),
      },
      vpc: true,
    });
    f.landing.grantTenantAccess('tenant-a', new iam.Role(f.stack, 'TenantA', { assumedBy: new iam.AccountRootPrincipal() }));
    f.landing.grantTenantAccess('tenant-b', new iam.Role(f.stack, 'TenantB', { assumedBy: new iam.AccountRootPrincipal() }));
    const findings = synthFindings(f.stack.node.root as any)
      // The fixture's VPC is the test's, not the library's: it has no flow logs.
      .filter((x) => !x.paths.every((p) => p.startsWith('LandingStack/Vpc')));
    expect(describeFindings(findings)).toEqual([]);
  });

  test('the acknowledgements are narrow: another wildcard on the verifier role is still reported', () => {
    const f = landingFixture();
    f.landing.verifierRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::somebody-elses-bucket/*'],
    }));
    const rules = synthFindings(f.stack.node.root as any).map((x) => `${x.rule} @ ${x.paths.join(', ')}`);
    expect(rules).toEqual(['AwsSolutions-IAM5[Resource::arn:aws:s3:::somebody-elses-bucket/*] @ LandingStack/Landing/VerifierRole/Policy/Resource']);
  });
});
