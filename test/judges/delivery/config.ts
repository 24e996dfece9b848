import { objectLock, publishToTopic, useKey, writeToBucket } from './deliver';
import { Actor, Edge, constraint, roleActor, serviceActor, unproven } from './edge';
import { AppModel } from '../cfn/app-model';

/**
 * AWS Config's delivery channel writes configuration history and snapshots into its
 * bucket as the recorder's role (a role of the app) or as the service (with the
 * service-linked role), and publishes to its topic. AWS Config rejects a bucket with
 * S3 Object Lock, and an account and region hold one recorder and one channel.
 */
export function configEdges(app: AppModel): Edge[] {
  const edges: Edge[] = [];
  const recorders = app.ofType('AWS::Config::ConfigurationRecorder');
  for (const channel of app.ofType('AWS::Config::DeliveryChannel')) {
    const { stack } = channel;
    const inRegion = recorders.filter((r) => r.stack.account === stack.account && r.stack.region === stack.region);
    const channelsInRegion = app.ofType('AWS::Config::DeliveryChannel').filter((c) => c.stack.account === stack.account && c.stack.region === stack.region);
    const roleArn = inRegion[0]?.props.RoleARN !== undefined ? String(inRegion[0].props.RoleARN) : undefined;
    const role = app.role(roleArn);
    const actor: Actor | undefined = roleArn && /:role\/aws-service-role\/config\.amazonaws\.com\//.test(roleArn)
      ? serviceActor('config.amazonaws.com') : role ? roleActor(app, role) : undefined;
    const checks = [
      constraint(inRegion.length === 1, `${inRegion.length} configuration recorders in ${stack.account}/${stack.region}; AWS Config allows exactly one`),
      constraint(channelsInRegion.length === 1, `${channelsInRegion.length} delivery channels in ${stack.account}/${stack.region}; AWS Config allows one`),
    ];
    const prefix = channel.props.S3KeyPrefix ? `${channel.props.S3KeyPrefix}/` : '';
    const bucket = app.bucket(channel.props.S3BucketName);
    if (bucket) {
      checks.push(constraint(!objectLock(bucket).enabled,
        `the delivery bucket ${bucket.logicalId} has S3 Object Lock, which AWS Config does not support as a delivery channel target`));
    }
    if (!actor) {
      edges.push({ kind: 'config delivery', source: channel, target: String(channel.props.S3BucketName), checks: [...checks, unproven(`the recorder's role ${roleArn} is not a role of this app`)] });
      continue;
    }
    const d = writeToBucket(app, actor, stack, channel.props.S3BucketName, {
      key: `${prefix}AWSLogs/${stack.account}/Config/${stack.region}/2026/1/1/ConfigHistory/history.json.gz`,
      acl: 'bucket-owner-full-control',
      // The recorder's role may hold s3:GetBucketAcl through AWS_ConfigRole, whose text is not in the app.
      bucketActions: actor.role ? [] : ['s3:GetBucketAcl'],
      keyActions: [],
    }, `arn:${stack.partition}:config:${stack.region}:${stack.account}:delivery-channel/${channel.ref}`);
    if (channel.props.S3KmsKeyArn !== undefined) {
      d.checks.push(...keyUse(app, actor, String(channel.props.S3KmsKeyArn), stack.region, bucket?.attr('Arn')));
    }
    edges.push({ kind: 'config delivery', source: channel, target: d.target, checks: [...checks, ...d.checks] });
    if (channel.props.SnsTopicARN !== undefined) {
      const t = publishToTopic(app, actor, stack, String(channel.props.SnsTopicARN));
      edges.push({ kind: 'config notifications', source: channel, target: t.target, checks: t.checks });
    }
  }
  return edges;
}

/** The channel's own key (S3KmsKeyArn), used through S3 by the writer. */
function keyUse(app: AppModel, actor: Actor, keyArn: string, region: string, bucketArn?: string) {
  return useKey(app, actor, keyArn, region, ['kms:GenerateDataKey', 'kms:Decrypt'], {
    'aws:SecureTransport': 'true',
    'kms:ViaService': `s3.${region}.amazonaws.com`,
    ...(bucketArn ? { 'kms:EncryptionContext:aws:s3:arn': bucketArn } : {}),
  }, 'the delivery channel');
}
