import { knownAwsManagedPolicy } from './aws-managed-policies';
import { AppModel, ModelResource } from '../cfn/app-model';

/**
 * The policies AWS evaluates for a request, read from the resolved templates:
 * resource policies (topic, queue, bucket, key, Lambda permissions, vault access
 * policy, role trust policy) and the identity policies of a role.
 */

/** A policy document with a name for findings. */
export interface NamedPolicy {
  readonly label: string;
  readonly document: any;
}

/** A resource policy, and facts about where it came from that AWS would complain about. */
export interface ResourcePolicy extends NamedPolicy {
  /** Problems with the policy itself (e.g. two TopicPolicy resources for one topic). */
  readonly problems: string[];
}

export interface IdentityPolicies {
  readonly policies: NamedPolicy[];
  /** Attached managed policies whose text is not in the app (AWS managed policies): they grant nothing here. */
  readonly notEvaluated: string[];
}

const doc = (statements: any[]) => ({ Version: '2012-10-17', Statement: statements });

function asList<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function merged(label: string, policies: Array<{ from: ModelResource; document: any }>, what: string): ResourcePolicy {
  const problems = policies.length > 1
    ? [`${policies.length} resources set the ${what} (${policies.map((p) => p.from.logicalId).join(', ')}); each replaces the others when it deploys`]
    : [];
  return {
    label: policies.length === 0 ? label : `${label} (${policies.map((p) => p.from.logicalId).join(', ')})`,
    document: doc(policies.flatMap((p) => asList(p.document?.Statement))),
    problems,
  };
}

/**
 * The topic's policy: its TopicPolicy/TopicInlinePolicy, or SNS's default owner
 * policy when it has none (a TopicPolicy replaces the default).
 */
export function topicPolicy(app: AppModel, topic: ModelResource): ResourcePolicy {
  const arn = topic.attr('TopicArn');
  const found = [
    ...app.ofType('AWS::SNS::TopicPolicy').filter((p) => asList(p.props.Topics).includes(arn)).map((p) => ({ from: p, document: p.props.PolicyDocument })),
    ...app.ofType('AWS::SNS::TopicInlinePolicy').filter((p) => p.props.TopicArn === arn).map((p) => ({ from: p, document: p.props.PolicyDocument })),
  ];
  if (found.length === 0) {
    return {
      label: `the default policy of topic ${topic.logicalId}`,
      document: doc([{
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic',
          'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': topic.stack.account } },
      }]),
      problems: [],
    };
  }
  return merged(`the topic policy of ${topic.logicalId}`, found, 'policy of this topic');
}

/** The queue's policy (QueuePolicy/QueueInlinePolicy); none means only the owner account's identity policies apply. */
export function queuePolicy(app: AppModel, queue: ModelResource): ResourcePolicy | undefined {
  const url = queue.ref;
  const found = [
    ...app.ofType('AWS::SQS::QueuePolicy').filter((p) => asList(p.props.Queues).includes(url)).map((p) => ({ from: p, document: p.props.PolicyDocument })),
    ...app.ofType('AWS::SQS::QueueInlinePolicy').filter((p) => p.props.Queue === url).map((p) => ({ from: p, document: p.props.PolicyDocument })),
  ];
  return found.length === 0 ? undefined : merged(`the queue policy of ${queue.logicalId}`, found, 'policy of this queue');
}

export function bucketPolicy(app: AppModel, bucket: ModelResource): ResourcePolicy | undefined {
  const found = app.ofType('AWS::S3::BucketPolicy').filter((p) => p.props.Bucket === bucket.ref).map((p) => ({ from: p, document: p.props.PolicyDocument }));
  return found.length === 0 ? undefined : merged(`the bucket policy of ${bucket.logicalId}`, found, 'policy of this bucket');
}

/** The key policy; without one, KMS's default (the account may use the key through IAM policies). */
export function keyPolicy(key: ModelResource): ResourcePolicy {
  const document = key.props.KeyPolicy ?? doc([{
    Sid: 'Enable IAM User Permissions',
    Effect: 'Allow',
    Principal: { AWS: `arn:${key.stack.partition}:iam::${key.stack.account}:root` },
    Action: 'kms:*',
    Resource: '*',
  }]);
  return { label: `the key policy of ${key.logicalId}`, document, problems: [] };
}

/** The function's resource policy, made of its AWS::Lambda::Permission resources. */
export function functionPolicy(app: AppModel, fn: ModelResource): ResourcePolicy | undefined {
  const arn = fn.attr('Arn');
  const permissions = app.ofType('AWS::Lambda::Permission').filter((p) => {
    const target = String(p.props.FunctionName ?? '').replace(/:(\$LATEST|\d+)$/, '');
    return target === arn || (p.stack.region === fn.stack.region && target === fn.ref);
  });
  if (permissions.length === 0) return undefined;
  const statements = permissions.map((p) => {
    const principal = String(p.props.Principal);
    const conditions: Record<string, Record<string, string>> = {};
    if (p.props.SourceArn) conditions.ArnLike = { 'aws:SourceArn': p.props.SourceArn };
    if (p.props.SourceAccount) conditions.StringEquals = { 'aws:SourceAccount': p.props.SourceAccount };
    if (p.props.PrincipalOrgID) conditions.StringEquals = { ...conditions.StringEquals, 'aws:PrincipalOrgID': p.props.PrincipalOrgID };
    return {
      Sid: p.logicalId,
      Effect: 'Allow',
      Principal: principal.includes('.amazonaws.com') || principal.includes('.amazonaws.com.cn') ? { Service: principal }
        : { AWS: /^\d{12}$/.test(principal) ? `arn:${fn.stack.partition}:iam::${principal}:root` : principal },
      Action: p.props.Action,
      Resource: arn,
      ...(Object.keys(conditions).length > 0 ? { Condition: conditions } : {}),
    };
  });
  return { label: `the permissions of function ${fn.logicalId} (${permissions.map((p) => p.logicalId).join(', ')})`, document: doc(statements), problems: [] };
}

export function vaultPolicy(vault: ModelResource): ResourcePolicy | undefined {
  const document = vault.props.AccessPolicy;
  return document ? { label: `the access policy of vault ${vault.logicalId}`, document, problems: [] } : undefined;
}

export function trustPolicy(role: ModelResource): ResourcePolicy {
  return { label: `the trust policy of role ${role.logicalId}`, document: role.props.AssumeRolePolicyDocument ?? doc([]), problems: [] };
}

/** Inline policies, AWS::IAM::Policy and customer managed policies of the role; AWS managed ones are listed as not evaluated. */
export function rolePolicies(app: AppModel, role: ModelResource): IdentityPolicies {
  const name = role.ref;
  const policies: NamedPolicy[] = [];
  const notEvaluated: string[] = [];
  for (const inline of asList<any>(role.props.Policies)) {
    policies.push({ label: `inline policy ${inline.PolicyName} of ${role.logicalId}`, document: inline.PolicyDocument });
  }
  const sameStack = role.stack.resources;
  for (const p of sameStack.filter((r) => r.type === 'AWS::IAM::Policy' || r.type === 'AWS::IAM::RolePolicy')) {
    const roles = p.type === 'AWS::IAM::RolePolicy' ? [p.props.RoleName] : asList(p.props.Roles);
    if (roles.includes(name)) policies.push({ label: `policy ${p.logicalId}`, document: p.props.PolicyDocument });
  }
  const attached = new Set<string>(asList(role.props.ManagedPolicyArns).map(String));
  for (const mp of app.ofType('AWS::IAM::ManagedPolicy')) {
    const attachedHere = mp.stack.account === role.stack.account && asList(mp.props.Roles).includes(name) && mp.stack === role.stack;
    if (attachedHere || attached.has(mp.ref)) {
      policies.push({ label: `managed policy ${mp.logicalId}`, document: mp.props.PolicyDocument });
      attached.delete(mp.ref);
    }
  }
  for (const arn of attached) {
    const known = knownAwsManagedPolicy(arn);
    if (known) policies.push({ label: `AWS managed policy ${arn.split('/').pop()}`, document: known });
    else notEvaluated.push(arn);
  }
  return { policies, notEvaluated };
}
