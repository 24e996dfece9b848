import { Annotations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { IConstruct } from 'constructs';
import { AdvancedBackupSettings } from './advanced-backup-settings-options';

const onOff = (value: boolean) => (value ? 'enabled' : 'disabled');

/**
 * The plan's `AdvancedBackupSettings`, or undefined when nothing is set. Option keys follow the
 * AWS Backup API (`WindowsVSS`, `BackupACLs`, `BackupObjectTags`; the same in @aws-sdk/client-backup).
 */
export function renderAdvancedBackupSettings(
  scope: IConstruct, settings: AdvancedBackupSettings | undefined,
): backup.CfnBackupPlan.AdvancedBackupSettingResourceTypeProperty[] | undefined {
  if (!settings) return undefined;
  const rendered: backup.CfnBackupPlan.AdvancedBackupSettingResourceTypeProperty[] = [];
  if (settings.windowsVss !== undefined) {
    rendered.push({ resourceType: 'EC2', backupOptions: { WindowsVSS: onOff(settings.windowsVss) } });
  }
  const s3: Record<string, string> = {};
  if (settings.s3BackupAcls !== undefined) s3.BackupACLs = onOff(settings.s3BackupAcls);
  if (settings.s3BackupObjectTags !== undefined) s3.BackupObjectTags = onOff(settings.s3BackupObjectTags);
  if (Object.keys(s3).length > 0) {
    rendered.push({ resourceType: 'S3', backupOptions: s3 });
    Annotations.of(scope).addWarningV2('cdk-compliant-backup:s3-backup-options',
      `${scope.node.path}: advancedBackupSettings renders S3 backup options (${Object.keys(s3).join(', ')}), which the AWS Backup API `
      + 'accepts but CloudFormation\'s reference does not list (its AdvancedBackupSettings names EC2 only), and a public report says '
      + 'CloudFormation rejects them (cloudformation-coverage-roadmap#2507): deploy to a test account first');
  }
  return rendered.length > 0 ? rendered : undefined;
}
