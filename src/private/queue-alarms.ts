import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Alarms on the library's queues, publishing to an alarm topic. */

/** Messages in the queue mean lost work: alarm at the first one, treating no data as fine. */
export function deadLetterAlarm(scope: Construct, id: string, queue: sqs.IQueue, topic: sns.ITopic, description: string): cloudwatch.Alarm {
  const alarm = queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM })
    .createAlarm(scope, id, {
      alarmDescription: description,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
  return alarm;
}

/**
 * A consumer that stops (throttled, broken, out of concurrency) leaves messages to
 * age in the queue without any reaching the dead-letter queue: alarm on the oldest.
 */
export function backlogAlarm(scope: Construct, id: string, queue: sqs.IQueue, topic: sns.ITopic, description: string): cloudwatch.Alarm {
  const alarm = queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM })
    .createAlarm(scope, id, {
      alarmDescription: description,
      threshold: BACKLOG_ALARM_SECONDS,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
  return alarm;
}

/** How old the oldest waiting message may get before the backlog alarm fires. */
export const BACKLOG_ALARM_SECONDS = 3600;
