import { Actor, Check, access, constraint, unproven } from './edge';
import { AppModel, ModelResource, ModelStack } from '../cfn/app-model';
import { isUnresolved } from '../cfn/resolver';
import { bucketPolicy, functionPolicy, keyPolicy, queuePolicy, topicPolicy } from '../iam/policies';

/**
 * The checks of one delivery into one kind of target (topic, queue, function,
 * bucket, key), shared by every edge kind: the target's resource policy, each KMS
 * key the delivery needs, and the actor's own policies when it is a role.
 */

export interface Delivery {
  /** The target in words. */
  readonly target: string;
  readonly checks: Check[];
}

/** The request context of `actor` acting for `sourceArn` (services send the source; roles do not). */
export function contextFor(actor: Actor, stack: ModelStack, sourceArn?: string): Record<string, string> {
  if (actor.principal.startsWith('arn:')) return { 'aws:SecureTransport': 'true' };
  return {
    'aws:SecureTransport': 'true',
    'aws:SourceAccount': stack.account,
    'aws:SourceOwner': stack.account,
    ...(sourceArn ? { 'aws:SourceArn': sourceArn } : {}),
  };
}

function targetName(resource: ModelResource, from: ModelStack): string {
  return resource.stack === from ? resource.logicalId : `${resource.stack.stackName}/${resource.logicalId}`;
}

function missing(kind: string, value: string | undefined): Delivery {
  const what = value === undefined ? `no ${kind}` : isUnresolved(value) ? `an unresolved ${kind} (${value})` : `${kind} ${value}`;
  return { target: value ?? `(no ${kind})`, checks: [unproven(`${what} is not a resource of this app: the delivery cannot be proven`)] };
}

/** Uses of a KMS key by `actor` through `service` (encryption context and aliases as KMS sees them). */
export function useKey(app: AppModel, actor: Actor, keyId: string | undefined, region: string, actions: string[],
  context: Record<string, string | string[]>, what: string): Check[] {
  const { key, aliases } = app.key(keyId, region);
  if (!key) return missing(`KMS key of ${what}`, keyId).checks;
  const policy = keyPolicy(key);
  return actions.map((action) => access(actor, action, key.attr('Arn'), key.stack.account, {
    ...context,
    'kms:CallerAccount': key.stack.account,
    ...(aliases.length > 0 ? { 'kms:ResourceAliases': aliases } : {}),
  }, policy));
}

const AWS_MANAGED_KEY = /(^|:)alias\/aws\//;

/** `actor` publishes to the topic `topicArn`: the topic policy, and the topic's key (kms:GenerateDataKey, kms:Decrypt). */
export function publishToTopic(app: AppModel, actor: Actor, from: ModelStack, topicArn: string | undefined, sourceArn?: string): Delivery {
  const topic = app.byArn(topicArn);
  if (!topic || topic.type !== 'AWS::SNS::Topic') return missing('topic', topicArn);
  const context = contextFor(actor, from, sourceArn);
  const policy = topicPolicy(app, topic);
  const checks: Check[] = [
    ...policy.problems.map((p) => constraint(false, p)),
    access(actor, 'sns:Publish', topicArn!, topic.stack.account, context, policy),
  ];
  const keyId = topic.props.KmsMasterKeyId;
  if (keyId !== undefined) {
    if (AWS_MANAGED_KEY.test(String(keyId))) {
      checks.push(constraint(actor.principal.startsWith('arn:'),
        `topic ${topic.logicalId} is encrypted with the AWS managed key ${keyId}, whose key policy no service principal can be added to`));
    } else {
      checks.push(...useKey(app, actor, String(keyId), topic.stack.region, ['kms:GenerateDataKey', 'kms:Decrypt'], {
        ...context,
        'kms:ViaService': `sns.${topic.stack.region}.amazonaws.com`,
        'kms:EncryptionContext:aws:sns:topicArn': topicArn!,
      }, `topic ${topic.logicalId}`));
    }
  }
  return { target: targetName(topic, from), checks };
}

/** `actor` sends to the queue `queueArn`: the queue policy, and the queue's key. */
export function sendToQueue(app: AppModel, actor: Actor, from: ModelStack, queueArn: string | undefined, sourceArn?: string): Delivery {
  const queue = app.queue(queueArn);
  if (!queue) return missing('queue', queueArn);
  const context = contextFor(actor, from, sourceArn);
  const policy = queuePolicy(app, queue);
  const arn = queue.attr('Arn');
  const checks: Check[] = [
    ...(policy?.problems ?? []).map((p) => constraint(false, p)),
    access(actor, 'sqs:SendMessage', arn, queue.stack.account, context, policy),
    ...queueKeyChecks(app, actor, queue, context, ['kms:GenerateDataKey', 'kms:Decrypt']),
  ];
  return { target: targetName(queue, from), checks };
}

/** `actor` consumes the queue (a Lambda event source mapping): receive, delete, attributes, and decrypt. */
export function consumeQueue(app: AppModel, actor: Actor, from: ModelStack, queueArn: string | undefined): Delivery {
  const queue = app.queue(queueArn);
  if (!queue) return missing('queue', queueArn);
  const context = contextFor(actor, from);
  const policy = queuePolicy(app, queue);
  const arn = queue.attr('Arn');
  return {
    target: targetName(queue, from),
    checks: [
      ...['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'].map((action) => access(actor, action, arn, queue.stack.account, context, policy)),
      ...queueKeyChecks(app, actor, queue, context, ['kms:Decrypt']),
    ],
  };
}

function queueKeyChecks(app: AppModel, actor: Actor, queue: ModelResource, context: Record<string, string>, actions: string[]): Check[] {
  const keyId = queue.props.KmsMasterKeyId;
  if (keyId === undefined) return [];
  if (AWS_MANAGED_KEY.test(String(keyId))) {
    return [constraint(actor.principal.startsWith('arn:'),
      `queue ${queue.logicalId} is encrypted with the AWS managed key ${keyId}, whose key policy no service principal can be added to`)];
  }
  return useKey(app, actor, String(keyId), queue.stack.region, actions, {
    ...context,
    'kms:ViaService': `sqs.${queue.stack.region}.amazonaws.com`,
    'kms:EncryptionContext:aws:sqs:arn': queue.attr('Arn'),
  }, `queue ${queue.logicalId}`);
}

/** `actor` invokes the function: its Lambda permissions (and its role's policies when a role invokes). */
export function invokeFunction(app: AppModel, actor: Actor, from: ModelStack, functionArn: string | undefined, sourceArn?: string,
  actions = ['lambda:InvokeFunction']): Delivery {
  const fn = app.lambdaFunction(functionArn, from.region);
  if (!fn) return missing('function', functionArn);
  const context = contextFor(actor, from, sourceArn);
  const policy = functionPolicy(app, fn);
  return {
    target: targetName(fn, from),
    checks: actions.map((action) => access(actor, action, fn.attr('Arn'), fn.stack.account, context, policy)),
  };
}

export interface ObjectWrite {
  /** Key of the object written, under the prefix the source names. */
  readonly key: string;
  /** The canned ACL the writer sends (log and report deliveries send bucket-owner-full-control). */
  readonly acl?: string;
  /** Actions on the bucket itself that the writer also calls (e.g. s3:GetBucketAcl). */
  readonly bucketActions?: string[];
  /** Use of the bucket's default KMS key: the actions the writer needs. */
  readonly keyActions?: string[];
}

/** `actor` writes an object into the bucket: the bucket policy, bucket actions, and the default encryption key. */
export function writeToBucket(app: AppModel, actor: Actor, from: ModelStack, bucketNameOrArn: string | undefined, write: ObjectWrite,
  sourceArn?: string): Delivery {
  const bucket = app.bucket(bucketNameOrArn);
  if (!bucket) return missing('bucket', bucketNameOrArn);
  const context = contextFor(actor, from, sourceArn);
  const policy = bucketPolicy(app, bucket);
  const bucketArn = bucket.attr('Arn');
  const objectArn = `${bucketArn}/${write.key}`;
  const checks: Check[] = [
    ...(policy?.problems ?? []).map((p) => constraint(false, p)),
    access(actor, 's3:PutObject', objectArn, bucket.stack.account, {
      ...context,
      ...(write.acl ? { 's3:x-amz-acl': write.acl } : {}),
      's3:ResourceAccount': bucket.stack.account,
      'aws:ResourceAccount': bucket.stack.account,
    }, policy),
    ...(write.bucketActions ?? []).map((action) => access(actor, action, bucketArn, bucket.stack.account, context, policy)),
  ];
  const sse = defaultEncryption(bucket);
  if (sse.kmsKeyId !== undefined && write.keyActions) {
    checks.push(...useKey(app, actor, sse.kmsKeyId, bucket.stack.region, write.keyActions, {
      ...context,
      'kms:ViaService': `s3.${bucket.stack.region}.amazonaws.com`,
      'kms:EncryptionContext:aws:s3:arn': sse.bucketKey ? bucketArn : objectArn,
    }, `bucket ${bucket.logicalId}`));
  } else if (sse.algorithm === 'aws:kms' && write.keyActions) {
    checks.push(constraint(actor.principal.startsWith('arn:'),
      `bucket ${bucket.logicalId} encrypts with the AWS managed key aws/s3, whose key policy no service principal can be added to`));
  }
  return { target: targetName(bucket, from), checks };
}

/** The bucket's default encryption as deployed. */
export function defaultEncryption(bucket: ModelResource): { algorithm?: string; kmsKeyId?: string; bucketKey: boolean } {
  const rule = bucket.props.BucketEncryption?.ServerSideEncryptionConfiguration?.[0];
  const byDefault = rule?.ServerSideEncryptionByDefault;
  return {
    algorithm: byDefault?.SSEAlgorithm,
    kmsKeyId: byDefault?.KMSMasterKeyID !== undefined ? String(byDefault.KMSMasterKeyID) : undefined,
    bucketKey: rule?.BucketKeyEnabled === true,
  };
}

/** Whether the bucket has S3 Object Lock on, and a default retention. */
export function objectLock(bucket: ModelResource): { enabled: boolean; defaultRetention: boolean } {
  const config = bucket.props.ObjectLockConfiguration;
  return {
    enabled: bucket.props.ObjectLockEnabled === true || config?.ObjectLockEnabled === 'Enabled',
    defaultRetention: config?.Rule?.DefaultRetention !== undefined,
  };
}
