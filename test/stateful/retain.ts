import { RemovalPolicy } from 'aws-cdk-lib';
import { AssemblyStack, resourcesOf, stackLabel } from './assembly';
import { RemovalIntent, governingIntent } from './removal-intent';
import { isStateful, whatIsLost } from './stateful-types';

/**
 * Retain by default, everywhere: every stateful resource (stateful-types.ts) carries
 * `DeletionPolicy` and `UpdateReplacePolicy` `Retain`, unless the app gave a construct
 * above it another removal policy (removal-intent.ts), in which case it carries that one.
 * The log groups of Lambda handlers (named by a function's `LoggingConfig.LogGroup`) are
 * retained always, whatever the app asked: they are the record of what the handlers did,
 * which outlives a stack torn down with RemovalPolicy.DESTROY.
 */

/** The two policies CloudFormation reads, as the templates write them. */
interface Policies {
  readonly deletion: string;
  readonly updateReplace: string;
}

const RENDERED: Partial<Record<RemovalPolicy, Policies>> = {
  [RemovalPolicy.RETAIN]: { deletion: 'Retain', updateReplace: 'Retain' },
  [RemovalPolicy.DESTROY]: { deletion: 'Delete', updateReplace: 'Delete' },
  [RemovalPolicy.SNAPSHOT]: { deletion: 'Snapshot', updateReplace: 'Snapshot' },
  [RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE]: { deletion: 'RetainExceptOnCreate', updateReplace: 'Retain' },
};

export interface RetainFinding {
  readonly app: string;
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly path: string;
  readonly message: string;
}

/** What one stateful resource should carry, and why. */
export interface Expectation {
  readonly policies: Policies;
  readonly why: string;
}

/** Logical IDs of the log groups that a Lambda function of the stack writes to. */
export function handlerLogGroups(stack: AssemblyStack): Set<string> {
  const ids = new Set<string>();
  for (const r of Object.values<any>(stack.template.Resources ?? {})) {
    const ref = r.Type === 'AWS::Lambda::Function' ? r.Properties?.LoggingConfig?.LogGroup?.Ref : undefined;
    if (typeof ref === 'string') ids.add(ref);
  }
  return ids;
}

export function expectationFor(constructPath: string, isHandlerLogGroup: boolean, intents: RemovalIntent[]): Expectation {
  if (isHandlerLogGroup) {
    return { policies: RENDERED[RemovalPolicy.RETAIN]!, why: 'a Lambda handler\'s log group is retained always' };
  }
  const intent = governingIntent(constructPath, intents);
  if (!intent || intent.policy === RemovalPolicy.RETAIN) {
    return {
      policies: RENDERED[RemovalPolicy.RETAIN]!,
      why: intent ? `${intent.scope} was given RemovalPolicy.RETAIN` : 'the default: nothing above it was given another removal policy',
    };
  }
  const policies = RENDERED[intent.policy];
  if (!policies) throw new Error(`${intent.scope}: unknown removal policy '${intent.policy}' in its metadata`);
  return { policies, why: `it is under ${intent.scope}, which the app gave RemovalPolicy.${intent.policy.toUpperCase().replace(/-/g, '_')}` };
}

/**
 * Whether CloudFormation deletes the resource when no policy is set: yes, except RDS
 * clusters and stand-alone instances, whose default is a snapshot. (Only used to accept an
 * unset policy where Delete is expected; where Retain is expected, unset never passes.)
 */
function deletesByDefault(type: string, resource: any): boolean {
  if (type === 'AWS::RDS::DBCluster') return false;
  if (type === 'AWS::RDS::DBInstance') return resource.Properties?.DBClusterIdentifier !== undefined;
  return true;
}

function shown(value: unknown): string {
  return value === undefined ? 'not set (CloudFormation\'s default applies)' : String(value);
}

/** Every stateful resource of `stacks` whose policies differ from what is expected of it. */
export function retainFindings(stacks: AssemblyStack[], intents: RemovalIntent[]): RetainFinding[] {
  const findings: RetainFinding[] = [];
  for (const stack of stacks) {
    const logGroups = handlerLogGroups(stack);
    for (const r of resourcesOf([stack]).filter((x) => isStateful(x.type))) {
      const expected = expectationFor(r.path, r.type === 'AWS::Logs::LogGroup' && logGroups.has(r.logicalId), intents);
      const actual = { deletion: r.resource.DeletionPolicy, updateReplace: r.resource.UpdateReplacePolicy };
      const effective = (policy: string | undefined) => policy ?? (deletesByDefault(r.type, r.resource) ? 'Delete' : undefined);
      if (effective(actual.deletion) === expected.policies.deletion && effective(actual.updateReplace) === expected.policies.updateReplace) continue;
      const consequence = expected.policies.deletion === 'Retain'
        ? `otherwise deleting it from the stack, or a replacement, loses: ${whatIsLost(r.type)}`
          + (actual.deletion === 'Delete' && !governingIntent(r.path, intents)
            ? ' (a removalPolicy prop the app passed is recorded by the construct as cdk-compliant-backup:removal-policy metadata; none was found above this resource)' : '')
        : 'otherwise it outlives the stack the app meant to remove';
      findings.push({
        app: stack.app,
        stackName: stack.stackName,
        logicalId: r.logicalId,
        type: r.type,
        path: r.path,
        message: `${stackLabel(stack)}: ${r.logicalId} (${r.type}) at ${r.path} has DeletionPolicy ${shown(actual.deletion)} and `
          + `UpdateReplacePolicy ${shown(actual.updateReplace)}; expected ${expected.policies.deletion} and `
          + `${expected.policies.updateReplace} (${expected.why}): ${consequence}.`,
      });
    }
  }
  return findings;
}
