import { Duration, RemovalPolicy, Resource, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledgeApplicationBucket, applicationKey } from '../../examples/shared/example-resources';

// The application-side resources the coverage app's stacks share: what a real app would bring.

/** Names that cross stacks as plain strings, as the library's own cross-stack values do. */
export const CENTRAL_VAULT_NAME = 'all-options-central';
export const DR_TOPIC_NAME = 'all-options-dr-alarms';

export const ACCOUNT = '123456789012';

/** A topic key that lets the services that publish alerts use it, as a user would write it. */
export function alertTopicKey(scope: Construct, id: string): kms.Key {
  const key = applicationKey(scope, id);
  for (const service of ['backup.amazonaws.com', 'events.amazonaws.com', 'cloudwatch.amazonaws.com']) {
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(service)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    }));
  }
  return key;
}

/** A TLS-only, KMS-encrypted topic the application owns. */
export function applicationTopic(scope: Construct, id: string, topicName?: string): sns.Topic {
  return new sns.Topic(scope, id, { topicName, masterKey: alertTopicKey(scope, `${id}Key`), enforceSSL: true });
}

/** A VPC whose private subnets reach AWS APIs through a NAT gateway, flow logs into an encrypted log group. */
export function handlerVpc(scope: Construct, id: string): ec2.Vpc {
  const stack = Stack.of(scope);
  const key = applicationKey(scope, `${id}FlowLogKey`);
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'],
    resources: ['*'],
    conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` } },
  }));
  const logGroup = new logs.LogGroup(scope, `${id}FlowLogs`, {
    encryptionKey: key,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // The packs reject inline policies: the delivery role's permissions live in a managed policy.
  const flowLogRole = new iam.Role(scope, `${id}FlowLogRole`, {
    assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
  });
  new iam.ManagedPolicy(scope, `${id}FlowLogPolicy`, {
    roles: [flowLogRole],
    statements: [new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams'],
      resources: [logGroup.logGroupArn],
    })],
  });
  const vpc = new ec2.Vpc(scope, id, {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
      { name: 'handlers', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    ],
    flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup, flowLogRole.withoutPolicyUpdates()) } },
    restrictDefaultSecurityGroup: true,
  });
  const natRoute = 'The public subnets hold only the NAT gateway, whose default route to the internet gateway lets the handlers in the '
    + 'private subnets reach AWS APIs; nothing else runs in the public subnets.';
  Validations.of(vpc).acknowledge(...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({
    id: `${pack}-VPCNoUnrestrictedRouteToIGW`, reason: natRoute,
  })));
  const cleaner = stack.node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
  if (cleaner) {
    Validations.of(cleaner).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason: 'aws-cdk-lib runs this function once at deploy time to close the default security group; it calls only EC2.',
    });
  }
  return vpc;
}

/** A versioned, KMS-encrypted, access-logged application bucket with a physical name (DR names buckets across regions). */
export function applicationBucket(scope: Construct, id: string, props: {
  bucketName: string; key: kms.IKey; logBucket: s3.IBucket; objectLock?: boolean;
}): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    bucketName: props.bucketName,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: props.key,
    bucketKeyEnabled: true,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: props.logBucket,
    serverAccessLogsPrefix: `${props.bucketName}/`,
    lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    objectLockEnabled: props.objectLock,
    objectLockDefaultRetention: props.objectLock ? s3.ObjectLockRetention.governance(Duration.days(30)) : undefined,
    eventBridgeEnabled: false,
  });
  if (props.objectLock) {
    Validations.of(bucket).acknowledge({
      id: 'cdk-validator-cfnguard::s3_event_notifications_enabled_check',
      reason: 'Nothing consumes object events of this bucket.',
    });
  } else {
    acknowledgeApplicationBucket(bucket, 'Application data is rewritten in place');
  }
  return bucket;
}

/**
 * The generated credentials of a database (CrossRegionDr replicates them to the DR region)
 * do not follow the database's removalPolicy (`database.secret` is the attachment, not the secret).
 */
export function retainGeneratedSecret(database: Construct): void {
  (database.node.findChild('Secret') as Resource).applyRemovalPolicy(RemovalPolicy.RETAIN);
}
