import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CrossRegionDr } from 'cdk-compliant-backup';
import { Construct } from 'constructs';

/**
 * A web application in us-east-1 with DR in eu-west-1: its asset bucket is
 * replicated and its RDS PostgreSQL instance gets a cross-region read replica.
 */
export class WebAppPrimaryStack extends Stack {
  public readonly dr: CrossRegionDr;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    const assets = new s3.Bucket(this, 'Assets', {
      // DR refers to replicated buckets by name across regions: give them one.
      bucketName: `webapp-assets-${this.account}-${this.region}`,
      encryption: s3.BucketEncryption.S3_MANAGED,
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
    const database = new rds.DatabaseInstance(this, 'Database', {
      instanceIdentifier: 'webapp-db',
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6G, ec2.InstanceSize.LARGE),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      storageEncrypted: true,
      multiAz: true,
      deletionProtection: true,
      iamAuthentication: true,
      backupRetention: Duration.days(35),
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
    });

    this.dr = new CrossRegionDr(this, 'Dr', {
      drRegion: 'eu-west-1',
      rpo: Duration.minutes(15),
      rto: Duration.hours(2),
    });
    this.dr.replicateBucket(assets);
    this.dr.addRdsReadReplica(database);
  }
}
