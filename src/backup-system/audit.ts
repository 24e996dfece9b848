import { Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AuditOptions, ReportFormat, ReportTemplate } from './audit-options';
import { KeyProvider, keyFor } from '../private/key-provider';
import { createSecureBucket } from '../private/secure-bucket';
import { checkAuditName } from '../validation/audit';

/** Templates that report on frameworks, and so take framework ARNs. */
const COMPLIANCE_TEMPLATES = new Set<string>([ReportTemplate.CONTROL_COMPLIANCE_REPORT, ReportTemplate.RESOURCE_COMPLIANCE_REPORT]);

/** The role AWS Backup Audit Manager delivers reports as. It exists only after the first report. */
export function reportDeliveryRoleArn(stack: Stack): string {
  return `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports`;
}

/**
 * Conditions that grant to the report-delivery service-linked role without naming
 * it as a principal: a principal that does not exist yet fails the deployment on a
 * fresh account, a condition does not. An account principal would not work either:
 * it delegates to the role's own policy, which has no s3:PutObject.
 */
function reportDeliveryConditions(stack: Stack): Record<string, any> {
  return {
    StringEquals: { 'aws:PrincipalAccount': stack.account },
    ArnEquals: { 'aws:PrincipalArn': reportDeliveryRoleArn(stack) },
  };
}

export interface ReportStorage {
  readonly bucket: s3.IBucket;
  readonly key?: kms.IKey;
}

/** The encrypted, locked-down bucket that receives audit reports. */
export function createReportStorage(
  scope: Construct, options: AuditOptions, accessLogBucket: s3.IBucket, removalPolicy: RemovalPolicy, keys?: KeyProvider,
): ReportStorage {
  if (options.reportBucket) return { bucket: options.reportBucket };
  const stack = Stack.of(scope);
  const key = keyFor(scope, { keys, removalPolicy }, 'ReportKey', `Encrypts AWS Backup audit reports of ${scope.node.path}`);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowBackupReportDelivery',
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'],
    conditions: reportDeliveryConditions(stack),
  }));
  const bucket = createSecureBucket(scope, 'ReportBucket', {
    encryptionKey: key,
    serverAccessLogsBucket: accessLogBucket,
    serverAccessLogsPrefix: 'report-bucket/',
    removalPolicy,
    objectLock: options.reportObjectLockRetention
      ? { mode: s3.ObjectLockMode.GOVERNANCE, retention: options.reportObjectLockRetention }
      : undefined,
    noObjectLockReason: 'Object lock on the report bucket is opt-in (audit.reportObjectLockRetention): AWS does not '
      + 'document report delivery into an object-locked bucket. Versioning keeps every report version.',
  });
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowBackupReportDelivery',
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: {
      ...reportDeliveryConditions(stack),
      StringEquals: { 'aws:PrincipalAccount': stack.account, 's3:x-amz-acl': 'bucket-owner-full-control' },
    },
  }));
  return { bucket, key };
}

/** A name AWS Backup accepts for frameworks and report plans, unique in the account. */
export function auditResourceName(scope: Construct, suffix: string): string {
  const base = Names.uniqueResourceName(scope, { maxLength: 200, separator: '_' }).replace(/[^_a-zA-Z0-9]/g, '_');
  return `${/^[a-zA-Z]/.test(base) ? '' : 'B'}${base}_${suffix}`;
}

/** One report plan per template, CSV and JSON by default; framework ARNs only on compliance templates. */
export function createReportPlans(
  scope: Construct,
  bucket: s3.IBucket,
  framework: backup.CfnFramework | undefined,
  options: AuditOptions,
  templates: readonly ReportTemplate[],
  removalPolicy: RemovalPolicy,
): backup.CfnReportPlan[] {
  const formats = options.reportFormats ?? [ReportFormat.CSV, ReportFormat.JSON];
  return templates.map((template) => {
    const name = auditResourceName(scope, template.replace(/_REPORT$/, '').toLowerCase());
    checkAuditName(scope, 'report plan name', name);
    const plan = new backup.CfnReportPlan(scope, `ReportPlan${template.split('_').map((w) => w[0] + w.slice(1).toLowerCase()).join('')}`, {
      reportPlanName: name,
      reportPlanDescription: `${template.replace(/_/g, ' ').toLowerCase()} for ${scope.node.path}`,
      // aws-cdk-lib passes these two through verbatim: CloudFormation's PascalCase.
      reportDeliveryChannel: {
        S3BucketName: bucket.bucketName,
        S3KeyPrefix: 'backup-reports',
        Formats: formats,
      },
      reportSetting: {
        ReportTemplate: template,
        ...(COMPLIANCE_TEMPLATES.has(template) ? { FrameworkArns: [framework!.attrFrameworkArn] } : {}),
      },
    });
    plan.applyRemovalPolicy(removalPolicy);
    return plan;
  });
}
