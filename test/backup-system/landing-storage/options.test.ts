/** LandingStorage: the effect of each option. */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { landingFixture, logicalId, resourceOf } from './fixtures';
import { TENANTS_ENV_BUDGET } from '../../../src/backup-system/landing-storage';

describe('LandingStorage options', () => {
  test('compliance mode, a year\'s lock, cold after 90 days, noncurrent versions kept 400 days', () => {
    const { landing, template } = landingFixture({
      options: {
        objectLockMode: s3.ObjectLockMode.COMPLIANCE,
        objectLockRetention: Duration.days(365),
        transitionToColdAfter: Duration.days(90),
        noncurrentVersionExpiration: Duration.days(400),
      },
    });
    const p = resourceOf(template, 'AWS::S3::Bucket', logicalId(landing.bucket)).Properties;
    expect(p.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Days: 365, Mode: 'COMPLIANCE' } } });
    expect(p.LifecycleConfiguration.Rules).toEqual(expect.arrayContaining([
      { Id: 'TransitionToCold', Status: 'Enabled', Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }] },
      { Id: 'ExpireNoncurrentVersions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 400 } },
    ]));
  });

  test('noncurrent versions follow a longer lock by default', () => {
    const { landing, template } = landingFixture({ options: { objectLockRetention: Duration.days(90) } });
    const rules = resourceOf(template, 'AWS::S3::Bucket', logicalId(landing.bucket)).Properties.LifecycleConfiguration.Rules;
    expect(rules).toContainEqual({ Id: 'ExpireNoncurrentVersions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 90 } });
  });

  test('a noncurrent expiration equal to the lock is accepted', () => {
    const options = { objectLockRetention: Duration.days(10), noncurrentVersionExpiration: Duration.days(10) };
    expect(() => landingFixture({ options })).not.toThrow();
  });

  test('removalPolicy DESTROY reaches the buckets and keys', () => {
    const { landing, template } = landingFixture({ removalPolicy: RemovalPolicy.DESTROY });
    for (const [type, c] of [['AWS::S3::Bucket', landing.bucket], ['AWS::S3::Bucket', landing.inventoryBucket],
      ['AWS::KMS::Key', landing.key], ['AWS::KMS::Key', landing.pipelineKey]] as const) {
      expect(resourceOf(template, type, logicalId(c)).DeletionPolicy).toBe('Delete');
    }
  });

  test('handlerVpc places the verifier in the VPC\'s private subnets', () => {
    const { landing, template } = landingFixture({ vpc: true });
    const fn = resourceOf(template, 'AWS::Lambda::Function', logicalId(landing.verifierFunction)).Properties;
    expect(fn.VpcConfig.SubnetIds).toHaveLength(2);
  });

  test('no tenants: no TENANTS variable, and the tenant policy still exists for later grants', () => {
    const { landing, template } = landingFixture({ tenants: [] });
    const env = resourceOf(template, 'AWS::Lambda::Function', logicalId(landing.verifierFunction)).Properties.Environment.Variables;
    expect(env.TENANTS).toBeUndefined();
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 2);
  });

  test('a tenant list too long for the Lambda environment becomes "*": the first key segment is the tenant', () => {
    const tenants = Array.from({ length: 400 }, (_, i) => `tenant-${String(i).padStart(4, '0')}`);
    expect(tenants.join(',').length).toBeGreaterThan(TENANTS_ENV_BUDGET);
    const { landing, template } = landingFixture({ tenants });
    const env = resourceOf(template, 'AWS::Lambda::Function', logicalId(landing.verifierFunction)).Properties.Environment.Variables;
    expect(env.TENANTS).toBe('*');
  });

  test('a tenant list that fits is passed whole', () => {
    const tenants = Array.from({ length: 200 }, (_, i) => `tenant-${String(i).padStart(4, '0')}`);
    const { landing, template } = landingFixture({ tenants });
    const env = resourceOf(template, 'AWS::Lambda::Function', logicalId(landing.verifierFunction)).Properties.Environment.Variables;
    expect(env.TENANTS).toBe(tenants.join(','));
  });
});
