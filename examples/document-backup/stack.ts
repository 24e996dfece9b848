import { Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BackupTier, CompliantBackupSystem } from 'cdk-compliant-backup';

/** How long each environment keeps its daily document backups. */
export const RETENTION_DAYS: Record<string, number> = { production: 30, staging: 14, development: 7 };

export interface DocumentBackupStackProps extends StackProps {
  /** `production`, `staging` or `development`. */
  readonly environment: string;
}

/** A small app's documents bucket, backed up daily for as long as its environment needs. */
export class DocumentBackupStack extends Stack {
  public readonly backups: CompliantBackupSystem;

  constructor(scope: Construct, id: string, props: DocumentBackupStackProps) {
    super(scope, id, props);
    const days = RETENTION_DAYS[props.environment];
    if (days === undefined) {
      throw new Error(`environment is '${props.environment}'; expected one of ${Object.keys(RETENTION_DAYS).join(', ')}`);
    }

    this.backups = new CompliantBackupSystem(this, 'Backups', {
      tiers: [BackupTier.daily({ retention: Duration.days(days) })],
      selectionTags: {}, // only what protect() names
      removalPolicy: props.environment === 'production' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // The app's documents. AWS Backup needs versioning on the buckets it protects.
    const documents = new s3.Bucket(this, 'Documents', {
      encryption: s3.BucketEncryption.KMS_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.backups.accessLogBucket,
      serverAccessLogsPrefix: 'documents/',
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7), noncurrentVersionExpiration: Duration.days(days) }],
    });
    Validations.of(documents).acknowledge(
      ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({
        id: `${pack}-S3BucketReplicationEnabled`,
        reason: 'The documents are protected by daily AWS Backup recovery points, not by replication.',
      })),
      {
        id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
        reason: 'The app deletes and rewrites documents; immutability lives in the locked backup vault.',
      },
      {
        id: 'cdk-validator-cfnguard::s3_event_notifications_enabled_check',
        reason: 'Nothing consumes object events of this bucket; the app reads its documents directly.',
      },
    );
    this.backups.protect(backup.BackupResource.fromArn(documents.bucketArn));
  }
}
