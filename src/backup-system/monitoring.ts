import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alarmToTopic } from '../private/alarms';
import { AlertTopicTarget } from '../private/encrypted-topic';

/** A vault the dashboard and alarms watch, with what AWS publishes under its name. */
export interface WatchedVault {
  readonly label: string;
  readonly vault: backup.IBackupVault;
  /** Backups land here: watch backup jobs and recovery points. */
  readonly receivesBackups: boolean;
  /** Copies land here: AWS publishes copy-job metrics under the destination vault. */
  readonly receivesCopies: boolean;
}

/** AWS Backup metrics are best effort, about every 5 minutes. */
const PERIOD = Duration.minutes(5);

function vaultMetric(watched: WatchedVault, metricName: string, label: string, home: Stack): cloudwatch.Metric {
  const region = watched.vault.env.region;
  return new cloudwatch.Metric({
    namespace: 'AWS/Backup',
    metricName,
    dimensionsMap: { BackupVaultName: watched.vault.backupVaultName },
    statistic: cloudwatch.Stats.SUM,
    period: PERIOD,
    label,
    // A copy destination in another region is read from there.
    region: !Token.isUnresolved(region) && region !== home.region ? region : undefined,
  });
}

/** The dashboard, headed by a note on how AWS Backup publishes; each watched vault adds its row. */
export function createDashboard(scope: Construct): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    defaultInterval: Duration.days(7),
  });
  dashboard.addWidgets(new cloudwatch.TextWidget({
    markdown: `# Backups: ${scope.node.path}\nAWS Backup publishes metrics about every 5 minutes, best effort. `
      + 'Copy-job metrics appear under the vault the copies land in.',
    width: 24,
    height: 2,
  }));
  return dashboard;
}

/** One widget row for a vault: backup jobs, copy jobs (destination side), restore jobs, recovery points. */
export function addVaultRow(dashboard: cloudwatch.Dashboard, watched: WatchedVault): void {
  const home = Stack.of(dashboard);
  const row: cloudwatch.IWidget[] = [];
  if (watched.receivesBackups) {
    row.push(new cloudwatch.GraphWidget({
      title: `Backup jobs into ${watched.label}`,
      left: [
        vaultMetric(watched, 'NumberOfBackupJobsCompleted', 'completed', home),
        vaultMetric(watched, 'NumberOfBackupJobsFailed', 'failed', home),
        vaultMetric(watched, 'NumberOfBackupJobsAborted', 'aborted', home),
        vaultMetric(watched, 'NumberOfBackupJobsExpired', 'expired', home),
      ],
      width: 6,
    }));
    row.push(new cloudwatch.GraphWidget({
      title: `Restore jobs from ${watched.label}`,
      left: [
        vaultMetric(watched, 'NumberOfRestoreJobsCompleted', 'completed', home),
        vaultMetric(watched, 'NumberOfRestoreJobsFailed', 'failed', home),
      ],
      width: 6,
    }));
    row.push(new cloudwatch.GraphWidget({
      title: `Recovery points in ${watched.label}`,
      left: [
        vaultMetric(watched, 'NumberOfRecoveryPointsCompleted', 'completed', home),
        vaultMetric(watched, 'NumberOfRecoveryPointsPartial', 'partial', home),
        vaultMetric(watched, 'NumberOfRecoveryPointsExpired', 'expired', home),
      ],
      width: 6,
    }));
  }
  if (watched.receivesCopies) {
    row.push(new cloudwatch.GraphWidget({
      title: `Copy jobs into ${watched.label}`,
      left: [
        vaultMetric(watched, 'NumberOfCopyJobsCompleted', 'completed', home),
        vaultMetric(watched, 'NumberOfCopyJobsFailed', 'failed', home),
      ],
      width: 6,
    }));
  }
  dashboard.addWidgets(...row);
}

/** The alarms of one vault (none for a vault in another region: alarms cannot read other regions). */
export function addVaultAlarms(scope: Construct, watched: WatchedVault, suffix: string, topic: sns.ITopic): cloudwatch.Alarm[] {
  const home = Stack.of(scope);
  const alarms: cloudwatch.Alarm[] = [];
  const make = (id: string, metricName: string, what: string) => alarms.push(alarmToTopic(scope, id, {
    metric: vaultMetric(watched, metricName, what, home),
    threshold: 1,
    comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    description: `${what} (vault ${watched.label}); see the AWS Backup console jobs page`,
    topic,
  }));
  // Alarms on metrics from another region are not allowed; those vaults are alarmed where they live.
  const sameRegion = Token.isUnresolved(watched.vault.env.region) || watched.vault.env.region === home.region;
  if (!sameRegion) return alarms;
  if (watched.receivesBackups) make(`BackupJobsFailedAlarm${suffix}`, 'NumberOfBackupJobsFailed', 'Backup jobs failed');
  if (watched.receivesCopies) make(`CopyJobsFailedAlarm${suffix}`, 'NumberOfCopyJobsFailed', 'Copy jobs failed');
  return alarms;
}

/** Restore jobs are not per vault: one rule for every failed restore job in the account and region. */
export function createRestoreFailureRule(scope: Construct, topic: sns.ITopic): events.Rule {
  const rule = new events.Rule(scope, 'RestoreJobFailedRule', {
    description: 'Failed AWS Backup restore jobs',
    eventPattern: { source: ['aws.backup'], detailType: ['Restore Job State Change'], detail: { status: ['FAILED'] } },
  });
  rule.addTarget(new AlertTopicTarget(topic));
  return rule;
}

/**
 * What the library's handlers report (EMF, by resource type): restore validations
 * and catalogued job failures, summed over every dimension value with SEARCH.
 */
export function addHandlerWidgets(dashboard: cloudwatch.Dashboard, namespace: string): void {
  const search = (metricName: string, label: string) => new cloudwatch.MathExpression({
    expression: `SUM(SEARCH('{${namespace},ResourceType} MetricName="${metricName}"', 'Sum', 300))`,
    label,
    period: PERIOD,
  });
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Restore test validations',
      left: [
        search('RestoreValidationsSucceeded', 'succeeded'),
        search('RestoreValidationsFailed', 'failed'),
        search('RestoreValidationsTimedOut', 'timed out'),
      ],
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'Catalogued failed jobs',
      left: [new cloudwatch.MathExpression({
        expression: `SUM(SEARCH('{${namespace}} MetricName="FailedJobs"', 'Sum', 300))`,
        label: 'failed jobs',
        period: PERIOD,
      })],
      width: 12,
    }),
  );
}
