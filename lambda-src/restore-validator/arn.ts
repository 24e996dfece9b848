/**
 * Pure ARN parsing for the resources a restore job creates, and the choice of check.
 *
 * ARN formats (every partition: aws, aws-cn, aws-us-gov, ...):
 * - S3 bucket:        arn:aws:s3:::bucket-name
 * - DynamoDB table:   arn:aws:dynamodb:region:account:table/name
 * - EBS volume:       arn:aws:ec2:region:account:volume/vol-0123456789abcdef0
 * - RDS DB instance:  arn:aws:rds:region:account:db:identifier
 * - RDS/Aurora cluster: arn:aws:rds:region:account:cluster:identifier
 */

export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Splits an ARN into its six parts; undefined when it is not one. The resource part may itself contain ':'. */
export function parseArn(arn: string | undefined): Arn | undefined {
  if (typeof arn !== 'string') return undefined;
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !parts[1] || !parts[2]) return undefined;
  const resource = parts.slice(5).join(':');
  if (!resource) return undefined;
  return { partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource };
}

// S3 bucket names: 3-63 characters of lowercase letters, digits, dots and hyphens.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `arn:aws:s3:::bucket` → `bucket` (an object ARN `bucket/key` yields its bucket). */
export function s3BucketName(arn: string | undefined): string | undefined {
  const a = parseArn(arn);
  if (!a || a.service !== 's3' || a.region !== '' || a.account !== '') return undefined;
  const bucket = a.resource.split('/', 1)[0];
  return BUCKET_NAME.test(bucket) ? bucket : undefined;
}

// DynamoDB table names: 3-255 characters of letters, digits, '_', '-', '.'.
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** `arn:aws:dynamodb:region:account:table/name` → `name` (a stream or index ARN yields its table). */
export function dynamoDbTableName(arn: string | undefined): string | undefined {
  const a = parseArn(arn);
  if (!a || a.service !== 'dynamodb' || !a.resource.startsWith('table/')) return undefined;
  const name = a.resource.slice('table/'.length).split('/', 1)[0];
  return TABLE_NAME.test(name) ? name : undefined;
}

/** `arn:aws:ec2:region:account:volume/vol-…` → `vol-…`. */
export function ebsVolumeId(arn: string | undefined): string | undefined {
  const a = parseArn(arn);
  if (!a || a.service !== 'ec2') return undefined;
  const m = /^volume\/(vol-[0-9a-f]+)$/.exec(a.resource);
  return m ? m[1] : undefined;
}

export type RdsResource =
  | { readonly kind: 'instance'; readonly id: string }
  | { readonly kind: 'cluster'; readonly id: string };

// RDS identifiers: a letter, then letters, digits and single hyphens, up to 63 characters.
const RDS_IDENTIFIER = /^[A-Za-z][A-Za-z0-9-]{0,62}$/;

/** `…:rds:…:db:id` → instance `id`; `…:rds:…:cluster:id` → cluster `id`. */
export function rdsResource(arn: string | undefined): RdsResource | undefined {
  const a = parseArn(arn);
  if (!a || a.service !== 'rds') return undefined;
  const m = /^(db|cluster):([^:/]+)$/.exec(a.resource);
  if (!m || !RDS_IDENTIFIER.test(m[2])) return undefined;
  return m[1] === 'db' ? { kind: 'instance', id: m[2] } : { kind: 'cluster', id: m[2] };
}

/** What the handler checks: one variant per supported kind of restored resource. */
export type ValidationTarget =
  | { readonly check: 'S3_BUCKET'; readonly arn: string; readonly bucket: string }
  | { readonly check: 'DYNAMODB_TABLE'; readonly arn: string; readonly table: string }
  | { readonly check: 'EBS_VOLUME'; readonly arn: string; readonly volumeId: string }
  | { readonly check: 'RDS_INSTANCE'; readonly arn: string; readonly instanceId: string }
  | { readonly check: 'RDS_CLUSTER'; readonly arn: string; readonly clusterId: string };

export type TargetResolution =
  | { readonly supported: true; readonly resourceType: string; readonly target: ValidationTarget }
  | { readonly supported: false; readonly resourceType: string; readonly reason: string };

/** AWS Backup resource types this handler validates. Everything else is reported as not validated. */
export const SUPPORTED_RESOURCE_TYPES: readonly string[] = ['S3', 'DynamoDB', 'EBS', 'RDS', 'Aurora'];

/** The AWS Backup resource type an ARN implies, for events that do not name one. */
export function inferResourceType(arn: string | undefined): string | undefined {
  if (s3BucketName(arn)) return 'S3';
  if (dynamoDbTableName(arn)) return 'DynamoDB';
  if (ebsVolumeId(arn)) return 'EBS';
  const rds = rdsResource(arn);
  if (rds) return rds.kind === 'instance' ? 'RDS' : 'Aurora';
  return undefined;
}

/**
 * Chooses the check for a restored resource from its AWS Backup resource type (the event's
 * `resourceType`, else inferred from the ARN) and its ARN. A type and ARN that disagree are
 * not validated: checking the wrong kind of resource would prove nothing.
 */
export function resolveTarget(resourceType: string | undefined, createdResourceArn: string): TargetResolution {
  const type = resourceType?.trim() || inferResourceType(createdResourceArn) || 'UNKNOWN';
  const mismatch = (expected: string): TargetResolution => ({
    supported: false,
    resourceType: type,
    reason: `resource type ${type} but the created resource ARN is not ${expected}: ${createdResourceArn}`,
  });
  switch (type) {
    case 'S3': {
      const bucket = s3BucketName(createdResourceArn);
      return bucket ? { supported: true, resourceType: type, target: { check: 'S3_BUCKET', arn: createdResourceArn, bucket } } : mismatch('an S3 bucket ARN');
    }
    case 'DynamoDB': {
      const table = dynamoDbTableName(createdResourceArn);
      return table ? { supported: true, resourceType: type, target: { check: 'DYNAMODB_TABLE', arn: createdResourceArn, table } } : mismatch('a DynamoDB table ARN');
    }
    case 'EBS': {
      const volumeId = ebsVolumeId(createdResourceArn);
      return volumeId ? { supported: true, resourceType: type, target: { check: 'EBS_VOLUME', arn: createdResourceArn, volumeId } } : mismatch('an EBS volume ARN');
    }
    // RDS covers DB instances and Multi-AZ DB clusters; Aurora restores create a DB cluster.
    case 'RDS':
    case 'Aurora': {
      const rds = rdsResource(createdResourceArn);
      if (!rds) return mismatch('an RDS DB instance or cluster ARN');
      return rds.kind === 'instance'
        ? { supported: true, resourceType: type, target: { check: 'RDS_INSTANCE', arn: createdResourceArn, instanceId: rds.id } }
        : { supported: true, resourceType: type, target: { check: 'RDS_CLUSTER', arn: createdResourceArn, clusterId: rds.id } };
    }
    default:
      return {
        supported: false,
        resourceType: type,
        reason: `no validation check for resource type ${type} (checked types: ${SUPPORTED_RESOURCE_TYPES.join(', ')})`,
      };
  }
}
