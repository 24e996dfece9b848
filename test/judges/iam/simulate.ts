import { getDenialReasons, runSimulation } from '@cloud-copilot/iam-simulate';
import { NamedPolicy } from './policies';

/**
 * One IAM request evaluated with @cloud-copilot/iam-simulate (AGPL-3.0: a test-only
 * devDependency, never shipped): the principal, action and resource, the request
 * context AWS would send, the target's resource policy and the principal's own
 * identity policies. Same-account rules apply as AWS applies them: a service
 * principal needs the resource policy; a role needs its own policy or the resource
 * policy, except for KMS keys, whose key policy must allow it or delegate to the account.
 */
export interface AccessRequest {
  /** A service principal (`events.amazonaws.com`) or an assumed-role session ARN. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly context: Record<string, string | string[]>;
  readonly resourcePolicy?: NamedPolicy;
  readonly identityPolicies: NamedPolicy[];
}

export interface AccessDecision {
  readonly allowed: boolean;
  /** Which policy denied, in words: `the topic policy of X (no statement allows it)`. */
  readonly deniedBy?: string;
}

export async function evaluateAccess(request: AccessRequest): Promise<AccessDecision> {
  const response = await runSimulation({
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: renameContextKeys(request.context),
    },
    identityPolicies: request.identityPolicies.map((p, i) => ({ name: `${i}:${p.label}`, policy: renameContextKeys(p.document) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy ? renameContextKeys(request.resourcePolicy.document) : undefined,
  }, {});
  if (response.resultType === 'error') {
    return { allowed: false, deniedBy: `a policy the simulator rejects (${response.errors.message}: ${JSON.stringify(response.errors).slice(0, 400)})` };
  }
  if (response.overallResult === 'Allowed') return { allowed: true };
  const analysis = response.resultType === 'single' ? response.result.analysis : response.results[0]?.analysis;
  return { allowed: false, deniedBy: describeDenial(request, analysis) };
}

/**
 * iam-simulate 0.1 matches a variable context key only up to a '/' (aws:ResourceTag/x),
 * so it drops kms:EncryptionContext:aws:logs:arn and the like from the request, and a
 * condition on one can never match. Both the request and every policy get the key
 * under a global variable key it does accept (aws:RequestTag/kms-ec:<key>), which
 * evaluates the same conditions on the same values.
 */
export function renameContextKeys<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/"kms:EncryptionContext:([^"]+)"/gi, '"aws:RequestTag/kms-ec:$1"'));
}

function describeDenial(request: AccessRequest, analysis: any): string {
  const reasons = analysis ? getDenialReasons(analysis) : [];
  const explicit = reasons.filter((r) => r.denialType === 'Explicit');
  if (explicit.length > 0) {
    return explicit.map((r) => {
      const statement = r.denialType === 'Explicit' ? (r.statementId ?? `#${r.statementIndex}`) : '';
      const where = r.policyType === 'resource' ? request.resourcePolicy?.label : identityLabel(request, (r as any).policyIdentifier);
      return `statement ${statement} of ${where ?? r.policyType} (explicit deny)`;
    }).join(' and ');
  }
  const resource = request.resourcePolicy ? request.resourcePolicy.label : 'no resource policy';
  const isService = !request.principal.startsWith('arn:');
  if (isService || request.identityPolicies.length === 0) return `${resource} (no statement allows it)`;
  const identity = request.identityPolicies.map((p) => p.label).join(', ');
  return `${resource} and ${identity} (no statement allows it)`;
}

function identityLabel(request: AccessRequest, id: string | undefined): string | undefined {
  return id ? id.replace(/^\d+:/, '') : request.identityPolicies[0]?.label;
}
