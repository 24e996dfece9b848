import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CENTRAL_ARN, ENV, policyOf } from './support';
import { AuditedVault, BackupTier, ComplianceProfile, OrganizationBackupPolicy, OrganizationTarget, RegionConcurrency } from '../../src';
import { testApp } from '../support/compliance';

describe('the member StackSet', () => {
  test('service-managed, auto-deployed to new accounts, stacks retained on removal, safe operation preferences, the OUs and regions', () => {
    const { stack } = policyOf();
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'SELF',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      ManagedExecution: { Active: true },
      OperationPreferences: {
        ConcurrencyMode: 'SOFT_FAILURE_TOLERANCE',
        MaxConcurrentPercentage: 25,
        FailureTolerancePercentage: 10,
        RegionConcurrencyType: 'PARALLEL',
        RegionOrder: ['eu-west-1', 'us-east-1'],
      },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-11111111'] }, Regions: ['eu-west-1', 'us-east-1'] }],
      TemplateBody: Match.anyValue(),
    });
  });

  test('delegated admin, sequential regions, own percentages; single accounts through the root with INTERSECTION', () => {
    const { stack } = policyOf({
      delegatedAdmin: true,
      regionConcurrency: RegionConcurrency.SEQUENTIAL,
      maxConcurrentPercentage: 5,
      failureTolerancePercentage: 0,
      targets: [OrganizationTarget.account('333333333333')],
      organizationRootId: 'r-ab12',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFormation::StackSet', {
      CallAs: 'DELEGATED_ADMIN',
      OperationPreferences: Match.objectLike({ MaxConcurrentPercentage: 5, FailureTolerancePercentage: 0, RegionConcurrencyType: 'SEQUENTIAL' }),
      StackInstancesGroup: [{
        DeploymentTargets: { OrganizationalUnitIds: ['r-ab12'], Accounts: ['333333333333'], AccountFilterType: 'INTERSECTION' },
        Regions: ['eu-west-1', 'us-east-1'],
      }],
    });
  });

  test('TemplateBody is the member template, which carries no asset and fits the 51,200-byte limit', () => {
    const { stack, policy } = policyOf();
    const [stackSet] = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet'));
    const body: string = stackSet.Properties.TemplateBody;
    expect(JSON.parse(body)).toEqual(policy.renderMemberTemplate());
    expect(Buffer.byteLength(body)).toBeLessThan(51_200);
    expect(body).not.toMatch(/cdk-[a-z0-9]+-assets-/);
    expect(body).not.toContain('AWS::Lambda::Function');
    expect(JSON.parse(body).Parameters ?? {}).toEqual({});
  });

  describe('the member template', () => {
    const stack = new Stack(testApp(), 'Mgmt', { env: ENV });
    const policy = new OrganizationBackupPolicy(stack, 'Org', {
      targets: [OrganizationTarget.organizationalUnit('ou-ab12-11111111')],
      regions: ['eu-west-1', 'us-east-1'],
      profile: ComplianceProfile.sox(),
      tiers: [
        BackupTier.daily({
          retention: Duration.days(2555),
          moveToColdStorageAfter: Duration.days(90),
          copyTo: [AuditedVault.fromVaultArn(stack, 'Central', CENTRAL_ARN)],
          copyRetention: Duration.days(35),
        }),
        BackupTier.hourly({ airGapped: true, retention: Duration.days(14) }),
      ],
      reports: false,
    });
    const member = Template.fromJSON(policy.renderMemberTemplate());

    test('a locked vault with the name the policy names, encrypted with a rotating customer-managed key, retained', () => {
      member.hasResource('AWS::Backup::BackupVault', {
        Properties: Match.objectLike({
          BackupVaultName: policy.memberVaultName,
          EncryptionKeyArn: Match.anyValue(),
          // SOX asks for compliance mode; the minimum is the shortest tier.
          LockConfiguration: { MinRetentionDays: 14, ChangeableForDays: 3 },
        }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      member.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      const vault = Object.values<any>(member.findResources('AWS::Backup::BackupVault'))[0];
      expect(JSON.stringify(vault.Properties.AccessPolicy)).toContain('backup:DeleteRecoveryPoint');
    });

    test('the air-gapped vault the air-gapped tier names, locked 7 days to its longest retention', () => {
      member.hasResourceProperties('AWS::Backup::LogicallyAirGappedBackupVault', {
        BackupVaultName: policy.memberAirGappedVaultName, MinRetentionDays: 7, MaxRetentionDays: 14,
      });
    });

    test('the backup role the policy names: trusted by AWS Backup only, created in the home region only, scoped statements', () => {
      const roles = member.findResources('AWS::IAM::Role');
      const [role] = Object.values<any>(roles);
      expect(role.Properties.RoleName).toEqual(policy.memberRoleName);
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' } },
      ]);
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Condition).toEqual('IsHomeRegion');
      expect(member.toJSON().Conditions.IsHomeRegion).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] });
      const policies = Object.values<any>(member.findResources('AWS::IAM::ManagedPolicy'));
      // The service statements in two policies (each under 90% of IAM's limit in every partition), and the copy into the central vault.
      expect(policies.length).toBe(3);
      expect(policies.every((p) => p.Condition === 'IsHomeRegion')).toBe(true);
      const actions = policies.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [].concat(s.Action)));
      expect(actions.some((a: string) => a.includes('*'))).toBe(false);
      expect(JSON.stringify(policies)).toContain(CENTRAL_ARN);
    });

    test('the framework with the controls derived from the tiers, cross-account and cross-region included', () => {
      const [framework] = Object.values<any>(member.findResources('AWS::Backup::Framework'));
      const controls = Object.fromEntries(framework.Properties.FrameworkControls.map((c: any) => [c.ControlName,
        Object.fromEntries((c.ControlInputParameters ?? []).map((p: any) => [p.ParameterName, p.ParameterValue]))]));
      expect(controls).toEqual({
        BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK: { requiredFrequencyUnit: 'days', requiredFrequencyValue: '1', requiredRetentionDays: '2555' },
        BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK: { requiredRetentionDays: '14' },
        BACKUP_RECOVERY_POINT_ENCRYPTED: {},
        BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED: {},
        BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN: {},
        BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK: { minRetentionDays: '14' },
        BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION: { crossRegionList: 'eu-central-1' },
        BACKUP_LAST_RECOVERY_POINT_CREATED: { recoveryPointAgeUnit: 'hours', recoveryPointAgeValue: '10' },
        BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT: { crossAccountList: '222222222222' },
      });
    });

    test('no Lambda, no asset, no bootstrap rule', () => {
      member.resourceCountIs('AWS::Lambda::Function', 0);
      expect(member.toJSON().Rules).toBeUndefined();
    });
  });

  test('windowsVss: the member role may run AWS\'s VSS document in every region the policy runs in, created with the role only', () => {
    const { policy } = policyOf({ windowsVss: true });
    const member = Template.fromJSON(policy.renderMemberTemplate());
    const vss = Object.values<any>(member.findResources('AWS::IAM::ManagedPolicy'))
      .filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes('AWSEC2-CreateVssSnapshot'));
    expect(vss).toHaveLength(1);
    expect(vss[0].Condition).toEqual('IsHomeRegion');
    expect(vss[0].Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'WindowsVssSendCommand',
        Effect: 'Allow',
        Action: 'ssm:SendCommand',
        Resource: [
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:*:*:document/AWSEC2-CreateVssSnapshot']] },
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:*:', { Ref: 'AWS::AccountId' }, ':instance/*']] },
        ],
      },
      { Sid: 'WindowsVssFollowCommand', Effect: 'Allow', Action: ['ssm:CancelCommand', 'ssm:GetCommandInvocation'], Resource: '*' },
    ]);
    const [role] = Object.keys(member.findResources('AWS::IAM::Role'));
    expect(vss[0].Properties.Roles).toEqual([{ Ref: role }]);
  });

  test('without windowsVss the member role has no Systems Manager permission', () => {
    const { policy } = policyOf();
    expect(JSON.stringify(policy.renderMemberTemplate())).not.toContain('ssm:SendCommand');
  });

  test('without a cross-account copy there is no cross-account control', () => {
    const { policy } = policyOf();
    const json = JSON.stringify(policy.renderMemberTemplate());
    expect(json).not.toContain('BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT');
    expect(json).not.toContain('BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION');
  });

  test('copies into more than five accounts: the cross-account control stays, without the list it cannot hold (at most five)', () => {
    const stack = new Stack(testApp(), 'Mgmt', { env: ENV });
    const accounts = ['222222222201', '222222222202', '222222222203', '222222222204', '222222222205', '222222222206'];
    const copyTo = (n: number) => accounts.slice(0, n).map((a, i) => AuditedVault.fromVaultArn(stack, `C${n}-${i}`, `arn:aws:backup:eu-west-1:${a}:backup-vault:central`));
    const controlOf = (n: number) => {
      const policy = new OrganizationBackupPolicy(stack, `Org${n}`, {
        targets: [OrganizationTarget.organizationalUnit('ou-ab12-11111111')],
        regions: ['eu-west-1'],
        reports: false,
        tiers: [BackupTier.daily({ copyTo: copyTo(n) })],
      });
      const [framework] = Object.values<any>(Template.fromJSON(policy.renderMemberTemplate()).findResources('AWS::Backup::Framework'));
      return framework.Properties.FrameworkControls.find((c: any) => c.ControlName === 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT');
    };
    expect(controlOf(5).ControlInputParameters).toEqual([{ ParameterName: 'crossAccountList', ParameterValue: accounts.slice(0, 5).join(',') }]);
    const six = controlOf(6);
    expect(six).toBeDefined();
    expect(six.ControlInputParameters).toBeUndefined();
  });
});

describe('organization-wide reports', () => {
  test('backup, copy and restore job reports over the OUs and regions, into an encrypted bucket', () => {
    const { stack } = policyOf({ reports: true, targets: [OrganizationTarget.organizationalUnit('ou-ab12-11111111'), OrganizationTarget.account('333333333333')], organizationRootId: 'r-ab12' });
    const template = Template.fromStack(stack);
    const plans = Object.values<any>(template.findResources('AWS::Backup::ReportPlan')).map((p) => p.Properties.ReportSetting);
    expect(plans).toEqual(['BACKUP_JOB_REPORT', 'COPY_JOB_REPORT', 'RESTORE_JOB_REPORT'].map((ReportTemplate) => ({
      ReportTemplate, Accounts: ['333333333333'], OrganizationUnits: ['ou-ab12-11111111'], Regions: ['eu-west-1', 'us-east-1'],
    })));
    template.hasResourceProperties('AWS::S3::Bucket', { BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] } });
  });

  test('a root target reports on every account (Accounts: ROOT)', () => {
    const { stack } = policyOf({ reports: true, targets: [OrganizationTarget.root('r-ab12')] });
    const [plan] = Object.values<any>(Template.fromStack(stack).findResources('AWS::Backup::ReportPlan'));
    expect(plan.Properties.ReportSetting.Accounts).toEqual(['ROOT']);
    expect(plan.Properties.ReportSetting.OrganizationUnits).toBeUndefined();
  });
});

describe('scale', () => {
  test('the management template does not depend on the number of accounts in the OUs', () => {
    const sizes = [1, 1000].map((accounts) => {
      const { stack, policy } = policyOf({ expectedMemberAccounts: accounts });
      policy.renderMemberTemplate();
      return JSON.stringify(Template.fromStack(stack).toJSON()).length;
    });
    expect(sizes[0]).toEqual(sizes[1]);
  });
});
