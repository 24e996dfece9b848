import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AdvancedBackupSettings, CompliantBackupSystem } from '../../src';
import { evaluateAccess } from '../judges/iam/simulate';
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

describe('Windows VSS permissions of the backup role', () => {
  function vssStack(windowsVss: boolean | undefined) {
    const stack = new Stack(testApp(), 'Settings', { env: ENV });
    new CompliantBackupSystem(stack, 'Backups', { advancedBackupSettings: { windowsVss } });
    return Template.fromStack(stack);
  }

  /** The VSS policy's document, with the stack's partition resolved as CloudFormation would. */
  function vssPolicy(template: Template): any {
    const policies = Object.entries<any>(template.findResources('AWS::IAM::ManagedPolicy')).filter(([id]) => id.includes('WindowsVssPolicy'));
    expect(policies).toHaveLength(1);
    const [, policy] = policies[0];
    expect(policy.Properties.Roles).toEqual([{ Ref: expect.stringMatching(/^BackupsBackupRole/) }]);
    return JSON.parse(JSON.stringify(policy.Properties.PolicyDocument).replace(/\{"Ref":"AWS::Partition"\}/g, '"aws"'),
      (_k, v) => (v && v['Fn::Join'] ? v['Fn::Join'][1].join(v['Fn::Join'][0]) : v));
  }

  test('no VSS grant unless windowsVss is true', () => {
    for (const value of [undefined, false]) {
      const ids = Object.keys(vssStack(value).findResources('AWS::IAM::ManagedPolicy'));
      expect(ids.filter((id) => id.includes('WindowsVssPolicy'))).toEqual([]);
    }
  });

  test('exactly the three SSM actions of AWS\'s managed policy, no wildcard action', () => {
    const document = vssPolicy(vssStack(true));
    expect(document.Statement).toEqual([
      {
        Sid: 'WindowsVssSendCommand',
        Effect: 'Allow',
        Action: 'ssm:SendCommand',
        Resource: ['arn:aws:ssm:eu-west-1:*:document/AWSEC2-CreateVssSnapshot', 'arn:aws:ec2:eu-west-1:111111111111:instance/*'],
      },
      { Sid: 'WindowsVssFollowCommand', Effect: 'Allow', Action: ['ssm:CancelCommand', 'ssm:GetCommandInvocation'], Resource: '*' },
    ]);
  });

  test('IAM simulation: the role may run the VSS document on an instance here, and nothing else', async () => {
    const document = vssPolicy(vssStack(true));
    const ask = (action: string, resource: string) => evaluateAccess({
      principal: 'arn:aws:sts::111111111111:assumed-role/BackupRole/AWSBackup-session',
      action,
      resource,
      resourceAccount: '111111111111',
      context: {},
      identityPolicies: [{ label: 'WindowsVssPolicy', document }],
    });
    const instance = 'arn:aws:ec2:eu-west-1:111111111111:instance/i-0123456789abcdef0';
    // An AWS-owned document: whatever account its ARN carries (the simulator needs one), only its name is fixed.
    expect((await ask('ssm:SendCommand', 'arn:aws:ssm:eu-west-1:111111111111:document/AWSEC2-CreateVssSnapshot')).allowed).toBe(true);
    expect((await ask('ssm:SendCommand', instance)).allowed).toBe(true);
    expect((await ask('ssm:GetCommandInvocation', '*')).allowed).toBe(true);
    expect((await ask('ssm:CancelCommand', '*')).allowed).toBe(true);
    // Any other document, an instance of another region or account, any other SSM action: denied.
    expect((await ask('ssm:SendCommand', 'arn:aws:ssm:eu-west-1:111111111111:document/AWS-RunPowerShellScript')).allowed).toBe(false);
    expect((await ask('ssm:SendCommand', 'arn:aws:ssm:us-east-1:111111111111:document/AWSEC2-CreateVssSnapshot')).allowed).toBe(false);
    expect((await ask('ssm:SendCommand', 'arn:aws:ec2:us-east-1:111111111111:instance/i-0123456789abcdef0')).allowed).toBe(false);
    expect((await ask('ssm:SendCommand', 'arn:aws:ec2:eu-west-1:222222222222:instance/i-0123456789abcdef0')).allowed).toBe(false);
    expect((await ask('ssm:StartSession', instance)).allowed).toBe(false);
  });
});
