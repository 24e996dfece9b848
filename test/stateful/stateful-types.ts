/**
 * Which CloudFormation resource types are stateful: replacing one (a new logical ID, a
 * changed type, a stack renamed) or deleting it loses data that nothing in the template
 * can bring back. The pinned-logical-ID manifest (manifest.test.ts), the Retain check
 * (retain.test.ts) and the identity regression tests (identity.test.ts) all read this
 * one table.
 *
 * Every resource type that appears in the synthesized apps is either here or in
 * NOT_STATEFUL with the reason it is not, so a new type is a deliberate decision
 * (manifest.test.ts checks it).
 */

export interface StatefulType {
  /** What replacing or deleting a resource of this type loses, as the failure messages say it. */
  readonly loses: string;
}

export const STATEFUL_TYPES: Readonly<Record<string, StatefulType>> = {
  // The library's own reason to exist.
  'AWS::Backup::BackupVault': {
    loses: 'all recovery points in the vault become unreachable from the stack (the new vault starts empty; the old one, still '
      + 'locked, is deleted only once empty, and its name blocks a new vault of the same name)',
  },
  'AWS::Backup::LogicallyAirGappedBackupVault': {
    loses: 'all recovery points in the air-gapped vault become unreachable from the stack, with their RAM shares (the new vault '
      + 'starts empty; the old one keeps its points until their lock allows deletion)',
  },
  'AWS::KMS::Key': {
    loses: 'the key: data encrypted with it (recovery points, objects, items, secrets, logs) cannot be decrypted after the '
      + 'deletion window (7-30 days)',
  },
  'AWS::KMS::ReplicaKey': {
    loses: 'the replica key: data encrypted with it in its region cannot be decrypted after the deletion window (7-30 days)',
  },
  'AWS::S3::Bucket': {
    loses: 'all objects and object versions in the bucket (the new bucket starts empty; an object-locked old one cannot be '
      + 'emptied before its retention ends)',
  },
  'AWS::DynamoDB::Table': { loses: 'all items in the table and its point-in-time-recovery history' },
  'AWS::DynamoDB::GlobalTable': {
    loses: 'all items in the table and in every replica region, and the point-in-time-recovery history',
  },
  'AWS::RDS::DBCluster': {
    loses: 'the cluster\'s data and its automated backups (only a final snapshot survives, and only with DeletionPolicy Snapshot)',
  },
  'AWS::RDS::DBInstance': {
    loses: 'a standalone instance\'s data and automated backups, or a cluster member\'s endpoint (its data lives in the cluster); '
      + 'a read replica must copy its whole source again',
  },
  'AWS::RDS::GlobalCluster': {
    loses: 'the global database: its secondary clusters are detached, and a new one copies all data to the DR region again, '
      + 'leaving the DR region without a replica meanwhile',
  },
  'AWS::SecretsManager::Secret': {
    loses: 'the secret\'s value and versions (generated credentials are generated anew; whatever holds the old value, DR '
      + 'replicas included, stops working)',
  },
  'AWS::Logs::LogGroup': { loses: 'all log events in the group (the handlers\' audit trail, flow logs, database logs)' },
  'AWS::Backup::RestoreTestingPlan': {
    loses: 'the record of tested restores: restore-testing jobs and their validation results are filed under the old plan\'s '
      + 'ARN, and the new plan starts with none',
  },
  'AWS::Backup::Framework': {
    loses: 'the compliance history: control evaluations belong to the old framework\'s ARN, which control-compliance reports '
      + 'cite; the new framework starts evaluating from nothing',
  },
  'AWS::Backup::ReportPlan': {
    loses: 'the report-job history, which is listed per report plan (reports already delivered stay in the bucket)',
  },
  'AWS::Backup::LegalHold': {
    loses: 'the hold itself: replacing it creates a new hold and cancels the old one, so for a moment nothing keeps the held '
      + 'recovery points from deletion, and the hold\'s ARN and creation date that counsel cites change',
  },
  // Decided here beyond the list.
  'AWS::SSM::Parameter': {
    loses: 'the value written at runtime (the failover runbook\'s active region): the new parameter starts from the template\'s '
      + 'value, which after a failover names the wrong region',
  },
  'AWS::CloudFormation::StackSet': {
    loses: 'every stack instance: CloudFormation deletes the member stacks (vaults, keys, roles) in every account and region '
      + 'before the new StackSet deploys empty ones',
  },
  // Types AWS Backup protects that users add next to the library (none in the apps today).
  'AWS::EFS::FileSystem': { loses: 'all files in the file system' },
  'AWS::FSx::FileSystem': { loses: 'all files in the file system' },
  'AWS::EC2::Volume': { loses: 'all data on the volume' },
  'AWS::DocDB::DBCluster': { loses: 'the cluster\'s data and its automated backups' },
  'AWS::Neptune::DBCluster': { loses: 'the cluster\'s data and its automated backups' },
  'AWS::Redshift::Cluster': { loses: 'the cluster\'s data and its automated snapshots' },
};

/** Types in the apps that are not stateful, and why: replacing one loses no data. */
export const NOT_STATEFUL: Readonly<Record<string, string>> = {
  'AWS::SQS::Queue': 'transient: events in flight and dead letters awaiting inspection (each dead letter has already raised '
    + 'its alarm); the catalog reconciler re-reads backup jobs by time window',
  'AWS::SQS::QueuePolicy': 'configuration',
  'AWS::SNS::Topic': 'configuration: subscriptions are declared in the template or by the owner; messages are not stored',
  'AWS::SNS::TopicPolicy': 'configuration',
  'AWS::KMS::Alias': 'a name pointing to a key; the key is pinned',
  'AWS::S3::BucketPolicy': 'configuration',
  'AWS::Backup::BackupPlan': 'configuration: recovery points belong to vaults, not to the plan',
  'AWS::Backup::BackupSelection': 'configuration',
  'AWS::Backup::RestoreTestingSelection': 'configuration; the history belongs to the restore testing plan',
  'AWS::Backup::TieringConfiguration': 'configuration: recovery points stay in the vault, and the tier they are in does not change on replacement',
  'AWS::CloudWatch::Alarm': 'configuration; alarm history is transient (14 days)',
  'AWS::CloudWatch::Dashboard': 'configuration',
  'AWS::Config::ConfigurationRecorder': 'configuration: configuration history is delivered to a bucket, which is pinned',
  'AWS::Config::DeliveryChannel': 'configuration',
  'AWS::Events::Rule': 'configuration',
  'AWS::IAM::Role': 'configuration',
  'AWS::IAM::ManagedPolicy': 'configuration',
  'AWS::Lambda::Function': 'code and configuration from the template; its logs are in a pinned log group',
  'AWS::Lambda::Permission': 'configuration',
  'AWS::Lambda::EventSourceMapping': 'configuration; the queue keeps unprocessed messages',
  'AWS::RDS::DBSubnetGroup': 'configuration',
  'AWS::SecretsManager::SecretTargetAttachment': 'configuration',
  'AWS::Route53::HealthCheck': 'configuration',
  'AWS::ARCRegionSwitch::Plan': 'configuration: the runbook is rendered from the template',
  'AWS::Organizations::Policy': 'configuration: AWS Backup re-creates the member plans from the policy; recovery points stay in the vaults',
  'AWS::RAM::ResourceShare': 'configuration: sharing of a vault, which is pinned',
  'AWS::EC2::VPC': 'network configuration',
  'AWS::EC2::Subnet': 'network configuration',
  'AWS::EC2::RouteTable': 'network configuration',
  'AWS::EC2::Route': 'network configuration',
  'AWS::EC2::SubnetRouteTableAssociation': 'network configuration',
  'AWS::EC2::SecurityGroup': 'network configuration',
  'AWS::EC2::InternetGateway': 'network configuration',
  'AWS::EC2::VPCGatewayAttachment': 'network configuration',
  'AWS::EC2::NatGateway': 'network configuration',
  'AWS::EC2::EIP': 'an address, not data (allow-lists that name it need updating)',
  'AWS::EC2::FlowLog': 'configuration; the logs go to a pinned log group or bucket',
  'Custom::S3AutoDeleteObjects': 'a deploy-time action, holds nothing',
  'Custom::VpcRestrictDefaultSG': 'a deploy-time action, holds nothing',
};

export function isStateful(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(STATEFUL_TYPES, type);
}

/** What replacing or deleting a resource of `type` loses; undefined when it is not stateful. */
export function whatIsLost(type: string): string | undefined {
  return STATEFUL_TYPES[type]?.loses;
}
