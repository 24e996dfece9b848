/**
 * What makes a handler's failure visible once it leaves the handler: the alarm, alert or retry
 * path the constructs in src/ give each handler. Fault tests name these in their evidence; the
 * alarm contract test (test/handlers/faults/alarm-contract.test.ts) synthesizes the constructs and
 * checks that each one exists, so the fault matrix cannot claim an alarm the library lacks.
 */

/** Where a message or invocation the handler fails goes: retries by its trigger, then a dead-letter queue. */
export const HANDED_BACK = {
  'vault-alert': 'Lambda retries the asynchronous invocation, then puts the event in the vault-alert dead-letter queue, whose alarm fires',
  'verifier': 'SQS redelivers the message, then moves it to the landing dead-letter queue, whose alarm fires',
  'catalog': 'SQS redelivers the message, then moves it to the job-event dead-letter queue, whose alarm fires',
  'catalog-reconciler': 'Lambda retries the scheduled run, then puts it in the reconciler dead-letter queue, whose alarm fires',
  'restore-validator': 'Lambda retries the asynchronous invocation, then puts the event in the validator dead-letter queue, whose alarm fires',
  'readiness': 'Lambda retries the scheduled run, then puts it in its dead-letter queue; the RPO alarm fires on the missing data point',
  'failover': 'the Region switch step fails, and the plan execution shows it (Region switch retries the step per the plan)',
} as const;

/** Alarms and alerts on failures a handler records. */
export const ALERTS = {
  /** verifier: one SNS message per object that cannot be verified. */
  verifierAlarmTopic: 'an SNS message to the landing alarm topic (ALARM_TOPIC_ARN)',
  /** vault-alert: the alert is the product; it is published to the vault notification topic. */
  vaultAlertTopic: 'the alert on the vault notification topic (TOPIC_ARN)',
  /** readiness: MaxRecoveryPointAgeSeconds not published; the alarm treats missing data as breaching. */
  recoveryPointAgeMissing: 'RecoveryPointAgeAlarm (MaxRecoveryPointAgeSeconds missing: treated as breaching)',
  /** readiness: a resource with no recovery point in the DR vault. */
  missingRecoveryPoints: 'MissingRecoveryPointsAlarm (MissingRecoveryPoints > 0)',
  /** readiness: PutMetricData failed, so RpoBreaches has no data point; the alarm treats missing data as breaching. */
  rpoBreachesMissing: 'RpoBreachAlarm (RpoBreaches missing: treated as breaching)',
  /** readiness: a check that could not be measured (a region, API or metric did not answer). */
  checksUnknown: 'ChecksUnknownAlarm (ChecksUnknown > 0)',
  /** restore-validator: a validation reported FAILED or TIMED_OUT, per tested resource type. */
  restoreValidationFailed: 'ValidationFailedAlarm<type> (RestoreValidationsFailed + RestoreValidationsTimedOut > 0)',
  /** failover: the report of the run, naming the failed step, on the DR alarm topic. */
  failoverReport: 'the failover report on the DR alarm topic (TOPIC_ARN)',
} as const;
