import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { createSecureKey } from './secure-key';

/**
 * Hands out the keys of a construct and its parts: one shared key, or a key per purpose
 * created where it is used under its own id (so the per-purpose layout keeps its logical IDs).
 */
export class KeyProvider {
  private shared?: kms.Key;

  constructor(private readonly owner: Construct, private readonly share: boolean, private readonly removalPolicy: RemovalPolicy) {}

  /** The key for one purpose: the shared key, or a new one with `id` in `scope`. */
  public key(scope: Construct, id: string, description: string): kms.Key {
    if (!this.share) return createSecureKey(scope, id, { description, removalPolicy: this.removalPolicy });
    this.shared ??= createSecureKey(this.owner, 'SharedKey', {
      description: `Encrypts the recovery points, alarms, catalog, reports, landing storage and handler logs of ${this.owner.node.path}`,
      removalPolicy: this.removalPolicy,
    });
    return this.shared;
  }
}

/** The key of a part: from the provider it was given, or a key of its own. */
export function keyFor(scope: Construct, deps: { keys?: KeyProvider; removalPolicy: RemovalPolicy }, id: string, description: string): kms.Key {
  return (deps.keys ?? new KeyProvider(scope, false, deps.removalPolicy)).key(scope, id, description);
}
