import { Edge, constraint } from './edge';
import { AppModel } from '../cfn/app-model';

/**
 * Every resource type of the templates is either the source of edges the checker
 * discovers, or listed here as carrying no delivery of its own (with why). A type in
 * neither list is a finding: a new kind of resource is judged or explained, never
 * silently skipped.
 */
export const EDGE_SOURCE_TYPES = new Set([
  'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm', 'AWS::Events::Rule', 'AWS::Lambda::Function',
  'AWS::Lambda::EventInvokeConfig', 'AWS::Lambda::EventSourceMapping', 'AWS::Backup::BackupVault',
  'AWS::Backup::LogicallyAirGappedBackupVault', 'AWS::Backup::ReportPlan', 'AWS::Backup::BackupPlan',
  'AWS::Backup::BackupSelection', 'AWS::Backup::RestoreTestingSelection', 'AWS::Config::DeliveryChannel',
  'AWS::Config::ConfigurationRecorder', 'AWS::S3::Bucket', 'AWS::ARCRegionSwitch::Plan', 'AWS::EC2::FlowLog',
  'AWS::Logs::LogGroup', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::Route53::HealthCheck',
]);

export const NO_DELIVERY_TYPES: Record<string, string> = {
  'AWS::SNS::Topic': 'a target: judged as the target of each delivery into it',
  'AWS::SNS::TopicPolicy': 'a resource policy: read by every delivery into its topics',
  'AWS::SQS::Queue': 'a target: judged as the target of each delivery into it',
  'AWS::SQS::QueuePolicy': 'a resource policy: read by every delivery into its queues',
  'AWS::S3::BucketPolicy': 'a resource policy: read by every delivery into its bucket',
  'AWS::KMS::Key': 'a target: its key policy is read by every delivery that encrypts with it',
  'AWS::KMS::Alias': 'names a key: followed by every delivery that names the key by alias',
  'AWS::IAM::Role': 'an actor: judged where a service assumes it and where it acts',
  'AWS::IAM::ManagedPolicy': 'identity policy: read with the roles it is attached to',
  'AWS::IAM::Policy': 'identity policy: read with the roles it is attached to',
  'AWS::Lambda::Permission': 'resource policy of a function: read by every invocation of it',
  'AWS::Backup::Framework': 'evaluated by AWS Backup Audit Manager from AWS Config records; delivers nothing itself',
  'AWS::Backup::RestoreTestingPlan': 'its selections carry the role and resource type (judged there)',
  'AWS::CloudWatch::Dashboard': 'reads metrics in the console; delivers nothing',
  'AWS::DynamoDB::GlobalTable': 'replication runs as DynamoDB\'s service-linked role with grants made at deployment; not judged from the template',
  'AWS::DynamoDB::Table': 'stores data; delivers nothing (streams are judged through their event source mappings)',
  'AWS::RDS::DBSubnetGroup': 'network placement; delivers nothing',
  'AWS::RDS::GlobalCluster': 'storage-level replication inside Aurora; its failover is judged through the Region switch plan',
  'AWS::SecretsManager::Secret': 'replica regions are encrypted by Secrets Manager with the deployer\'s permissions; not judged from the template',
  'AWS::SecretsManager::SecretTargetAttachment': 'writes connection details into the secret at deployment; delivers nothing',
  'AWS::SSM::Parameter': 'a value read and written by the failover handler (its role\'s grants are unit-tested); delivers nothing',
  'AWS::EC2::VPC': 'network',
  'AWS::EC2::Subnet': 'network',
  'AWS::EC2::RouteTable': 'network',
  'AWS::EC2::Route': 'network',
  'AWS::EC2::SubnetRouteTableAssociation': 'network',
  'AWS::EC2::InternetGateway': 'network',
  'AWS::EC2::VPCGatewayAttachment': 'network',
  'AWS::EC2::NatGateway': 'network',
  'AWS::EC2::EIP': 'network',
  'AWS::EC2::SecurityGroup': 'network',
  'AWS::EC2::SecurityGroupIngress': 'network',
  'AWS::EC2::SecurityGroupEgress': 'network',
  'AWS::CDK::Metadata': 'CDK version reporting',
  'Custom::VpcRestrictDefaultSG': 'CloudFormation invokes its provider with the deploying principal\'s permissions at deployment',
  'AWS::RAM::ResourceShare': 'a grant of access to other accounts; no service delivers anything through it',
  'AWS::Organizations::Policy': 'applied by AWS Organizations to the targets it is attached to; AWS Backup reads it in each member account',
  'AWS::CloudFormation::StackSet': 'deployed by CloudFormation StackSets with its service-managed roles; its member template is judged as a stack of its own (synth/synthesize-apps.ts)',
  'AWS::Organizations::ResourcePolicy': 'a grant to the delegated administrator; no delivery',
  'Custom::S3AutoDeleteObjects': 'CloudFormation invokes its provider (RemovalPolicy.DESTROY) with the deploying principal\'s permissions when the stack is deleted',
  'AWS::Backup::TieringConfiguration': 'a storage setting AWS Backup applies inside the vault itself; no role, no delivery',
  'AWS::Backup::LegalHold': 'AWS Backup keeps the named vaults\' recovery points from deletion; no role, no key use, no delivery',
};

/** A finding for every resource type the checker neither judges nor explains. */
export function unjudgedTypeEdges(app: AppModel): Edge[] {
  const seen = new Set<string>();
  const edges: Edge[] = [];
  for (const resource of app.resources) {
    if (EDGE_SOURCE_TYPES.has(resource.type) || resource.type in NO_DELIVERY_TYPES || seen.has(resource.type)) continue;
    seen.add(resource.type);
    edges.push({
      kind: 'resource type without a rule',
      source: resource,
      target: resource.type,
      checks: [constraint(false, `no rule of the checker judges ${resource.type}, and it is not listed as carrying no delivery (test/judges/delivery/coverage.ts)`)],
    });
  }
  return edges;
}

/** A health check that nothing reads (no record set, alarm or plan names it) changes nothing when it fails. */
export function healthCheckEdges(app: AppModel): Edge[] {
  return app.ofType('AWS::Route53::HealthCheck').map((check) => {
    const id = check.ref;
    const readers = app.resources.filter((r) => r !== check && JSON.stringify(r.props).includes(id));
    return {
      kind: 'health check consumer',
      source: check,
      target: readers.length > 0 ? readers.map((r) => r.describe(check.stack)).join(', ') : '(nothing)',
      checks: [constraint(readers.length > 0, `health check ${check.logicalId} is read by no record set, alarm or plan of this app: its result changes nothing`)],
    };
  });
}
