// Tenant isolation proved by IAM policy simulation (@cloud-copilot/iam-simulate, AGPL-3.0: a
// test-only devDependency, never bundled or shipped). The policies are the synthesized ones:
// the tenant role's managed policies, its tags and the landing bucket's policy are read from the
// template and their CloudFormation intrinsics replaced by concrete example ARNs.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LandingStorage } from '../../src/backup-system/landing-storage';
import { createEncryptedAlertTopic } from '../../src/private/encrypted-topic';
import { createAccessLogBucket } from '../../src/private/secure-bucket';
import { createSecureKey } from '../../src/private/secure-key';
import { testApp } from '../support/compliance';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const BUCKET = 'example-landing-bucket';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const TAG = 'cdk-compliant-backup:tenant';

// The app: landing storage with two tenants, one role each, and a role with the policy but no tag.
const app = testApp();
const stack = new Stack(app, 'IsolationStack', { env: { account: ACCOUNT, region: REGION } });
const table = new dynamodb.TableV2(stack, 'Catalog', {
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  encryption: dynamodb.TableEncryptionV2.customerManagedKey(createSecureKey(stack, 'CatalogKey', { description: 'catalog' })),
});
const landing = new LandingStorage(stack, 'Landing', {}, {
  accessLogBucket: createAccessLogBucket(stack, 'AccessLogs', RemovalPolicy.RETAIN),
  alarmTopic: createEncryptedAlertTopic(stack, 'AlarmTopic', createSecureKey(stack, 'AlarmKey', { description: 'alarms' }), 'alarms'),
  catalogTable: table,
  tenants: ['tenant-a', 'tenant-b', 'tenant-ab'],
  removalPolicy: RemovalPolicy.RETAIN,
});
const roleA = new iam.Role(stack, 'TenantARole', { assumedBy: new iam.AccountRootPrincipal() });
const roleB = new iam.Role(stack, 'TenantBRole', { assumedBy: new iam.AccountRootPrincipal() });
landing.grantTenantAccess('tenant-a', roleA);
landing.grantTenantAccess('tenant-b', roleB);
// Somebody attached the tenant policy by hand and forgot the tag.
const untagged = new iam.Role(stack, 'UntaggedRole', { assumedBy: new iam.AccountRootPrincipal() });
untagged.addManagedPolicy(landing.tenantPolicy);

const template = Template.fromStack(stack);
const resources: Record<string, any> = template.toJSON().Resources;
const logicalId = (c: any) => stack.getLogicalId(c.node.defaultChild ?? c);
const bucketId = logicalId(landing.bucket);
const keyId = logicalId(landing.key);

/** Concrete attributes for a logical id: the landing bucket gets a fixed name, everything else a name derived from its id. */
function attribute(id: string, attr: 'Ref' | 'Arn'): string {
  const type = resources[id]?.Type;
  const name = id === bucketId ? BUCKET : `example-${id.toLowerCase()}`;
  switch (type) {
    case 'AWS::S3::Bucket': return attr === 'Ref' ? name : `arn:aws:s3:::${name}`;
    case 'AWS::KMS::Key': return attr === 'Ref' ? `key-${id}` : `arn:aws:kms:${REGION}:${ACCOUNT}:key/key-${id}`;
    case 'AWS::IAM::ManagedPolicy': return `arn:aws:iam::${ACCOUNT}:policy/${id}`;
    case 'AWS::IAM::Role': return attr === 'Ref' ? id : `arn:aws:iam::${ACCOUNT}:role/${id}`;
    default: throw new Error(`no example value for ${attr} of ${id} (${type})`);
  }
}

const PSEUDO: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::AccountId': ACCOUNT, 'AWS::Region': REGION, 'AWS::URLSuffix': 'amazonaws.com' };

/** Replaces Ref, Fn::GetAtt and Fn::Join by concrete values. */
function resolve(value: any): any {
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref') return PSEUDO[value.Ref] ?? attribute(value.Ref, 'Ref');
  if (keys.length === 1 && keys[0] === 'Fn::GetAtt') return attribute(value['Fn::GetAtt'][0], value['Fn::GetAtt'][1]);
  if (keys.length === 1 && keys[0] === 'Fn::Join') return resolve(value['Fn::Join'][1]).join(value['Fn::Join'][0]);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
}

/** The identity a role has in the template: its managed policies (resolved) and its tags as principal tags. */
function identityOf(role: iam.Role) {
  const props = resources[logicalId(role)].Properties;
  const identityPolicies = (props.ManagedPolicyArns ?? []).map((arnRef: any) => {
    const id = arnRef.Ref;
    expect(resources[id].Type).toBe('AWS::IAM::ManagedPolicy');
    return { name: id, policy: resolve(resources[id].Properties.PolicyDocument) };
  });
  const principalTags = Object.fromEntries((props.Tags ?? []).map((t: any) => [`aws:PrincipalTag/${t.Key}`, t.Value]));
  return { arn: `arn:aws:iam::${ACCOUNT}:role/${logicalId(role)}`, identityPolicies, principalTags };
}

function resourcePolicyOf(type: string, match: (props: any) => boolean): any {
  const found = Object.values(resources).filter((r: any) => r.Type === type && match(r.Properties));
  expect(found).toHaveLength(1);
  return resolve((found[0] as any).Properties.PolicyDocument ?? (found[0] as any).Properties.KeyPolicy);
}

const bucketPolicy = resourcePolicyOf('AWS::S3::BucketPolicy', (p) => p.Bucket?.Ref === bucketId);
const keyPolicy = resolve(resources[keyId].Properties.KeyPolicy);
const KEY_ARN = attribute(keyId, 'Arn');

type Outcome = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

async function simulate(
  role: iam.Role, action: string, resource: string, context: Record<string, string> = {}, over?: { secure?: boolean },
): Promise<Outcome> {
  const identity = identityOf(role);
  const result = await runSimulation({
    request: {
      principal: identity.arn,
      action,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: { ...identity.principalTags, 'aws:SecureTransport': String(over?.secure ?? true), ...context },
    },
    identityPolicies: identity.identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: action.startsWith('kms:') ? keyPolicy : bucketPolicy,
  }, {});
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Outcome;
}

const object = (key: string) => `${BUCKET_ARN}/${key}`;
const VIA_S3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };

describe('what the template gives the simulation', () => {
  test('tenant roles carry their tenant tag and the one tenant policy; the untagged role only the policy', () => {
    expect(identityOf(roleA).principalTags).toEqual({ [`aws:PrincipalTag/${TAG}`]: 'tenant-a' });
    expect(identityOf(roleB).principalTags).toEqual({ [`aws:PrincipalTag/${TAG}`]: 'tenant-b' });
    expect(identityOf(untagged).principalTags).toEqual({});
    for (const role of [roleA, roleB, untagged]) {
      expect(identityOf(role).identityPolicies.map((p: any) => p.name)).toEqual([logicalId(landing.tenantPolicy)]);
    }
    expect(JSON.stringify(identityOf(roleA).identityPolicies)).toContain(`${BUCKET_ARN}/\${aws:PrincipalTag/${TAG}}/*`);
  });

  test('the landing bucket is object-locked and versioned, so no upload can replace or shorten what landed', () => {
    const props = resources[bucketId].Properties;
    expect(props.ObjectLockEnabled).toBe(true);
    expect(props.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({ Days: 30, Mode: 'GOVERNANCE' });
    expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });
});

describe('tenant A', () => {
  test('writes and reads its own prefix', async () => {
    expect(await simulate(roleA, 's3:PutObject', object('tenant-a/x'))).toBe('Allowed');
    expect(await simulate(roleA, 's3:GetObject', object('tenant-a/x'))).toBe('Allowed');
    expect(await simulate(roleA, 's3:GetObjectVersion', object('tenant-a/nightly/2024-01-01.tar.gz'))).toBe('Allowed');
  });

  test('cannot write or read tenant B\'s prefix, nor a tenant whose id starts with its own', async () => {
    for (const action of ['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion']) {
      expect(await simulate(roleA, action, object('tenant-b/x'))).toBe('ImplicitlyDenied');
      expect(await simulate(roleA, action, object('tenant-ab/x'))).toBe('ImplicitlyDenied');
    }
  });

  test('cannot write outside any prefix, nor at its bare prefix name', async () => {
    expect(await simulate(roleA, 's3:PutObject', object('x'))).toBe('ImplicitlyDenied');
    expect(await simulate(roleA, 's3:PutObject', object('tenant-a'))).toBe('ImplicitlyDenied');
  });

  test('lists only under its own prefix', async () => {
    expect(await simulate(roleA, 's3:ListBucket', BUCKET_ARN, { 's3:prefix': 'tenant-a/' })).toBe('Allowed');
    expect(await simulate(roleA, 's3:ListBucket', BUCKET_ARN, { 's3:prefix': 'tenant-a/nightly/' })).toBe('Allowed');
    expect(await simulate(roleA, 's3:ListBucket', BUCKET_ARN, { 's3:prefix': 'tenant-b/' })).toBe('ImplicitlyDenied');
    expect(await simulate(roleA, 's3:ListBucket', BUCKET_ARN, { 's3:prefix': 'tenant-a' })).toBe('ImplicitlyDenied');
    expect(await simulate(roleA, 's3:ListBucket', BUCKET_ARN)).toBe('ImplicitlyDenied');
  });

  test('cannot delete versions, change retention or legal hold, bypass governance, or change the bucket\'s settings', async () => {
    for (const action of ['s3:DeleteObjectVersion', 's3:DeleteObject', 's3:PutObjectRetention', 's3:BypassGovernanceRetention',
      's3:PutObjectLegalHold', 's3:PutObjectTagging']) {
      expect([action, await simulate(roleA, action, object('tenant-a/x'))]).toEqual([action, 'ImplicitlyDenied']);
    }
    for (const action of ['s3:ListBucketVersions', 's3:PutBucketPolicy', 's3:PutBucketObjectLockConfiguration', 's3:PutLifecycleConfiguration']) {
      expect([action, await simulate(roleA, action, BUCKET_ARN)]).toEqual([action, 'ImplicitlyDenied']);
    }
  });

  test('is refused without TLS, by the bucket policy, even on its own prefix', async () => {
    expect(await simulate(roleA, 's3:PutObject', object('tenant-a/x'), {}, { secure: false })).toBe('ExplicitlyDenied');
    expect(await simulate(roleA, 's3:GetObject', object('tenant-a/x'), {}, { secure: false })).toBe('ExplicitlyDenied');
  });

  test('uses the landing key only through S3', async () => {
    expect(await simulate(roleA, 'kms:GenerateDataKey', KEY_ARN, VIA_S3)).toBe('Allowed');
    expect(await simulate(roleA, 'kms:Decrypt', KEY_ARN, VIA_S3)).toBe('Allowed');
    expect(await simulate(roleA, 'kms:Decrypt', KEY_ARN)).toBe('ImplicitlyDenied');
    expect(await simulate(roleA, 'kms:Decrypt', KEY_ARN, { 'kms:ViaService': `sqs.${REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
    expect(await simulate(roleA, 'kms:CreateGrant', KEY_ARN, VIA_S3)).not.toBe('Allowed');
  });
});

describe('tenant B', () => {
  test('is the mirror image of tenant A', async () => {
    expect(await simulate(roleB, 's3:PutObject', object('tenant-b/x'))).toBe('Allowed');
    expect(await simulate(roleB, 's3:GetObject', object('tenant-a/x'))).toBe('ImplicitlyDenied');
    expect(await simulate(roleB, 's3:ListBucket', BUCKET_ARN, { 's3:prefix': 'tenant-b/' })).toBe('Allowed');
    expect(await simulate(roleB, 's3:ListBucket', BUCKET_ARN, { 's3:prefix': 'tenant-a/' })).toBe('ImplicitlyDenied');
  });
});

describe('a principal without the tenant tag', () => {
  test('gets nothing from the tenant policy', async () => {
    for (const key of ['tenant-a/x', 'tenant-b/x', 'x', '/x']) {
      for (const action of ['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion']) {
        expect([action, key, await simulate(untagged, action, object(key))]).toEqual([action, key, 'ImplicitlyDenied']);
      }
    }
    expect(await simulate(untagged, 's3:ListBucket', BUCKET_ARN, { 's3:prefix': 'tenant-a/' })).toBe('ImplicitlyDenied');
    expect(await simulate(untagged, 's3:ListBucket', BUCKET_ARN, { 's3:prefix': '/' })).toBe('ImplicitlyDenied');
    expect(await simulate(untagged, 'kms:GenerateDataKey', KEY_ARN, VIA_S3)).toBe('ImplicitlyDenied');
  });
});

describe('the simulation harness', () => {
  test('sees a change in the policy: a tag pointing at tenant B\'s prefix reaches tenant B\'s objects', async () => {
    // Guards against a simulator that denies everything: the same role with another tag value.
    const identity = identityOf(roleA);
    const result = await runSimulation({
      request: {
        principal: identity.arn,
        action: 's3:GetObject',
        resource: { resource: object('tenant-b/x'), accountId: ACCOUNT },
        contextVariables: { [`aws:PrincipalTag/${TAG}`]: 'tenant-b', 'aws:SecureTransport': 'true' },
      },
      identityPolicies: identity.identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: bucketPolicy,
    }, {});
    expect(result.resultType !== 'error' && result.overallResult).toBe('Allowed');
  });
});
