/**
 * Checks a synthesized app against the CloudFormation, IAM and service limits a
 * deployment would hit. Policy sizes are estimated from the template: intrinsic
 * functions are replaced by strings of a plausible deployed length (an ARN for
 * Fn::GetAtt, a name for Ref), so a size near a limit is an estimate, not a proof.
 *
 * Limits applied (AWS documentation pages named in `source`):
 */
import { SynthesizedStack } from './cloud-assembly';

export interface Limit {
  readonly id: string;
  readonly what: string;
  readonly max: number;
  readonly source: string;
}

export const LIMITS = {
  stackResources: { id: 'stackResources', what: 'resources per stack', max: 500, source: 'CloudFormation quotas (AWS CloudFormation User Guide, "Understand CloudFormation quotas")' },
  templateBytesS3: { id: 'templateBytesS3', what: 'template body bytes, uploaded to S3 (what the CDK CLI does)', max: 1_000_000, source: 'CloudFormation quotas: template body size in an S3 object, 1 MB' },
  templateBytesDirect: { id: 'templateBytesDirect', what: 'template body bytes, passed directly (informational: the CDK CLI uploads to S3)', max: 51_200, source: 'CloudFormation quotas: template body size in a request, 51,200 bytes' },
  stackOutputs: { id: 'stackOutputs', what: 'outputs per stack', max: 200, source: 'CloudFormation quotas' },
  stackParameters: { id: 'stackParameters', what: 'parameters per stack', max: 200, source: 'CloudFormation quotas' },
  managedPolicyChars: { id: 'managedPolicyChars', what: 'characters of a customer managed policy (no whitespace)', max: 6_144, source: 'IAM and AWS STS quotas' },
  roleInlinePolicyChars: { id: 'roleInlinePolicyChars', what: 'characters of all inline policies of a role (no whitespace)', max: 10_240, source: 'IAM and AWS STS quotas' },
  managedPoliciesPerRole: { id: 'managedPoliciesPerRole', what: 'managed policies attached to a role (default quota; can be raised to 20)', max: 10, source: 'IAM and AWS STS quotas' },
  trustPolicyChars: { id: 'trustPolicyChars', what: 'characters of a role trust policy (default quota)', max: 2_048, source: 'IAM and AWS STS quotas' },
  lambdaEnvironmentBytes: { id: 'lambdaEnvironmentBytes', what: 'bytes of a Lambda function environment (keys and values)', max: 4_096, source: 'Lambda quotas ("Environment variables: 4 KB")' },
  bucketPolicyBytes: { id: 'bucketPolicyBytes', what: 'bytes of an S3 bucket policy', max: 20_480, source: 'Amazon S3 User Guide, bucket policies (20 KB)' },
  keyPolicyBytes: { id: 'keyPolicyBytes', what: 'bytes of a KMS key policy', max: 32_768, source: 'AWS KMS quotas (key policy document size 32 KB)' },
  topicPolicyBytes: { id: 'topicPolicyBytes', what: 'bytes of an SNS topic policy', max: 30_720, source: 'Amazon SNS quotas (30 KB)' },
  frameworkControls: { id: 'frameworkControls', what: 'AWS Backup Audit Manager controls per account and region', max: 50, source: 'AWS Backup developer guide, "Controls and remediation" (50 controls)' },
} as const satisfies Record<string, Limit>;

export interface LimitFinding {
  readonly limit: string;
  readonly what: string;
  readonly stack: string;
  readonly resource?: string;
  readonly value: number;
  readonly max: number;
  /** value / max */
  readonly usage: number;
  readonly exceeded: boolean;
  readonly estimated: boolean;
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'stack-name-0123456789',
  'AWS::StackId': 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/0123456789ab',
  'AWS::NoValue': '',
};
/** Deployed length stand-ins: a generated physical name for Ref, a full ARN for Fn::GetAtt. */
const REF_STANDIN = 'x'.repeat(48);
const GETATT_STANDIN = `arn:aws:service:us-east-1:123456789012:${'x'.repeat(48)}`;

/** Replaces intrinsic functions by strings of plausible deployed length. */
export function render(value: any): any {
  if (Array.isArray(value)) return value.map(render);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [k] = keys;
    const v = value[k];
    if (k === 'Ref') return PSEUDO[v] ?? REF_STANDIN;
    if (k === 'Fn::GetAtt') return GETATT_STANDIN;
    if (k === 'Fn::Join') return (render(v[1]) as any[]).map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(v[0]);
    if (k === 'Fn::Sub') return typeof v === 'string' ? v : String(render(v[0]));
    if (k === 'Fn::Select' || k === 'Fn::ImportValue' || k === 'Fn::FindInMap' || k === 'Fn::GetAZs' || k === 'Fn::If' || k === 'Fn::Split' || k === 'Fn::Base64') {
      return REF_STANDIN;
    }
  }
  return Object.fromEntries(keys.map((k) => [k, render(value[k])]));
}

/** Characters without whitespace, as IAM counts a policy. */
function policyChars(doc: unknown): number {
  return JSON.stringify(render(doc)).replace(/\s/g, '').length;
}

function bytes(doc: unknown): number {
  return Buffer.byteLength(JSON.stringify(render(doc)));
}

export function checkLimits(stacks: readonly SynthesizedStack[]): LimitFinding[] {
  const out: LimitFinding[] = [];
  const add = (limit: Limit, stack: string, value: number, estimated: boolean, resource?: string) => out.push({
    limit: limit.id, what: limit.what, stack, resource, value, max: limit.max, usage: value / limit.max, exceeded: value > limit.max, estimated,
  });
  let controls = 0;
  for (const s of stacks) {
    const resources = s.template.Resources ?? {};
    add(LIMITS.stackResources, s.name, Object.keys(resources).length, false);
    add(LIMITS.templateBytesS3, s.name, s.templateBytes, false);
    add(LIMITS.templateBytesDirect, s.name, s.templateBytes, false);
    add(LIMITS.stackOutputs, s.name, Object.keys(s.template.Outputs ?? {}).length, false);
    add(LIMITS.stackParameters, s.name, Object.keys(s.template.Parameters ?? {}).length, false);

    const managedPerRole = new Map<string, number>();
    const inlinePerRole = new Map<string, number>();
    const countRole = (map: Map<string, number>, roles: any, n: number) => {
      for (const role of Array.isArray(roles) ? roles : []) {
        const id = role?.Ref;
        if (typeof id === 'string') map.set(id, (map.get(id) ?? 0) + n);
      }
    };
    for (const [id, r] of Object.entries(resources)) {
      const p = r.Properties ?? {};
      switch (r.Type) {
        case 'AWS::IAM::ManagedPolicy':
          add(LIMITS.managedPolicyChars, s.name, policyChars(p.PolicyDocument), true, id);
          countRole(managedPerRole, p.Roles, 1);
          break;
        case 'AWS::IAM::Policy':
          countRole(inlinePerRole, p.Roles, policyChars(p.PolicyDocument));
          break;
        case 'AWS::IAM::Role': {
          add(LIMITS.trustPolicyChars, s.name, policyChars(p.AssumeRolePolicyDocument), true, id);
          const attached = Array.isArray(p.ManagedPolicyArns) ? p.ManagedPolicyArns.length : 0;
          if (attached) managedPerRole.set(id, (managedPerRole.get(id) ?? 0) + attached);
          for (const policy of Array.isArray(p.Policies) ? p.Policies : []) {
            inlinePerRole.set(id, (inlinePerRole.get(id) ?? 0) + policyChars(policy.PolicyDocument));
          }
          break;
        }
        case 'AWS::Lambda::Function': {
          const vars = render(p.Environment?.Variables ?? {});
          const size = Object.entries(vars).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
          add(LIMITS.lambdaEnvironmentBytes, s.name, size, true, id);
          break;
        }
        case 'AWS::S3::BucketPolicy':
          add(LIMITS.bucketPolicyBytes, s.name, bytes(p.PolicyDocument), true, id);
          break;
        case 'AWS::KMS::Key':
          add(LIMITS.keyPolicyBytes, s.name, bytes(p.KeyPolicy), true, id);
          break;
        case 'AWS::SNS::TopicPolicy':
          add(LIMITS.topicPolicyBytes, s.name, bytes(p.PolicyDocument), true, id);
          break;
        case 'AWS::Backup::Framework':
          controls += Array.isArray(p.FrameworkControls) ? p.FrameworkControls.length : 0;
          break;
      }
    }
    for (const [role, n] of managedPerRole) add(LIMITS.managedPoliciesPerRole, s.name, n, false, role);
    for (const [role, n] of inlinePerRole) add(LIMITS.roleInlinePolicyChars, s.name, n, true, role);
  }
  // Controls count per account and region: every stack of the app in one account, so per region.
  if (controls > 0) add(LIMITS.frameworkControls, '(account, region)', controls, false);
  return out;
}

/** The finding of each limit that comes closest to (or goes furthest past) it. */
export function worstPerLimit(findings: readonly LimitFinding[]): LimitFinding[] {
  const worst = new Map<string, LimitFinding>();
  for (const f of findings) {
    const w = worst.get(f.limit);
    if (!w || f.usage > w.usage) worst.set(f.limit, f);
  }
  return [...worst.values()];
}
