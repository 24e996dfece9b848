import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * The principal tag that carries a role's tenant id; the tenant policy resolves it with
 * `${aws:PrincipalTag/cdk-compliant-backup:tenant}`. IAM tag keys may contain letters,
 * digits, spaces and `_ . : / = + - @` (up to 128 characters) and may not start with `aws:`.
 */
export const TENANT_TAG_KEY = 'cdk-compliant-backup:tenant';

/**
 * One policy for every tenant: objects under the prefix named by the principal's own tenant tag.
 * Created as `TenantPolicy` in the landing storage's scope.
 */
export function createTenantPolicy(landing: Construct, bucket: s3.Bucket, key: kms.IKey): iam.ManagedPolicy {
  const bucketLogicalId = Stack.of(landing).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
  const tag = `\${aws:PrincipalTag/${TENANT_TAG_KEY}}`;
  const region = Stack.of(landing).region;
  // Without the tag the variable resolves to nothing and no resource matches; the Null condition
  // says so explicitly, and also keeps the key statement from applying to an untagged principal.
  const tagged = { Null: { [`aws:PrincipalTag/${TENANT_TAG_KEY}`]: 'false' } };
  const policy = new iam.ManagedPolicy(landing, 'TenantPolicy', {
    description: `Tenant access to ${landing.node.path}: objects under the prefix named by the principal tag ${TENANT_TAG_KEY}`,
    statements: [
      new iam.PolicyStatement({
        sid: 'TenantObjects',
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
        resources: [bucket.arnForObjects(`${tag}/*`)],
        conditions: tagged,
      }),
      new iam.PolicyStatement({
        sid: 'TenantListing',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { ...tagged, StringLike: { 's3:prefix': `${tag}/*` } },
      }),
      new iam.PolicyStatement({
        sid: 'TenantEncryption',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [key.keyArn],
        conditions: { ...tagged, StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
      }),
    ],
  });
  Validations.of(policy).acknowledge({
    // cdk-nag writes the policy variable ${...} as <...>.
    id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/<aws:PrincipalTag/${TENANT_TAG_KEY}>/*]`,
    reason: 'Attribute-based tenant isolation: the wildcard covers only the objects under the prefix named by the '
      + 'principal\'s own tenant tag, so one policy serves every tenant without a resource per tenant.',
  });
  return policy;
}

/** How an error names a principal it cannot tag. */
export function describePrincipal(principal: iam.IPrincipal): string {
  const arn = (principal as Partial<iam.IRole>).roleArn;
  if (arn !== undefined && !Token.isUnresolved(arn)) return `'${arn}'`;
  const path = (principal as Partial<Construct>).node?.path;
  return path !== undefined ? `${principal.constructor.name} ${path}` : `a principal of type ${principal.constructor.name}`;
}
