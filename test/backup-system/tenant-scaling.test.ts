// Tenant isolation must not grow the library's CloudFormation footprint with the number of
// tenants: 1 tenant and 1,000 tenants synthesize the same resources under LandingStorage.
// The 1,000 roles are the user's: they live in the user's own stacks, 250 a stack, because
// CloudFormation takes at most 500 resources in one stack.
import { CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LandingStorage, TENANT_TAG_KEY } from '../../src/backup-system/landing-storage';
import { createEncryptedAlertTopic } from '../../src/private/encrypted-topic';
import { createAccessLogBucket } from '../../src/private/secure-bucket';
import { createSecureKey } from '../../src/private/secure-key';
import { testApp } from '../support/compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };
const ROLES_PER_STACK = 250;

/** IAM quotas the design stays within (IAM and STS quotas, AWS documentation). */
const IAM_LIMITS = { managedPolicyChars: 6144, roleTags: 50, managedPoliciesPerRoleDefault: 10 };

interface Estate {
  readonly landing: LandingStorage;
  readonly landingStack: Stack;
  readonly roles: iam.Role[];
  readonly roleStacks: Stack[];
}

function estate(tenantCount: number): Estate {
  const app = testApp();
  const landingStack = new Stack(app, 'LandingStack', { env: ENV });
  const tenants = Array.from({ length: tenantCount }, (_, i) => `tenant-${String(i).padStart(4, '0')}`);
  const landing = new LandingStorage(landingStack, 'Landing', {}, {
    accessLogBucket: createAccessLogBucket(landingStack, 'AccessLogs', RemovalPolicy.RETAIN),
    alarmTopic: createEncryptedAlertTopic(landingStack, 'AlarmTopic', createSecureKey(landingStack, 'AlarmKey', { description: 'alarms' }), 'alarms'),
    catalogTable: new dynamodb.TableV2(landingStack, 'Catalog', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(createSecureKey(landingStack, 'CatalogKey', { description: 'catalog' })),
    }),
    tenants,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const roles: iam.Role[] = [];
  const roleStacks: Stack[] = [];
  for (const [i, tenant] of tenants.entries()) {
    if (i % ROLES_PER_STACK === 0) roleStacks.push(new Stack(app, `TenantRoles${roleStacks.length}`, { env: ENV }));
    const role = new iam.Role(roleStacks[roleStacks.length - 1], `Role-${tenant}`, { assumedBy: new iam.AccountRootPrincipal() });
    landing.grantTenantAccess(tenant, role);
    roles.push(role);
  }
  return { landing, landingStack, roles, roleStacks };
}

/** CloudFormation resources the library adds: everything under the LandingStorage construct. */
function libraryResources(landing: LandingStorage): string[] {
  return landing.node.findAll().filter((c) => CfnResource.isCfnResource(c)).map((c) => `${(c as CfnResource).cfnResourceType} ${c.node.path}`);
}

/** The tenant policy as IAM will store it, with the longest bucket name (63) and a key ARN substituted: IAM counts it without whitespace. */
function deployedPolicySize(template: Template, landing: LandingStorage): number {
  const stack = Stack.of(landing);
  const resources = template.toJSON().Resources;
  const doc = resources[stack.getLogicalId(landing.tenantPolicy.node.defaultChild as CfnResource)].Properties.PolicyDocument;
  const bucketId = stack.getLogicalId(landing.bucket.node.defaultChild as CfnResource);
  const resolve = (v: any): any => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== 'object') return v;
    if (v['Fn::Join']) return resolve(v['Fn::Join'][1]).join(v['Fn::Join'][0]);
    if (v['Fn::GetAtt']) {
      return v['Fn::GetAtt'][0] === bucketId ? `arn:aws-us-gov:s3:::${'b'.repeat(63)}`
        : 'arn:aws-us-gov:kms:us-gov-west-1:111111111111:key/0123abcd-0123-abcd-0123-0123456789ab';
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
  };
  return JSON.stringify(resolve(doc)).length;
}

describe('tenant scaling', () => {
  const one = estate(1);
  const many = estate(1000);
  const oneTemplate = Template.fromStack(one.landingStack);
  const manyTemplate = Template.fromStack(many.landingStack);

  test('the library adds the same resources for 1 and for 1,000 tenants', () => {
    const a = libraryResources(one.landing);
    const b = libraryResources(many.landing);
    const stackResources = (t: Template) => Object.keys(t.toJSON().Resources).length;
    const stackOutputs = (t: Template) => Object.keys(t.toJSON().Outputs ?? {}).length;
    const userResources = (e: Estate) => e.roleStacks.reduce((n, s) => n + Object.keys(Template.fromStack(s).toJSON().Resources).length, 0);

    // eslint-disable-next-line no-console
    console.log([
      `library resources (under ${one.landing.node.path}): 1 tenant = ${a.length}, 1,000 tenants = ${b.length}`,
      `landing stack resources: 1 tenant = ${stackResources(oneTemplate)}, 1,000 tenants = ${stackResources(manyTemplate)}`,
      `landing stack outputs (exports): 1 tenant = ${stackOutputs(oneTemplate)}, 1,000 tenants = ${stackOutputs(manyTemplate)}`,
      `user resources (tenant roles): 1 tenant = ${userResources(one)}, 1,000 tenants = ${userResources(many)} in ${many.roleStacks.length} stacks`,
    ].join('\n'));

    expect(a.length).toBeGreaterThan(10);
    expect(b).toEqual(a);
    expect(stackResources(manyTemplate)).toBe(stackResources(oneTemplate));
    expect(stackOutputs(manyTemplate)).toBe(stackOutputs(oneTemplate));
    // What grows is the user's: exactly one role per tenant, nothing else.
    expect(userResources(one)).toBe(1);
    expect(userResources(many)).toBe(1000);
  });

  test('the tenant policy is the same document for 1 and 1,000 tenants, and within the managed-policy size limit', () => {
    const doc = (e: Estate, t: Template) => t.toJSON().Resources[e.landingStack.getLogicalId(e.landing.tenantPolicy.node.defaultChild as CfnResource)]
      .Properties.PolicyDocument;
    expect(doc(many, manyTemplate)).toEqual(doc(one, oneTemplate));
    const size = deployedPolicySize(manyTemplate, many.landing);
    // eslint-disable-next-line no-console
    console.log(`tenant policy: ${size} characters without whitespace (worst-case ARNs), IAM limit ${IAM_LIMITS.managedPolicyChars}`);
    expect(size).toBeLessThan(IAM_LIMITS.managedPolicyChars);
  });

  test('each tenant role gets one tag and one managed policy, far inside the role quotas', () => {
    const tagCounts = new Set<number>();
    const policyCounts = new Set<number>();
    const templates = new Map(many.roleStacks.map((s) => [s, Template.fromStack(s).toJSON()]));
    for (const [i, role] of many.roles.entries()) {
      const stack = Stack.of(role);
      const props = templates.get(stack)!.Resources[stack.getLogicalId(role.node.defaultChild as CfnResource)].Properties;
      tagCounts.add(props.Tags.length);
      policyCounts.add(props.ManagedPolicyArns.length);
      if (i === 0 || i === 999) {
        expect(props.Tags).toEqual([{ Key: TENANT_TAG_KEY, Value: `tenant-${String(i).padStart(4, '0')}` }]);
      }
    }
    // eslint-disable-next-line no-console
    console.log(`per-role tags added: ${[...tagCounts].join(', ')} (IAM limit ${IAM_LIMITS.roleTags}); `
      + `per-role managed policies added: ${[...policyCounts].join(', ')} (default quota ${IAM_LIMITS.managedPoliciesPerRoleDefault})`);
    expect([...tagCounts]).toEqual([1]);
    expect([...policyCounts]).toEqual([1]);
  });
});
