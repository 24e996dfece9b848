/**
 * Deploy-time checks shared by the integration tests (test/integ.*.ts).
 *
 * They run only when a test is deployed into an AWS account (CONTRIBUTING.md, "Integration
 * tests"); the snapshot comparison in `npm test` only synthesizes them.
 */
import { ExpectedResult, IApiCall, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AuditedVault } from '../../src';

/** Recovery points a test makes expire after one day: the shortest retention a default vault lock allows. */
export const TEST_RECOVERY_POINT_DAYS = 1;

/**
 * Every assertion waits: an unmet one fails its custom resource and so the deployment,
 * which makes a completed `cdk deploy` of a test mean that every assertion held.
 * AWS Backup publishes job events best effort, usually within minutes, and a DynamoDB
 * backup of an empty table completes within minutes: generous, but below the hour
 * CloudFormation waits for a custom resource.
 */
export const SLOW_WAIT = { totalTimeout: Duration.minutes(45), interval: Duration.minutes(1) };
/** For reads that hold at once unless something is wrong. */
export const QUICK_WAIT = { totalTimeout: Duration.minutes(5), interval: Duration.seconds(30) };

/**
 * Context of every integration app: what `cdk init` writes to cdk.json (the library's
 * access-log buckets are granted to S3 log delivery by bucket policy, not by ACL).
 */
export const INTEG_APP_PROPS = {
  context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true },
  // Templates are checked against the CloudFormation schemas elsewhere (examples); off here it
  // keeps the snapshot free of a validation report and saves seconds per synth.
  builtinCloudFormationValidation: false,
};

/**
 * The account and region to deploy into: integ-runner's placeholders in snapshot mode
 * (CDK_INTEG_ACCOUNT, CDK_INTEG_REGION), the credentials' account and region when deployed.
 */
export function integEnv(): { account: string; region: string } {
  const account = process.env.CDK_INTEG_ACCOUNT ?? process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_INTEG_REGION ?? process.env.CDK_DEFAULT_REGION;
  if (!account || !region) {
    throw new Error('an integration test needs an account and a region: run it with integ-runner, '
      + 'the cdk CLI with AWS credentials, or CDK_INTEG_ACCOUNT and CDK_INTEG_REGION set');
  }
  return { account, region };
}

/**
 * Keeps `vault` when its stack is destroyed, while everything else the test made is deleted:
 * a recovery point the test put there is locked for `TEST_RECOVERY_POINT_DAYS`, and AWS
 * does not delete a vault that holds recovery points. Delete it by hand once the point has
 * expired (CONTRIBUTING.md, "Integration tests").
 */
export function retainVaultHoldingTestRecoveryPoints(vault: AuditedVault): void {
  (vault.node.defaultChild as CfnResource).applyRemovalPolicy(RemovalPolicy.RETAIN);
}

/** An on-demand backup job: `resourceArn` backed up into `vault` by AWS Backup acting as `role`. */
export interface OnDemandBackup {
  readonly vault: backup.IBackupVault;
  readonly resourceArn: string;
  readonly role: iam.IRole;
}

/**
 * Starts an on-demand backup job; its recovery point expires after `TEST_RECOVERY_POINT_DAYS`
 * (the vault's lock must allow that retention).
 */
export function startBackupJob(integ: IntegTest, job: OnDemandBackup): IApiCall {
  const start = integ.assertions.awsApiCall('Backup', 'startBackupJob', {
    BackupVaultName: job.vault.backupVaultName,
    ResourceArn: job.resourceArn,
    IamRoleArn: job.role.roleArn,
    StartWindowMinutes: 60,
    CompleteWindowMinutes: 120,
    Lifecycle: { DeleteAfterDays: TEST_RECOVERY_POINT_DAYS },
  });
  // StartBackupJob hands the role to AWS Backup.
  start.provider.addToRolePolicy({ Effect: 'Allow', Action: ['iam:PassRole'], Resource: [job.role.roleArn] });
  return start;
}

/** Waits until `resourceArn` has a usable recovery point in `vault`. */
export function expectRecoveryPoint(integ: IntegTest, vault: backup.IBackupVault, resourceArn: string): IApiCall {
  return integ.assertions.awsApiCall('Backup', 'listRecoveryPointsByResource', { ResourceArn: resourceArn })
    .expect(ExpectedResult.objectLike({
      RecoveryPoints: Match.arrayWith([Match.objectLike({
        BackupVaultName: vault.backupVaultName,
        Status: Match.stringLikeRegexp('^(COMPLETED|AVAILABLE)$'),
      })]),
    }))
    .waitForAssertions(SLOW_WAIT);
}

/**
 * A role AWS Backup may assume but that is allowed nothing: a backup job run as this
 * role fails, which is how a test produces a failed job on purpose.
 */
export function powerlessBackupRole(scope: Construct, id: string): iam.Role {
  return new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
    description: 'Integration test: backup jobs run as this role fail for lack of permissions',
  });
}

/** A queue subscribed to `topic`, so that a test can read what was published. */
export function topicInbox(scope: Construct, id: string, topic: sns.ITopic): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  topic.addSubscription(new subscriptions.SqsSubscription(queue));
  return queue;
}

/**
 * Waits until `queue` holds the alert the library's vault-alert handler publishes
 * for job `jobId` (its body names the job: `Job ID: <id>`). Messages stay visible,
 * so every poll sees all of them.
 */
export function expectJobAlert(integ: IntegTest, queue: sqs.IQueue, jobId: string): IApiCall {
  return integ.assertions.awsApiCall('SQS', 'receiveMessage', {
    QueueUrl: queue.queueUrl,
    MaxNumberOfMessages: 10,
    VisibilityTimeout: 0,
    WaitTimeSeconds: 20,
  })
    .expect(ExpectedResult.objectLike({
      Messages: Match.arrayWith([Match.objectLike({ Body: Match.stringLikeRegexp(`Job ID: +${jobId}`) })]),
    }))
    .waitForAssertions(SLOW_WAIT);
}
