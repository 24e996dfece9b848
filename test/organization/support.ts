import { Stack } from 'aws-cdk-lib';
import { OrganizationBackupPolicy, OrganizationBackupPolicyProps, OrganizationTarget } from '../../src';
import { testApp } from '../support/compliance';

export const ENV = { account: '111111111111', region: 'eu-west-1' };
export const OU = 'ou-ab12-11111111';
export const CENTRAL_ARN = 'arn:aws:backup:eu-central-1:222222222222:backup-vault:central';

/** A management stack with one policy; props override the minimal defaults. */
export function policyOf(props: Partial<OrganizationBackupPolicyProps> = {}): { stack: Stack; policy: OrganizationBackupPolicy } {
  const stack = new Stack(testApp(), 'Mgmt', { env: ENV });
  const policy = new OrganizationBackupPolicy(stack, 'Org', {
    targets: [OrganizationTarget.organizationalUnit(OU)],
    regions: ['eu-west-1', 'us-east-1'],
    reports: false,
    ...props,
  });
  return { stack, policy };
}

/** The one plan of a rendered policy document. */
export function planOf(policy: OrganizationBackupPolicy): any {
  const plans = policy.policyDocument.plans;
  const names = Object.keys(plans).filter((k) => !k.startsWith('@@'));
  expect(names).toHaveLength(1);
  return plans[names[0]];
}

/** Strips the child-control operator everywhere, leaving the values. */
export function withoutControl(node: any): any {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  return Object.fromEntries(Object.entries(node)
    .filter(([k]) => k !== '@@operators_allowed_for_child_policies')
    .map(([k, v]) => [k, withoutControl(v)]));
}
