/** LandingStorage: grantTenantAccess. */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { landingFixture, ref, logicalId, resourceOf } from './fixtures';

describe('grantTenantAccess', () => {
  test('tags a role with its tenant and attaches the one tenant policy by ARN', () => {
    const f = landingFixture();
    const role = new iam.Role(f.stack, 'TenantARole', { assumedBy: new iam.AccountRootPrincipal() });
    f.landing.grantTenantAccess('tenant-a', role);
    const r = resourceOf(f.template, 'AWS::IAM::Role', logicalId(role)).Properties;
    expect(r.Tags).toEqual([{ Key: 'cdk-compliant-backup:tenant', Value: 'tenant-a' }]);
    expect(r.ManagedPolicyArns).toEqual([ref(f.landing.tenantPolicy)]);
  });

  test('works through a grantable whose principal is a role of this app (a Lambda function) and for a user', () => {
    const f = landingFixture();
    const fn = new lambda.Function(f.stack, 'Uploader', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    const user = new iam.User(f.stack, 'Operator');
    f.landing.grantTenantAccess('tenant-b', fn);
    f.landing.grantTenantAccess('tenant-a', user);
    const role = resourceOf(f.template, 'AWS::IAM::Role', logicalId(fn.role!)).Properties;
    expect(role.Tags).toContainEqual({ Key: 'cdk-compliant-backup:tenant', Value: 'tenant-b' });
    expect(role.ManagedPolicyArns).toContainEqual(ref(f.landing.tenantPolicy));
    const u = resourceOf(f.template, 'AWS::IAM::User', logicalId(user)).Properties;
    expect(u.Tags).toEqual([{ Key: 'cdk-compliant-backup:tenant', Value: 'tenant-a' }]);
    expect(u.ManagedPolicyArns).toEqual([ref(f.landing.tenantPolicy)]);
  });

  test('granting the same tenant twice is idempotent', () => {
    const f = landingFixture();
    const role = new iam.Role(f.stack, 'TenantARole', { assumedBy: new iam.AccountRootPrincipal() });
    f.landing.grantTenantAccess('tenant-a', role);
    f.landing.grantTenantAccess('tenant-a', role);
    expect(resourceOf(f.template, 'AWS::IAM::Role', logicalId(role)).Properties.ManagedPolicyArns).toEqual([ref(f.landing.tenantPolicy)]);
  });
});
