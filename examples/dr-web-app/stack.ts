import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeApplicationBucket, acknowledgeExampleDatabase, applicationKey, databaseVpc, retainDatabaseSecret } from '../shared/example-resources';
import { BackupTier, CompliantBackupSystem, CrossRegionDr } from 'cdk-compliant-backup';

/**
 * A web application in us-east-1 with DR in eu-west-1: its asset bucket is
 * replicated and its RDS PostgreSQL instance gets a cross-region read replica.
 */
export class WebAppPrimaryStack extends Stack {
  public readonly dr: CrossRegionDr;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const key = applicationKey(this, 'AppKey');
    // In-region daily backups; the DR RPO is carried by replication and the read replica.
    const backups = new CompliantBackupSystem(this, 'Backups', { tiers: [BackupTier.daily()], selectionTags: {} });

    const assets = new s3.Bucket(this, 'Assets', {
      // DR refers to replicated buckets by name across regions: give them one.
      bucketName: `webapp-assets-${this.account}-${this.region}`,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: backups.accessLogBucket,
      serverAccessLogsPrefix: 'assets/',
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    });
    acknowledgeApplicationBucket(assets, 'Assets are replaced on every release');

    const database = new rds.DatabaseInstance(this, 'Database', {
      instanceIdentifier: 'webapp-db',
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_6 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6G, ec2.InstanceSize.LARGE),
      vpc: databaseVpc(this, 'Vpc', backups.accessLogBucket),
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      port: 5433,
      credentials: rds.Credentials.fromGeneratedSecret('webapp_admin', { encryptionKey: key }),
      monitoringInterval: Duration.seconds(60),
      storageEncrypted: true,
      storageEncryptionKey: key,
      multiAz: true,
      deletionProtection: true,
      // Retain, not aws-cdk-lib's final snapshot: the database outlives a mistaken stack change.
      removalPolicy: RemovalPolicy.RETAIN,
      iamAuthentication: true,
      backupRetention: Duration.days(35),
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
    });
    retainDatabaseSecret(database);
    backups.protect(backup.BackupResource.fromRdsDatabaseInstance(database));
    acknowledgeExampleDatabase(database);

    this.dr = new CrossRegionDr(this, 'Dr', {
      drRegion: 'eu-west-1',
      rpo: Duration.minutes(15),
      rto: Duration.hours(2),
    });
    this.dr.replicateBucket(assets);
    this.dr.addRdsReadReplica(database);
  }
}
