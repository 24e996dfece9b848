import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AdvancedBackupSettings, CompliantBackupSystem } from '../../src';
import { testApp } from '../support/compliance';

/* Advanced backup settings (issue 14, item 5): rendered on the plan only when set. */

const ENV = { account: '111111111111', region: 'eu-west-1' };

function planOf(settings: AdvancedBackupSettings | undefined) {
  const stack = new Stack(testApp(), 'Settings', { env: ENV });
  new CompliantBackupSystem(stack, 'Backups', { advancedBackupSettings: settings });
  const [plan] = Object.values(Template.fromStack(stack).findResources('AWS::Backup::BackupPlan')) as any[];
  const s3Warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('s3-backup-options')).map((w) => String(w.entry.data));
  return { settings: plan.Properties.BackupPlan.AdvancedBackupSettings, s3Warnings };
}

test('nothing set, nothing rendered: AWS Backup\'s defaults apply', () => {
  expect(planOf(undefined).settings).toBeUndefined();
  expect(planOf({}).settings).toBeUndefined();
});

test('windowsVss renders the EC2 WindowsVSS option, enabled or disabled as set', () => {
  expect(planOf({ windowsVss: true }).settings).toEqual([{ ResourceType: 'EC2', BackupOptions: { WindowsVSS: 'enabled' } }]);
  expect(planOf({ windowsVss: false }).settings).toEqual([{ ResourceType: 'EC2', BackupOptions: { WindowsVSS: 'disabled' } }]);
  expect(planOf({ windowsVss: true }).s3Warnings).toEqual([]);
});

test('S3 options render one S3 entry with only the keys set, and a warning about CloudFormation', () => {
  const acls = planOf({ s3BackupAcls: false });
  expect(acls.settings).toEqual([{ ResourceType: 'S3', BackupOptions: { BackupACLs: 'disabled' } }]);
  expect(acls.s3Warnings).toEqual([expect.stringMatching(
    /^Settings\/Backups: advancedBackupSettings renders S3 backup options \(BackupACLs\), which the AWS Backup API accepts but CloudFormation's reference does not list/)]);

  const all = planOf({ windowsVss: true, s3BackupAcls: true, s3BackupObjectTags: false });
  expect(all.settings).toEqual([
    { ResourceType: 'EC2', BackupOptions: { WindowsVSS: 'enabled' } },
    { ResourceType: 'S3', BackupOptions: { BackupACLs: 'enabled', BackupObjectTags: 'disabled' } },
  ]);
  expect(all.s3Warnings).toEqual([expect.stringContaining('(BackupACLs, BackupObjectTags)')]);
});

test('a JavaScript caller passing a string is told the type', () => {
  expect(() => planOf({ windowsVss: 'yes' as any })).toThrow(/advancedBackupSettings\.windowsVss/);
});
