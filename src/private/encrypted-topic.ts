import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { allowServicesToUseKey } from './secure-key';

/** Services that publish alerts: AWS Backup notifications, EventBridge rules, CloudWatch alarms. */
export const ALERT_PUBLISHERS = ['backup.amazonaws.com', 'events.amazonaws.com', 'cloudwatch.amazonaws.com'];

/**
 * An SNS topic encrypted with `key` that accepts only TLS, lets AWS Backup of
 * this account publish, and whose key the alert publishers may use.
 */
export function createEncryptedAlertTopic(scope: Construct, id: string, key: kms.IKey, displayName: string): sns.Topic {
  allowServicesToUseKey(key, ALERT_PUBLISHERS);
  const topic = new sns.Topic(scope, id, { masterKey: key, enforceSSL: true, displayName });
  allowBackupToPublish(topic);
  return topic;
}

/** AWS Backup vault notifications publish as the service, from this account only. */
export function allowBackupToPublish(topic: sns.ITopic): void {
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowAwsBackupToPublish',
    principals: [new iam.ServicePrincipal('backup.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { StringEquals: { 'aws:SourceAccount': topic.stack.account } },
  }));
}
