import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Every alarm of the library is made here, so that the choices are made once:
 * - the period is the metric's own (5 minutes for AWS Backup, SQS and the library's
 *   metrics, which are published about that often; 1 minute for database lag);
 * - missing data is not a breach where AWS publishes only when something happens
 *   (AWS Backup job counts, queue depth), and is a breach where silence means that
 *   nothing is being measured (the DR readiness metrics);
 * - the action is the alarm topic, whose policy lets CloudWatch alarms publish.
 */
export interface AlarmToTopicProps {
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly description: string;
  readonly topic: sns.ITopic;
  /** @default GREATER_THAN_THRESHOLD */
  readonly comparison?: cloudwatch.ComparisonOperator;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** @default - every evaluation period */
  readonly datapointsToAlarm?: number;
  /** Silence means nobody is measuring. @default false */
  readonly missingDataIsBreach?: boolean;
  /** Also notify when the alarm returns to OK (for conditions an operator watches recover). @default false */
  readonly notifyOnOk?: boolean;
}

export function alarmToTopic(scope: Construct, id: string, props: AlarmToTopicProps): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric: props.metric,
    threshold: props.threshold,
    comparisonOperator: props.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: props.evaluationPeriods ?? 1,
    datapointsToAlarm: props.datapointsToAlarm,
    treatMissingData: props.missingDataIsBreach ? cloudwatch.TreatMissingData.BREACHING : cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: props.description,
  });
  const action = new cloudwatchActions.SnsAction(props.topic);
  alarm.addAlarmAction(action);
  if (props.notifyOnOk) alarm.addOkAction(action);
  return alarm;
}

/** How old the oldest waiting message may get before the backlog alarm fires. */
export const BACKLOG_ALARM_SECONDS = 3600;

/** Messages in a dead-letter queue mean lost work: alarm at the first one. */
export function deadLetterAlarm(scope: Construct, id: string, queue: sqs.IQueue, topic: sns.ITopic, description: string): cloudwatch.Alarm {
  return alarmToTopic(scope, id, {
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
    threshold: 0,
    description,
    topic,
  });
}

/**
 * A consumer that stops (throttled, broken, out of concurrency) leaves messages to
 * age in the queue without any reaching the dead-letter queue: alarm on the oldest,
 * over three periods so a burst that drains does not page anyone.
 */
export function backlogAlarm(scope: Construct, id: string, queue: sqs.IQueue, topic: sns.ITopic, description: string): cloudwatch.Alarm {
  return alarmToTopic(scope, id, {
    metric: queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
    threshold: BACKLOG_ALARM_SECONDS,
    evaluationPeriods: 3,
    description,
    topic,
  });
}
