import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * How cdk-nag names a CloudFormation value inside a finding id (its
 * utils/flatten-cfn-reference): `Ref` and `Fn::GetAtt` become `<Name>` and
 * `<Resource.Attribute>`, `Fn::Join` joins, `Fn::Sub`'s `${x}` becomes `<x>`,
 * anything else is JSON. One implementation, so every acknowledgement id matches
 * the finding it answers, whatever intrinsic the value uses.
 */
export function nagName(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
  if (node && typeof node === 'object') {
    const o = node as Record<string, any>;
    if (o['Fn::Join']) return (o['Fn::Join'][1] as unknown[]).map(nagName).join(o['Fn::Join'][0]);
    if (o['Fn::Sub']) return nagName(o['Fn::Sub']);
    if (o['Fn::GetAtt']) return `<${nagName(o['Fn::GetAtt'][0])}.${nagName(o['Fn::GetAtt'][1])}>`;
    if (o['Fn::ImportValue']) return nagName(o['Fn::ImportValue']);
    if (o.Ref) return `<${nagName(o.Ref)}>`;
  }
  return JSON.stringify(node);
}

/** A resource of an IAM statement (a string that may hold tokens) as cdk-nag names it. */
export function nagResourceName(stack: Stack, resource: string): string {
  return nagName(stack.resolve(resource));
}

/** Why a wildcard resource is needed, for an AwsSolutions-IAM5 acknowledgement. */
export interface WildcardReason {
  readonly resource: string;
  readonly reason: string;
}

/** Acknowledges AwsSolutions-IAM5 for each wildcard resource of `scope`'s policies, with its reason. */
export function acknowledgeWildcardResources(scope: IConstruct, wildcards: readonly WildcardReason[]): void {
  const stack = Stack.of(scope);
  Validations.of(scope).acknowledge(...wildcards.map((w) => ({
    id: `AwsSolutions-IAM5[Resource::${nagResourceName(stack, w.resource)}]`,
    reason: w.reason,
  })));
}
