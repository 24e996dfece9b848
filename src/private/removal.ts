import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Warning id: a resource that RemovalPolicy.DESTROY cannot remove. */
export const NOT_REMOVABLE_WARNING = 'cdk-compliant-backup:not-removable';

/** Says at synth which resource would keep a DESTROY stack from being deleted, and why. */
export function warnNotRemovable(scope: IConstruct, prop: string, why: string): void {
  Annotations.of(scope).addWarningV2(NOT_REMOVABLE_WARNING, `${scope.node.path}: ${prop} is RemovalPolicy.DESTROY, but ${why}.`);
}
