import { Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeApplicationBucket, acknowledgeExampleDatabase, applicationKey, databaseVpc, retainDatabaseSecret } from '../shared/example-resources';
import { BackupTier, CompliantBackupSystem, CrossRegionDr } from 'cdk-compliant-backup';

/**
 * A healthcare workload in ap-southeast-1 with DR in ap-southeast-2: RPO 15
 * minutes, RTO 1 hour. Patient documents are replicated with RTC, the Aurora
 * PostgreSQL cluster gets a global secondary, and the runbook fails both over.
 */
export class HealthcarePrimaryStack extends Stack {
  public readonly dr: CrossRegionDr;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const key = applicationKey(this, 'PatientDataKey');
    // In-region backups (point-in-time recovery); the DR RPO is carried by replication and Aurora global.
    const backups = new CompliantBackupSystem(this, 'Backups', { tiers: [BackupTier.daily()] });

    const documents = new s3.Bucket(this, 'PatientDocuments', {
      // DR refers to replicated buckets by name across regions: give them one.
      bucketName: `patient-documents-${this.account}-${this.region}`,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: backups.accessLogBucket,
      serverAccessLogsPrefix: 'patient-documents/',
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    });
    acknowledgeApplicationBucket(documents, 'Patient documents are corrected in place');

    const records = new rds.DatabaseCluster(this, 'PatientRecords', {
      clusterIdentifier: 'patient-records',
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) }),
      vpc: databaseVpc(this, 'Vpc', backups.accessLogBucket),
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      port: 5433,
      credentials: rds.Credentials.fromGeneratedSecret('records_admin', { encryptionKey: key }),
      monitoringInterval: Duration.seconds(60),
      storageEncrypted: true,
      storageEncryptionKey: key,
      deletionProtection: true,
      // Retain, not aws-cdk-lib's final snapshot: the database outlives a mistaken stack change.
      removalPolicy: RemovalPolicy.RETAIN,
      iamAuthentication: true,
      backup: { retention: Duration.days(35) },
      cloudwatchLogsExports: ['postgresql'],
    });
    retainDatabaseSecret(records);
    backups.protect(backup.BackupResource.fromRdsDatabaseCluster(records));
    acknowledgeExampleDatabase(records);
    Validations.of(records.node.findChild('Writer')).acknowledge(...['HIPAA.Security', 'NIST.800.53.R5'].map((pack) => ({
      id: `${pack}-RDSInBackupPlan`,
      reason: 'Aurora instances are backed up through their cluster, which the backup plan protects.',
    })));

    this.dr = new CrossRegionDr(this, 'Dr', {
      drRegion: 'ap-southeast-2',
      rpo: Duration.minutes(15),
      rto: Duration.hours(1),
      replicateBuckets: [documents],
      failover: { healthCheckDomainName: 'portal.example-health.com', healthCheckPath: '/health' },
    });
    this.dr.addAuroraGlobalCluster(records);
  }
}
