import { RemovalPolicy } from 'aws-cdk-lib';
import type { AssemblyStack } from './assembly';
import { REMOVAL_POLICY_METADATA } from '../../src/private/removal';

/**
 * Where an app asked for a removal policy, the library records it as construct metadata
 * (REMOVAL_POLICY_METADATA, written by every construct that takes `removalPolicy`) on the
 * construct given the prop. It reaches the cloud assembly (`<stack>.metadata.json`), so
 * the Retain check reads the app's intent from the same synthesized output it judges, not
 * from a list of logical IDs.
 */
export { REMOVAL_POLICY_METADATA };

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
