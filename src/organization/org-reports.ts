import { RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { auditResourceName } from '../backup-system/audit';
import { ReportFormat, ReportTemplate } from '../backup-system/audit-options';
import { checkAuditName } from '../validation/audit';

/**
 * The organization-wide report plans of the management or delegated-administrator
 * account: backup, copy and restore jobs of every account in the targets and every
 * region of the policy (ReportSetting Accounts / OrganizationUnits / Regions).
 *
 * Control and resource compliance are evaluated by the framework each member stack
 * deploys, in its own account and region (a framework evaluates the account it lives
 * in); their reports stay there.
 */
export const ORG_REPORT_TEMPLATES = [ReportTemplate.BACKUP_JOB_REPORT, ReportTemplate.COPY_JOB_REPORT, ReportTemplate.RESTORE_JOB_REPORT];

export interface OrgReportScope {
  /** Account ids, or `ROOT` for every account. */
  readonly accounts: readonly string[];
  readonly organizationUnits: readonly string[];
  readonly regions: readonly string[];
}

export function createOrgReportPlans(
  scope: Construct, bucket: s3.IBucket, reportScope: OrgReportScope, removalPolicy: RemovalPolicy,
): backup.CfnReportPlan[] {
  return ORG_REPORT_TEMPLATES.map((template) => {
    const short = template.replace(/_REPORT$/, '').toLowerCase();
    const name = auditResourceName(scope, `org_${short}`);
    checkAuditName(scope, 'report plan name', name);
    const plan = new backup.CfnReportPlan(scope, `OrgReport${short.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('')}`, {
      reportPlanName: name,
      reportPlanDescription: `${template.replace(/_/g, ' ').toLowerCase()} across the organization for ${scope.node.path}`,
      // aws-cdk-lib passes these two through verbatim: CloudFormation's PascalCase.
      reportDeliveryChannel: {
        S3BucketName: bucket.bucketName,
        S3KeyPrefix: 'organization-backup-reports',
        Formats: [ReportFormat.CSV, ReportFormat.JSON],
      },
      reportSetting: {
        ReportTemplate: template,
        ...(reportScope.accounts.length > 0 ? { Accounts: [...reportScope.accounts] } : {}),
        ...(reportScope.organizationUnits.length > 0 ? { OrganizationUnits: [...reportScope.organizationUnits] } : {}),
        Regions: [...reportScope.regions],
      },
    });
    plan.applyRemovalPolicy(removalPolicy);
    return plan;
  });
}
