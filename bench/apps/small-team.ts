/**
 * The "small team" of issue 12.4: one bucket backed up daily, everything else
 * left at the library's defaults.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CompliantBackupSystem } from 'cdk-compliant-backup';

const app = new App();
const stack = new Stack(app, 'SmallTeam', { env: { account: '123456789012', region: 'us-east-1' } });
// AWS Backup needs versioning on the buckets it protects.
const bucket = new s3.Bucket(stack, 'Documents', { versioned: true, enforceSSL: true });
const backups = new CompliantBackupSystem(stack, 'Backups');
backups.protect(backup.BackupResource.fromArn(bucket.bucketArn));
app.synth();
