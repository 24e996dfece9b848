import { Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { deadLetterAlarm } from './private/alarms';
import { createHandler, handlerRuleTarget } from './private/handler-resources';

/** Backup-job states that mean no recovery point was made. */
export const FAILED_BACKUP_STATES = ['FAILED', 'ABORTED', 'EXPIRED'];

export interface FailureAlertInputs {
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly vpc?: ec2.IVpc;
  readonly alertKey: kms.IKey;
  readonly topic: sns.ITopic;
}

/**
 * Failed, aborted and expired backup jobs and failed copy jobs out of this vault go to
 * a handler that publishes a readable alert on the notification topic; a lost alert
 * (dead-lettered) raises an alarm that CloudWatch publishes without the handler.
 */
export function createFailureAlerts(vault: Construct, o: FailureAlertInputs): { fn: lambda.IFunction; rule: events.Rule } {
  const { vaultName, vaultArn, vpc, alertKey } = o;
  const alert = createHandler(vault, 'AlertFunction', 'vault-alert', {
    key: alertKey,
    description: `Turns failed backup and copy jobs of vault ${vaultName} into readable alerts`,
    environment: { TOPIC_ARN: o.topic.topicArn, VAULT_NAME: vaultName },
    vpc,
  });
  alert.role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['sns:Publish'],
    resources: [o.topic.topicArn],
  }));
  // Publishing to an encrypted topic uses the topic's key, which is not the alert key when the topic was passed in.
  const topicKey = (o.topic as { masterKey?: kms.IKey }).masterKey;
  alert.role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resources: [...new Set([alertKey, ...(topicKey ? [topicKey] : [])])].map((k) => k.keyArn),
  }));
  // Describe*Job do not support resource-level permissions (Service Authorization Reference).
  alert.role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['backup:DescribeBackupJob', 'backup:DescribeCopyJob'],
    resources: ['*'],
  }));
  Validations.of(alert.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'backup:DescribeBackupJob and backup:DescribeCopyJob support no resource-level permissions; the role has no other wildcard.',
  });

  // A copy job runs, and emits its events, in the source vault's account and region: a
  // failed copy out of this vault is seen here; a failed copy into it (from another region
  // or account) is alerted by the source vault's rule, where the event is.
  const rule = new events.Rule(vault, 'JobFailureRule', {
    description: `Failed, aborted or expired backup jobs and failed copy jobs out of vault ${vaultName}`,
    eventPattern: {
      source: ['aws.backup'],
      detailType: ['Backup Job State Change', 'Copy Job State Change'],
      detail: {
        $or: [
          { state: FAILED_BACKUP_STATES, backupVaultName: [vaultName] },
          { state: ['FAILED'], sourceBackupVaultArn: [vaultArn] },
        ],
      },
    },
  });
  rule.addTarget(handlerRuleTarget(alert, { retryAttempts: 8, maxEventAge: Duration.hours(24) }));
  deadLetterAlarm(vault, 'AlertDeadLettersAlarm', alert.deadLetterQueue, o.topic,
    `Alerts for backup vault ${vaultName} could not be delivered; read the dead-letter queue`);
  return { fn: alert.fn, rule };
}
