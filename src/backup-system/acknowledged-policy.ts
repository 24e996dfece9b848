import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { wildcardAcknowledgements } from './backup-service-policy';

/** What a policy created by `createAcknowledgedPolicy` holds, and for whom. */
export interface AcknowledgedPolicyProps {
  readonly description: string;
  readonly statements: iam.PolicyStatement[];
  readonly roles: iam.IRole[];
  /** The reason for each `AwsSolutions-IAM5[Resource::…]` acknowledgement, when the standard one does not say enough. */
  readonly reasonFor?: (acknowledgement: string) => string;
}

/**
 * A customer managed policy (the HIPAA, NIST and PCI packs reject inline ones) attached to
 * `roles`, with every Resource wildcard of its statements acknowledged with its reason (and a
 * wildcard action refused: `wildcardAcknowledgements` throws).
 */
export function createAcknowledgedPolicy(scope: Construct, id: string, props: AcknowledgedPolicyProps): iam.ManagedPolicy {
  const { description, statements, roles, reasonFor } = props;
  const policy = new iam.ManagedPolicy(scope, id, { description, statements, roles });
  const acknowledgements = wildcardAcknowledgements(statements, Stack.of(scope))
    .map(({ id: ack, reason }) => ({ id: ack, reason: reasonFor ? reasonFor(ack) : reason }));
  Validations.of(policy).acknowledge(...acknowledgements);
  return policy;
}
