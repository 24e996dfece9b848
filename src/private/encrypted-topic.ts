import { Annotations, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { allowServicesToUseKey } from './secure-key';

/** Services that publish alerts: AWS Backup notifications, EventBridge rules, CloudWatch alarms. */
export const ALERT_PUBLISHERS = ['backup.amazonaws.com', 'events.amazonaws.com', 'cloudwatch.amazonaws.com'];

/** Warning id for a topic whose policy or key the library cannot extend. */
export const FOREIGN_TOPIC_WARNING = 'cdk-compliant-backup:foreign-alert-topic';

/**
 * An SNS topic encrypted with `key` that accepts only TLS and lets the alert
 * publishers of this account publish, each scoped to its own source.
 */
export function createEncryptedAlertTopic(scope: Construct, id: string, key: kms.IKey, displayName: string): sns.Topic {
  allowServicesToUseKey(key, ALERT_PUBLISHERS);
  const topic = new sns.Topic(scope, id, { masterKey: key, enforceSSL: true, displayName });
  allowAlertPublishers(topic);
  return topic;
}

/**
 * A topic policy replaces SNS's default owner policy, so once the library adds one
 * statement, every service that publishes needs its own: AWS Backup (vault
 * notifications), EventBridge (rules) and CloudWatch (alarm actions), each limited
 * to this account and, where the service sends it, to its own kind of source ARN
 * (the confused-deputy guard SNS documents). On a topic passed in by the user the
 * same statements are added, and its key is extended when it is a key of this app;
 * an imported topic cannot be changed, so synth says what to grant.
 */
export function allowAlertPublishers(topic: sns.ITopic): void {
  const stack = Stack.of(topic);
  const sourceArn = (service: string, resource: string) => `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;
  const publishers: Array<{ sid: string; service: string; sourceArn?: string }> = [
    { sid: 'AllowAwsBackupToPublish', service: 'backup.amazonaws.com' },
    { sid: 'AllowCloudWatchAlarmsToPublish', service: 'cloudwatch.amazonaws.com', sourceArn: sourceArn('cloudwatch', 'alarm:*') },
    { sid: 'AllowEventBridgeRulesToPublish', service: 'events.amazonaws.com', sourceArn: sourceArn('events', 'rule/*') },
  ];
  let changed = true;
  for (const p of publishers) {
    const result = topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: p.sid,
      principals: [new iam.ServicePrincipal(p.service)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ...(p.sourceArn ? { ArnLike: { 'aws:SourceArn': p.sourceArn } } : {}),
      },
    }));
    changed &&= result.statementAdded;
  }
  const key = (topic as { masterKey?: kms.IKey }).masterKey;
  if (key) changed &&= allowServicesToUseKey(key, ALERT_PUBLISHERS);
  if (!changed) {
    Annotations.of(topic).addWarningV2(FOREIGN_TOPIC_WARNING,
      `The policy or key of topic ${topic.node.path} is imported, so it cannot be extended here: allow sns:Publish to `
      + `${ALERT_PUBLISHERS.join(', ')} (conditioned on aws:SourceAccount) and, if it is encrypted, kms:GenerateDataKey and `
      + 'kms:Decrypt on its key to the same services, or no alarm or notification will reach it.');
  }
}

/**
 * An EventBridge target that publishes to an alert topic. Unlike aws-cdk-lib's
 * `targets.SnsTopic`, it adds no unconditioned grant to EventBridge: the topic's
 * policy (see `allowAlertPublishers`) already admits this account's rules.
 */
export class AlertTopicTarget implements events.IRuleTarget {
  constructor(private readonly topic: sns.ITopic) {}

  public bind(): events.RuleTargetConfig {
    return { arn: this.topic.topicArn, targetResource: this.topic };
  }
}
