import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** IAM's limit for one customer managed policy document, counted without whitespace. */
export const MANAGED_POLICY_MAX_CHARS = 6144;
/** What the library lets one of its managed policies use: 90% of the limit leaves room for AWS to grow an ARN. */
export const MANAGED_POLICY_BUDGET_CHARS = Math.floor(MANAGED_POLICY_MAX_CHARS * 0.9);
/** IAM's default quota of managed policies attached to one role. */
export const MANAGED_POLICIES_PER_ROLE = 10;

/**
 * The longest value each pseudo parameter takes in any partition, so that a size
 * measured here holds wherever the template is deployed (aws-us-gov has the longest
 * partition name, aws-cn the longest URL suffix).
 */
const LONGEST_PSEUDO_VALUES: Record<string, string> = {
  'AWS::Partition': 'aws-us-gov',
  'AWS::URLSuffix': 'amazonaws.com.cn',
  'AWS::Region': 'ap-southeast-2',
  'AWS::AccountId': '123456789012',
};

/** A resolved CloudFormation value with pseudo parameters replaced by `values`, and other references by a 64-character ARN. */
export function deployedValue(node: any, values: Record<string, string> = LONGEST_PSEUDO_VALUES): any {
  if (Array.isArray(node)) return node.map((n) => deployedValue(n, values));
  if (node && typeof node === 'object') {
    if ('Ref' in node) return values[node.Ref] ?? 'x'.repeat(64);
    if ('Fn::GetAtt' in node) return 'x'.repeat(64);
    if ('Fn::Join' in node) return node['Fn::Join'][1].map((n: any) => deployedValue(n, values)).join(node['Fn::Join'][0]);
    // Any other intrinsic (Fn::ImportValue from a cross-stack reference, Fn::Select, Fn::Sub...) stands for one string.
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0].startsWith('Fn::')) return 'x'.repeat(64);
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deployedValue(v, values)]));
  }
  return node;
}

/** The characters IAM counts for a policy document with these statements, in the partition where it is longest. */
export function deployedPolicyLength(stack: Stack, statements: iam.PolicyStatement[]): number {
  const document = stack.resolve(new iam.PolicyDocument({ statements }).toJSON());
  return JSON.stringify(deployedValue(document)).length;
}

/**
 * Splits statements, in order, into as few documents as fit the budget each.
 * A statement is never split; one that does not fit alone is an error of the caller.
 */
export function packStatements(stack: Stack, statements: iam.PolicyStatement[]): iam.PolicyStatement[][] {
  const packs: iam.PolicyStatement[][] = [];
  let current: iam.PolicyStatement[] = [];
  for (const statement of statements) {
    if (current.length > 0 && deployedPolicyLength(stack, [...current, statement]) > MANAGED_POLICY_BUDGET_CHARS) {
      packs.push(current);
      current = [];
    }
    current.push(statement);
  }
  if (current.length > 0) packs.push(current);
  for (const pack of packs) {
    const length = deployedPolicyLength(stack, pack);
    if (length > MANAGED_POLICY_BUDGET_CHARS && !Token.isUnresolved(length)) {
      throw new Error(`A single statement of ${length} characters exceeds the managed-policy budget of ${MANAGED_POLICY_BUDGET_CHARS}: `
        + `${pack.map((s) => s.sid).join(', ')}`);
    }
  }
  return packs;
}
