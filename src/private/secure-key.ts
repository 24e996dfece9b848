import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface SecureKeyProps {
  readonly description: string;
  readonly alias?: string;
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A customer-managed key with rotation, RETAIN, and a statement that denies
 * `kms:CreateGrant` unless the grant is for an AWS service (AWS Control Tower
 * proactive control CT.KMS.PR.3). AWS Backup, SNS and CloudWatch Logs create
 * their grants as AWS services, so they are unaffected.
 */
export function createSecureKey(scope: Construct, id: string, props: SecureKeyProps): kms.Key {
  const key = new kms.Key(scope, id, {
    description: props.description,
    alias: props.alias,
    enableKeyRotation: true,
    pendingWindow: Duration.days(30),
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyGrantsExceptForAwsServices',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: {
      BoolIfExists: {
        'kms:GrantIsForAWSResource': 'false',
        'aws:PrincipalIsAWSService': 'false',
      },
    },
  }));
  return key;
}

/**
 * Lets AWS services encrypt with the key and read what they encrypted (SNS topics, queues).
 * Returns false when the key is imported and its policy cannot be extended here.
 */
export function allowServicesToUseKey(key: kms.IKey, servicePrincipals: string[]): boolean {
  let added = true;
  for (const service of servicePrincipals) {
    const result = key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `Allow${service.split('.')[0].replace(/^./, (c) => c.toUpperCase())}ToUseKey`,
      principals: [new iam.ServicePrincipal(service)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
    }));
    added &&= result.statementAdded;
  }
  return added;
}

/** Lets CloudWatch Logs of this account and region encrypt log groups with the key. */
export function allowLogsToUseKey(key: kms.IKey, region: string, account: string, partition: string): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogsToUseKey',
    principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
    resources: ['*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` },
    },
  }));
}
