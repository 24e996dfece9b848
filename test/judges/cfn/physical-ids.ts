import * as crypto from 'crypto';

/**
 * What `Ref` and `Fn::GetAtt` return for a resource once deployed, in the formats
 * AWS uses (CloudFormation resource reference, "Return values" of each type).
 * Names that CloudFormation would generate are made up deterministically from the
 * stack name and logical id; explicit names are used as written.
 */

export interface StackEnv {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
  readonly stackName: string;
}

/** How `Ref` and the attributes of one resource resolve. */
export interface PhysicalIdentity {
  readonly ref: string;
  readonly attributes: Record<string, string>;
}

/** Reads a (resolved) property of the resource; undefined when absent. */
export type PropertyReader = (name: string) => unknown;

export function partitionOf(region: string): { partition: string; urlSuffix: string } {
  if (region.startsWith('cn-')) return { partition: 'aws-cn', urlSuffix: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { partition: 'aws-us-gov', urlSuffix: 'amazonaws.com' };
  return { partition: 'aws', urlSuffix: 'amazonaws.com' };
}

function hash(...parts: string[]): string {
  return crypto.createHash('sha256').update(parts.join('/')).digest('hex');
}

/** A name CloudFormation would generate: `<stack>-<logical id>-<suffix>`, cut to `max`. */
function generatedName(env: StackEnv, logicalId: string, max: number, lower = false): string {
  const suffix = hash(env.stackName, logicalId).slice(0, 12).toUpperCase();
  const base = `${env.stackName}-${logicalId}`.slice(0, Math.max(1, max - suffix.length - 1));
  const name = `${base}-${suffix}`;
  return lower ? name.toLowerCase().replace(/[^a-z0-9.-]/g, '-') : name;
}

function uuid(env: StackEnv, logicalId: string): string {
  const h = hash(env.stackName, logicalId, 'uuid');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

type Identify = (env: StackEnv, logicalId: string, prop: PropertyReader) => PhysicalIdentity;

const arn = (env: StackEnv, service: string, resource: string, region = env.region, account = env.account) =>
  `arn:${env.partition}:${service}:${region}:${account}:${resource}`;

const IDENTITIES: Record<string, Identify> = {
  'AWS::SNS::Topic': (env, id, prop) => {
    const name = str(prop('TopicName')) ?? generatedName(env, id, 256);
    const topicArn = arn(env, 'sns', name);
    return { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
  },
  'AWS::SQS::Queue': (env, id, prop) => {
    const name = str(prop('QueueName')) ?? `${generatedName(env, id, 75)}${prop('FifoQueue') === true ? '.fifo' : ''}`;
    const url = `https://sqs.${env.region}.${env.urlSuffix}/${env.account}/${name}`;
    return { ref: url, attributes: { Arn: arn(env, 'sqs', name), QueueName: name, QueueUrl: url } };
  },
  'AWS::KMS::Key': (env, id) => {
    const keyId = uuid(env, id);
    return { ref: keyId, attributes: { Arn: arn(env, 'kms', `key/${keyId}`), KeyId: keyId } };
  },
  'AWS::KMS::Alias': (_env, id, prop) => ({ ref: str(prop('AliasName')) ?? `alias/${id}`, attributes: {} }),
  'AWS::S3::Bucket': (env, id, prop) => {
    const name = str(prop('BucketName')) ?? generatedName(env, id, 63, true);
    return {
      ref: name,
      attributes: {
        Arn: `arn:${env.partition}:s3:::${name}`,
        DomainName: `${name}.s3.${env.urlSuffix}`,
        RegionalDomainName: `${name}.s3.${env.region}.${env.urlSuffix}`,
        DualStackDomainName: `${name}.s3.dualstack.${env.region}.${env.urlSuffix}`,
        WebsiteURL: `http://${name}.s3-website-${env.region}.${env.urlSuffix}`,
      },
    };
  },
  'AWS::Lambda::Function': (env, id, prop) => {
    const name = str(prop('FunctionName')) ?? generatedName(env, id, 64);
    return { ref: name, attributes: { Arn: arn(env, 'lambda', `function:${name}`) } };
  },
  'AWS::IAM::Role': (env, id, prop) => {
    const name = str(prop('RoleName')) ?? generatedName(env, id, 64);
    const rolePath = str(prop('Path')) ?? '/';
    return {
      ref: name,
      attributes: { Arn: `arn:${env.partition}:iam::${env.account}:role${rolePath}${name}`, RoleId: `AROA${hash(env.stackName, id).slice(0, 17).toUpperCase()}` },
    };
  },
  'AWS::IAM::ManagedPolicy': (env, id, prop) => {
    const name = str(prop('ManagedPolicyName')) ?? generatedName(env, id, 128);
    const policyArn = `arn:${env.partition}:iam::${env.account}:policy${str(prop('Path')) ?? '/'}${name}`;
    return { ref: policyArn, attributes: { PolicyArn: policyArn } };
  },
  'AWS::Events::Rule': (env, id, prop) => {
    const name = str(prop('Name')) ?? generatedName(env, id, 64);
    const bus = str(prop('EventBusName'));
    const ruleArn = arn(env, 'events', bus && bus !== 'default' && !bus.startsWith('arn:') ? `rule/${bus}/${name}` : `rule/${name}`);
    return { ref: name, attributes: { Arn: ruleArn } };
  },
  'AWS::CloudWatch::Alarm': (env, id, prop) => {
    const name = str(prop('AlarmName')) ?? generatedName(env, id, 255);
    return { ref: name, attributes: { Arn: arn(env, 'cloudwatch', `alarm:${name}`) } };
  },
  'AWS::Logs::LogGroup': (env, id, prop) => {
    const name = str(prop('LogGroupName')) ?? generatedName(env, id, 512);
    return { ref: name, attributes: { Arn: arn(env, 'logs', `log-group:${name}:*`) } };
  },
  'AWS::Backup::BackupVault': (env, id, prop) => {
    const name = str(prop('BackupVaultName')) ?? generatedName(env, id, 50);
    return { ref: name, attributes: { BackupVaultName: name, BackupVaultArn: arn(env, 'backup', `backup-vault:${name}`) } };
  },
  'AWS::Backup::LogicallyAirGappedBackupVault': (env, id, prop) => {
    const name = str(prop('BackupVaultName')) ?? generatedName(env, id, 50);
    return {
      ref: name,
      attributes: { BackupVaultName: name, BackupVaultArn: arn(env, 'backup', `backup-vault:${name}`), VaultState: 'AVAILABLE', VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT' },
    };
  },
  'AWS::Backup::BackupPlan': (env, id) => {
    const planId = uuid(env, id);
    return { ref: planId, attributes: { BackupPlanId: planId, BackupPlanArn: arn(env, 'backup', `backup-plan:${planId}`), VersionId: hash(id).slice(0, 32) } };
  },
  'AWS::Backup::BackupSelection': (env, id) => ({ ref: uuid(env, id), attributes: { SelectionId: uuid(env, id), BackupPlanId: '', Id: uuid(env, id) } }),
  'AWS::Backup::Framework': (env, id, prop) => {
    const frameworkArn = arn(env, 'backup', `framework:${str(prop('FrameworkName')) ?? id}-${uuid(env, id)}`);
    return { ref: frameworkArn, attributes: { FrameworkArn: frameworkArn } };
  },
  'AWS::Backup::ReportPlan': (env, id, prop) => {
    const planArn = arn(env, 'backup', `report-plan:${str(prop('ReportPlanName')) ?? id}-${uuid(env, id)}`);
    return { ref: planArn, attributes: { ReportPlanArn: planArn } };
  },
  'AWS::Backup::RestoreTestingPlan': (env, id, prop) => {
    const name = str(prop('RestoreTestingPlanName')) ?? id;
    return { ref: name, attributes: { RestoreTestingPlanArn: arn(env, 'backup', `restore-testing-plan:${name}-${uuid(env, id)}`) } };
  },
  'AWS::ARCRegionSwitch::Plan': (env, id, prop) => {
    const planArn = `arn:${env.partition}:arc-region-switch::${env.account}:plan/${str(prop('Name')) ?? id}/${hash(id).slice(0, 6)}`;
    return { ref: planArn, attributes: { Arn: planArn } };
  },
  'AWS::RDS::DBCluster': (env, id, prop) => {
    const name = (str(prop('DBClusterIdentifier')) ?? generatedName(env, id, 63, true)).toLowerCase();
    return {
      ref: name,
      attributes: {
        'DBClusterArn': arn(env, 'rds', `cluster:${name}`),
        'Endpoint.Address': `${name}.cluster-abc.${env.region}.rds.${env.urlSuffix}`,
        'Endpoint.Port': '5432',
        'ReadEndpoint.Address': `${name}.cluster-ro-abc.${env.region}.rds.${env.urlSuffix}`,
        'DBClusterResourceId': `cluster-${hash(id).slice(0, 26).toUpperCase()}`,
      },
    };
  },
  'AWS::RDS::DBInstance': (env, id, prop) => {
    const name = (str(prop('DBInstanceIdentifier')) ?? generatedName(env, id, 63, true)).toLowerCase();
    return {
      ref: name,
      attributes: {
        'DBInstanceArn': arn(env, 'rds', `db:${name}`),
        'Endpoint.Address': `${name}.abc.${env.region}.rds.${env.urlSuffix}`,
        'Endpoint.Port': '5432',
        'DbiResourceId': `db-${hash(id).slice(0, 26).toUpperCase()}`,
      },
    };
  },
  'AWS::RDS::GlobalCluster': (env, id, prop) => ({ ref: str(prop('GlobalClusterIdentifier')) ?? generatedName(env, id, 63, true), attributes: {} }),
  'AWS::RDS::DBSubnetGroup': (env, id, prop) => ({ ref: (str(prop('DBSubnetGroupName')) ?? generatedName(env, id, 255, true)).toLowerCase(), attributes: {} }),
  'AWS::DynamoDB::Table': (env, id, prop) => {
    const name = str(prop('TableName')) ?? generatedName(env, id, 255);
    const tableArn = arn(env, 'dynamodb', `table/${name}`);
    return { ref: name, attributes: { Arn: tableArn, StreamArn: `${tableArn}/stream/2026-01-01T00:00:00.000` } };
  },
  'AWS::DynamoDB::GlobalTable': (env, id, prop) => {
    const name = str(prop('TableName')) ?? generatedName(env, id, 255);
    const tableArn = arn(env, 'dynamodb', `table/${name}`);
    return { ref: name, attributes: { Arn: tableArn, StreamArn: `${tableArn}/stream/2026-01-01T00:00:00.000`, TableId: uuid(env, id) } };
  },
  'AWS::SSM::Parameter': (env, id, prop) => {
    const name = str(prop('Name')) ?? generatedName(env, id, 2048);
    return { ref: name, attributes: { Type: String(prop('Type') ?? 'String'), Value: String(prop('Value') ?? '') } };
  },
  'AWS::SecretsManager::Secret': (env, id, prop) => {
    const secretArn = arn(env, 'secretsmanager', `secret:${str(prop('Name')) ?? generatedName(env, id, 256)}-AbCdEf`);
    return { ref: secretArn, attributes: { Id: secretArn } };
  },
  'AWS::CloudWatch::Dashboard': (env, id, prop) => ({ ref: str(prop('DashboardName')) ?? generatedName(env, id, 255), attributes: {} }),
  'AWS::Config::ConfigurationRecorder': (env, id, prop) => ({ ref: str(prop('Name')) ?? generatedName(env, id, 256), attributes: {} }),
  'AWS::Config::DeliveryChannel': (env, id, prop) => ({ ref: str(prop('Name')) ?? generatedName(env, id, 256), attributes: {} }),
  'AWS::EC2::VPC': (env, id) => ({
    ref: `vpc-${hash(env.stackName, id).slice(0, 17)}`,
    attributes: { CidrBlock: '10.0.0.0/16', DefaultSecurityGroup: `sg-${hash(env.stackName, id, 'sg').slice(0, 17)}`, VpcId: `vpc-${hash(env.stackName, id).slice(0, 17)}` },
  }),
  'AWS::EC2::SecurityGroup': (env, id) => ({ ref: `sg-${hash(env.stackName, id).slice(0, 17)}`, attributes: { GroupId: `sg-${hash(env.stackName, id).slice(0, 17)}` } }),
  'AWS::EC2::Subnet': (env, id) => ({ ref: `subnet-${hash(env.stackName, id).slice(0, 17)}`, attributes: { SubnetId: `subnet-${hash(env.stackName, id).slice(0, 17)}` } }),
  'AWS::EC2::FlowLog': (env, id) => ({ ref: `fl-${hash(env.stackName, id).slice(0, 17)}`, attributes: { Id: `fl-${hash(env.stackName, id).slice(0, 17)}` } }),
  'AWS::Route53::HealthCheck': (env, id) => ({ ref: uuid(env, id), attributes: { HealthCheckId: uuid(env, id) } }),
};

/**
 * The deployed identity of a resource. Types without an entry get a stable
 * placeholder (never an ARN), so that a delivery into one is reported as unresolved.
 */
export function physicalIdentity(type: string, env: StackEnv, logicalId: string, prop: PropertyReader): PhysicalIdentity {
  const identify = IDENTITIES[type];
  if (identify) return identify(env, logicalId, prop);
  return { ref: `${logicalId}-${hash(env.stackName, logicalId).slice(0, 12)}`, attributes: {} };
}

/** Whether the type's attributes are known to the resolver (an unknown attribute is then an unresolved value). */
export function knowsType(type: string): boolean {
  return type in IDENTITIES;
}
