import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CrossRegionDr } from 'cdk-compliant-backup';
import { Construct } from 'constructs';

/**
 * A healthcare workload in ap-southeast-1 with DR in ap-southeast-2: RPO 15
 * minutes, RTO 1 hour. Patient documents are replicated with RTC, the Aurora
 * PostgreSQL cluster gets a global secondary, and the runbook fails both over.
 */
export class HealthcarePrimaryStack extends Stack {
  public readonly dr: CrossRegionDr;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const key = new kms.Key(this, 'PatientDataKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    const documents = new s3.Bucket(this, 'PatientDocuments', {
      // DR refers to replicated buckets by name across regions: give them one.
      bucketName: `patient-documents-${this.account}-${this.region}`,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
    });

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs() } },
    });
    const records = new rds.DatabaseCluster(this, 'PatientRecords', {
      clusterIdentifier: 'patient-records',
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) }),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      storageEncrypted: true,
      storageEncryptionKey: key,
      deletionProtection: true,
      iamAuthentication: true,
      backup: { retention: Duration.days(35) },
      cloudwatchLogsExports: ['postgresql'],
    });

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
