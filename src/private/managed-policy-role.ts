import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * A role whose permissions all live in one customer-managed policy instead of
 * an inline default policy: HIPAA, NIST 800-53 and PCI DSS packs reject inline
 * policies, and grants made by aws-cdk-lib (`addToPrincipalPolicy`) land here too.
 */
export class ManagedPolicyRole extends iam.Role {
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
    this.policy = new iam.ManagedPolicy(this, 'Policy', { roles: [this] });
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
