import { AppModel, ModelResource } from '../cfn/app-model';
import { NamedPolicy, rolePolicies } from '../iam/policies';
import { AccessRequest } from '../iam/simulate';

/**
 * An edge: a place where an AWS service (or a role the library passes to one)
 * acts on the library's behalf, from a source resource to a target, with the
 * checks that must all pass for the delivery to work once deployed.
 */
export interface Edge {
  /** What kind of delivery, e.g. `alarm action`, `rule target`. */
  readonly kind: string;
  readonly source: ModelResource;
  /** The target in words: its logical id (and stack, when another) or its ARN. */
  readonly target: string;
  readonly checks: Check[];
}

/** An IAM request that must be allowed. */
export interface AccessCheck {
  readonly kind: 'access';
  /** Who acts, in words: a service principal or `role X`. */
  readonly who: string;
  readonly request: AccessRequest;
}

/** A fact AWS requires that is not an IAM decision (same region, no object lock, ...). */
export interface ConstraintCheck {
  readonly kind: 'constraint';
  readonly ok: boolean;
  /** What is wrong, when not ok. */
  readonly message: string;
}

export type Check = AccessCheck | ConstraintCheck;

export function constraint(ok: boolean, message: string): ConstraintCheck {
  return { kind: 'constraint', ok, message };
}

/** A check that always fails: the target could not be found or read, so the delivery is unproven. */
export function unproven(message: string): ConstraintCheck {
  return constraint(false, message);
}

/** Who acts: a service principal, or a role (as an assumed-role session) with its own policies. */
export interface Actor {
  readonly principal: string;
  readonly label: string;
  readonly identityPolicies: NamedPolicy[];
  /** Context keys that describe the principal. */
  readonly context: Record<string, string>;
  /** The role's resource, when the actor is a role of the app. */
  readonly role?: ModelResource;
}

export function serviceActor(service: string): Actor {
  return {
    principal: service,
    label: service,
    identityPolicies: [],
    context: { 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': service },
  };
}

/** A role of the app acting through a session; its AWS managed policies are not evaluated (their text is not in the app). */
export function roleActor(app: AppModel, role: ModelResource): Actor {
  const policies = rolePolicies(app, role);
  const name = role.ref;
  const roleArn = role.attr('Arn');
  const notEvaluated = policies.notEvaluated.length > 0
    ? ` (not evaluated: ${policies.notEvaluated.map((a) => a.split('/').pop()).join(', ')})` : '';
  return {
    principal: `arn:${role.stack.partition}:sts::${role.stack.account}:assumed-role/${name}/judge`,
    label: `role ${role.describe()}${notEvaluated}`,
    identityPolicies: policies.policies,
    context: principalContext(roleArn, role.stack.account),
    role,
  };
}

/** A role outside the app (a service-linked role): no identity policy is known, so only resource policies can allow it. */
export function externalRoleActor(roleArn: string, account: string, partition: string, why: string): Actor {
  const name = roleArn.split('/').pop()!;
  return {
    principal: `arn:${partition}:sts::${account}:assumed-role/${name}/judge`,
    label: `${name} (${why})`,
    identityPolicies: [],
    context: principalContext(roleArn, account),
  };
}

function principalContext(roleArn: string, account: string): Record<string, string> {
  return {
    'aws:PrincipalArn': roleArn,
    'aws:PrincipalAccount': account,
    'aws:PrincipalIsAWSService': 'false',
    'aws:PrincipalType': 'AssumedRole',
    'kms:CallerAccount': account,
  };
}

export function access(actor: Actor, action: string, resource: string, resourceAccount: string,
  context: Record<string, string | string[]>, resourcePolicy?: NamedPolicy): AccessCheck {
  return {
    kind: 'access',
    who: actor.label,
    request: {
      principal: actor.principal,
      action,
      resource,
      resourceAccount,
      context: { ...actor.context, ...context },
      resourcePolicy,
      identityPolicies: actor.identityPolicies,
    },
  };
}
