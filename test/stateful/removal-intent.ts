import { RemovalPolicy } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { AssemblyStack } from './assembly';

/**
 * Where an app asked for a removal policy other than the library's default (RETAIN):
 * construct metadata of this type on the construct given the `removalPolicy` prop, with
 * the policy as its data. It reaches the cloud assembly (`<stack>.metadata.json`), so the
 * Retain check reads the app's intent from the same synthesized output it judges, not
 * from a list of logical IDs.
 *
 * Today the apps write it themselves where they pass `removalPolicy`
 * (`declareRemovalPolicy`); the library could write the same entry in each construct
 * that takes `removalPolicy`, and then no app would need to.
 */
export const REMOVAL_POLICY_METADATA = 'cdk-compliant-backup:removal-policy';

/** Records on `scope` that the app gave it `policy` (call it next to the `removalPolicy` prop). */
export function declareRemovalPolicy(scope: IConstruct, policy: RemovalPolicy): void {
  scope.node.addMetadata(REMOVAL_POLICY_METADATA, policy);
}

/** A construct the app gave a removal policy, and the policy. */
export interface RemovalIntent {
  /** Construct path, without the leading '/'. */
  readonly scope: string;
  readonly policy: RemovalPolicy;
}

/** Every removal policy the app declared, in any of its stacks. */
export function removalIntents(stacks: AssemblyStack[]): RemovalIntent[] {
  return stacks.flatMap((stack) => Object.entries(stack.metadata).flatMap(([scope, entries]) => entries
    .filter((e) => e.type === REMOVAL_POLICY_METADATA)
    .map((e) => ({ scope, policy: e.data as RemovalPolicy }))))
    .sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
}

/** The declared intent that governs `constructPath`: the innermost construct above it (or it) with one. */
export function governingIntent(constructPath: string, intents: RemovalIntent[]): RemovalIntent | undefined {
  return intents
    .filter((i) => constructPath === i.scope || constructPath.startsWith(`${i.scope}/`))
    .sort((a, b) => b.scope.length - a.scope.length)[0];
}
