/** LandingStorage: the synth-time rules. */
import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PATH, landingFixture } from './fixtures';

describe('LandingStorage rules', () => {
  test('objectLockRetention must be whole days', () => {
    expect(() => landingFixture({ options: { objectLockRetention: Duration.hours(36) } })).toThrow(
      `${PATH}: landingStorage.objectLockRetention is 1 day 12 hours; S3 counts object lock and lifecycle periods in whole days (use Duration.days())`);
  });

  test('objectLockRetention is 1-36500 days', () => {
    expect(() => landingFixture({ options: { objectLockRetention: Duration.days(0), noncurrentVersionExpiration: Duration.days(1) } })).toThrow(
      `${PATH}: landingStorage.objectLockRetention is 0 days; S3 Object Lock default retention is 1-36500 days`);
    expect(() => landingFixture({ options: { objectLockRetention: Duration.days(36501) } })).toThrow(
      `${PATH}: landingStorage.objectLockRetention is 36501 days; S3 Object Lock default retention is 1-36500 days`);
  });

  test('transitionToColdAfter must be whole days', () => {
    expect(() => landingFixture({ options: { transitionToColdAfter: Duration.hours(12) } })).toThrow(
      `${PATH}: landingStorage.transitionToColdAfter is 12 hours; S3 counts object lock and lifecycle periods in whole days (use Duration.days())`);
  });

  test('noncurrentVersionExpiration must respect the lock', () => {
    expect(() => landingFixture({ options: { objectLockRetention: Duration.days(90), noncurrentVersionExpiration: Duration.days(30) } })).toThrow(
      `${PATH}: landingStorage.noncurrentVersionExpiration is 30 days; noncurrent versions must be kept at least as long as `
      + 'landingStorage.objectLockRetention (90 days): S3 cannot expire a locked version');
  });

  test('noncurrentVersionExpiration must be whole days', () => {
    expect(() => landingFixture({ options: { noncurrentVersionExpiration: Duration.hours(800) } })).toThrow(
      `${PATH}: landingStorage.noncurrentVersionExpiration is 33 days 8 hours; S3 counts object lock and lifecycle periods in whole days (use Duration.days())`);
  });

  test('tenant ids follow the safe pattern', () => {
    for (const bad of ['Tenant-A', 'a/b', 'a*', '-a', 'a-', 'a,b', '', 'x'.repeat(64)]) {
      expect(() => landingFixture({ tenants: ['ok', bad] })).toThrow(
        `${PATH}: tenants[1] is '${bad}'; a tenant id is 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit`);
    }
    expect(() => landingFixture({ tenants: ['a', '0', 'x'.repeat(63), 'a-b-1'] })).not.toThrow();
  });

  test('tenant ids are unique', () => {
    expect(() => landingFixture({ tenants: ['a', 'b', 'a'] })).toThrow(`${PATH}: tenants[2] is 'a'; tenant ids must be unique`);
  });

  test('tenant ids are known at synth', () => {
    expect(() => landingFixture({ tenants: [Token.asString({ Ref: 'TenantParam' })] })).toThrow(
      `${PATH}: tenants[0] is (token); tenant ids must be known at synth: they become IAM tag values and key prefixes`);
  });

  test('only declared tenants can be granted', () => {
    const f = landingFixture();
    const role = new iam.Role(f.stack, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => f.landing.grantTenantAccess('tenant-c', role)).toThrow(
      `${PATH}: grantTenantAccess(tenantId) is 'tenant-c'; it must be one of the declared tenants ('tenant-a', 'tenant-b'); add it to tenants`);
    expect(() => f.landing.grantTenantAccess('*', role)).toThrow(
      `${PATH}: grantTenantAccess(tenantId) is '*'; it must be one of the declared tenants ('tenant-a', 'tenant-b'); add it to tenants`);
    const none = landingFixture({ tenants: [] });
    expect(() => none.landing.grantTenantAccess('tenant-a', new iam.Role(none.stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }))).toThrow(
      `${PATH}: grantTenantAccess(tenantId) is 'tenant-a'; it must be one of the declared tenants (none); add it to tenants`);
  });

  test('an imported role cannot be tagged from here', () => {
    const f = landingFixture();
    const imported = iam.Role.fromRoleArn(f.stack, 'Imported', 'arn:aws:iam::111111111111:role/uploader');
    expect(() => f.landing.grantTenantAccess('tenant-a', imported)).toThrow(
      `${PATH}: grantTenantAccess(grantee) is 'arn:aws:iam::111111111111:role/uploader'; tenant isolation is attribute-based and needs `
      + 'the principal tag cdk-compliant-backup:tenant=tenant-a, which can only be set where the principal is defined: pass an iam.Role '
      + 'or iam.User of this app, or tag the role where it is defined and attach tenantPolicy (its managedPolicyArn) to it yourself');
  });

  test('a principal that is not a role or user (an account) is rejected too', () => {
    const f = landingFixture();
    expect(() => f.landing.grantTenantAccess('tenant-a', new iam.AccountPrincipal('222222222222'))).toThrow(
      /^LandingStack\/Landing: grantTenantAccess\(grantee\) is a principal of type AccountPrincipal; tenant isolation is attribute-based/);
  });

  test('a principal belongs to one tenant', () => {
    const f = landingFixture();
    const role = new iam.Role(f.stack, 'Shared', { assumedBy: new iam.AccountRootPrincipal() });
    f.landing.grantTenantAccess('tenant-a', role);
    expect(() => f.landing.grantTenantAccess('tenant-b', role)).toThrow(
      `${PATH}: grantTenantAccess(grantee) is LandingStack/Shared; it already belongs to tenant 'tenant-a'; `
      + 'a principal carries one tenant tag, so it can belong to one tenant only');
  });
});
