import { Annotations, RemovalPolicy } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Warning id: a resource that RemovalPolicy.DESTROY cannot remove. */
export const NOT_REMOVABLE_WARNING = 'cdk-compliant-backup:not-removable';

/** Says at synth which resource would keep a DESTROY stack from being deleted, and why. */
export function warnNotRemovable(scope: IConstruct, prop: string, why: string): void {
  Annotations.of(scope).addWarningV2(NOT_REMOVABLE_WARNING, `${scope.node.path}: ${prop} is RemovalPolicy.DESTROY, but ${why}.`);
}

/**
 * Metadata type that records a removal policy the app chose (any value passed as the
 * `removalPolicy` prop). It reaches the cloud assembly, so a check over synthesized
 * templates can tell "the user asked for DESTROY" from "the library forgot RETAIN".
 */
export const REMOVAL_POLICY_METADATA = 'cdk-compliant-backup:removal-policy';

/** Records on each scope that the app gave `policy`; nothing when the prop was left to the RETAIN default. */
export function recordRemovalPolicy(policy: RemovalPolicy | undefined, ...scopes: IConstruct[]): void {
  if (policy === undefined) return;
  for (const scope of scopes) scope.node.addMetadata(REMOVAL_POLICY_METADATA, policy);
}
