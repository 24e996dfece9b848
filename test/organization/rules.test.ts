import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { CENTRAL_ARN, ENV, policyOf } from './support';
import {
  AuditedVault, BackupTier, ComplianceProfile, OrganizationTarget, RecoveryApprovalTeam, RecoveryRestoreTesting, RecoveryVault,
  RestoreTestingResourceType,
} from '../../src';
import { checkStackSetName, checkTemplateBodySize } from '../../src/validation/organization';
import { testApp } from '../support/compliance';

const PATH = 'Mgmt/Org';

describe('organization synth rules: one per rule, each naming path, prop, value and what is allowed', () => {
  test.each<[string, Parameters<typeof policyOf>[0], RegExp]>([
    ['policy name', { policyName: 'bäckup' }, /Mgmt\/Org: policyName is 'bäckup'; an AWS Organizations policy name is 1-128 printable ASCII/],
    ['plan name', { planName: 'nightly plan!' }, /planName is 'nightly plan!'; a backup plan name is 1-50 letters/],
    ['no region', { regions: [] }, /regions is \[\]; a backup policy must name at least one region/],
    ['bad region', { regions: ['moon-1'] }, /regions is \['moon-1'\]; 'moon-1' is not a region code/],
    ['duplicate region', { regions: ['eu-west-1', 'eu-west-1'] }, /'eu-west-1' is listed twice/],
    ['no target', { targets: [] }, /targets is \[\]; attach the policy to at least one root, OU or account/],
    ['bad OU id', { targets: [OrganizationTarget.organizationalUnit('ou-x')] }, /targets is \[\.\.\., 'ou-x' \(organizational_unit\), \.\.\.\]; an OU id looks like/],
    ['more than 50 OUs', { targets: Array.from({ length: 51 }, (_, i) => OrganizationTarget.organizationalUnit(`ou-ab12-${String(i).padStart(8, '0')}`)) },
      /targets is 51 roots and OUs; a StackSet operation deploys to at most 50 OUs/],
    ['an account without a root', { targets: [OrganizationTarget.account('333333333333')] },
      /targets is \['333333333333'\]; a service-managed StackSet deploys to single accounts only through an OU/],
    ['time zone', { tiers: [BackupTier.daily({ scheduleTimeZone: 'Europe/Berlin' })] },
      /tiers\[0\]\.scheduleTimeZone is 'Europe\/Berlin'; an AWS Organizations backup policy has no time zone setting/],
    ['no selection tag', { selectionTags: {} }, /selectionTags is \{\}; an effective backup policy needs a selection/],
    ['too many selection tags', { selectionTags: Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k${i}`, 'v'])) },
      /selectionTags is 32 tags; a backup policy selection takes one tag and at most 30 more conditions/],
    ['copyToDr without drRegion', { tiers: [BackupTier.daily({ copyToDr: true })] },
      /tiers\[0\]\.copyToDr is true; in an organization policy copyToDr copies into the member vault of drRegion: set drRegion/],
    ['drRegion among the regions', { drRegion: 'us-east-1', tiers: [BackupTier.daily({ copyToDr: true })] },
      /drRegion is 'us-east-1'; the plan also runs in us-east-1/],
    ['policy size', { tiers: Array.from({ length: 6 }, (_, i) => BackupTier.daily({ name: `tier${i}`, recoveryPointTags: { Owner: 'platform', CostCentre: 'backup' } })) },
      /the backup policy document is \d+ characters; AWS Organizations accepts at most 10000 characters/],
    ['max concurrency', { maxConcurrentPercentage: 0 }, /maxConcurrentPercentage is 0; a whole percentage from 1 to 100/],
    ['failure tolerance', { failureTolerancePercentage: 101 }, /failureTolerancePercentage is 101; a whole percentage from 0 to 100/],
    ['stack instances', { expectedMemberAccounts: 60_000 }, /expectedMemberAccounts is 60000 \(x 2 regions = 120000 stack instances\); a StackSet holds at most 100000/],
    ['concurrent operations', { expectedMemberAccounts: 45_000, maxConcurrentPercentage: 25 },
      /maxConcurrentPercentage is 25 \(11250 of 45000 accounts at once per region\); CloudFormation runs at most 10000/],
    ['role name', { memberRoleName: 'backup role' }, /memberRoleName is 'backup role'; an IAM role name is 1-64/],
    // Reused library rules, applied exactly as for a CompliantBackupSystem.
    ['vault name', { memberVaultName: 'x' }, /memberVaultName is 'x'; a backup vault name is 2-50 characters/],
    ['profile minimum', { profile: ComplianceProfile.sox() }, /tiers is \[daily: every 1 day, kept 35 days\]; the SOX profile requires at least one tier to keep recovery points for 2555 days/],
    ['profile lock mode', { profile: ComplianceProfile.sox(), memberVaultLock: { minRetention: Duration.days(1) }, tiers: [BackupTier.daily({ retention: Duration.days(2555) })] },
      /memberVaultLock is a governance-mode lock; the SOX profile requires a compliance-mode vault lock/],
    ['profile cross-region copy', { profile: ComplianceProfile.hipaa(), tiers: [BackupTier.daily({ retention: Duration.days(2190) })] },
      /tiers is without a copy out of eu-west-1, us-east-1; the HIPAA profile requires at least one tier to copy to another region, in every region the policy covers/],
    ['retention inside the member lock', { memberVaultLock: { minRetention: Duration.days(30) }, tiers: [BackupTier.hourly()] },
      /tiers\[0\]\.retention is 7 days; the member vault '.*' is locked with a minimum retention of 30 days/],
    ['cron only', { tiers: [BackupTier.daily({ schedule: events.Schedule.rate(Duration.days(1)) })] }, /tiers\[0\]\.schedule is 'rate\(1 day\)'; AWS Backup accepts cron\(\) schedules only/],
    ['cold storage lifecycle', { tiers: [BackupTier.daily({ retention: Duration.days(100), moveToColdStorageAfter: Duration.days(30) })] },
      /tiers\[0\]\.retention is 100 days; recovery points moved to cold storage after 30 days must be kept at least 120 days/],
    ['unique tier names', { tiers: [BackupTier.daily(), BackupTier.daily()] }, /tiers\[1\]\.name is 'daily'; tier names must be unique within a plan/],
    ['no tier', { tiers: [] }, /tiers is \[\]; a backup policy needs at least one rule/],
  ])('%s', (_, props, message) => {
    expect(() => policyOf(props)).toThrow(message);
  });

  test('a copy destination without a literal ARN', () => {
    const stack = new Stack(testApp(), 'Mgmt', { env: ENV });
    const agnostic = new Stack(stack.node.root, 'Agnostic');
    const vault = new AuditedVault(agnostic, 'Vault');
    expect(() => policyOf({ tiers: [BackupTier.daily({ copyTo: [vault] })] })).toThrow(
      new RegExp(`${PATH}: tiers\\[0\\]\\.copyTo\\[0\\] is a vault without a known ARN; the policy runs in other accounts, so a copy destination needs a literal ARN`));
  });

  test('a copy destination ARN that is not a backup vault ARN', () => {
    const stack = new Stack(testApp(), 'X', { env: ENV });
    // Rejected where the vault is imported, before any policy sees it.
    expect(() => AuditedVault.fromVaultArn(stack, 'Bad', 'arn:aws:backup:eu-west-1:222222222222:backup-vault:a b'))
      .toThrow(/^X: backupVaultArn is 'arn:aws:backup:eu-west-1:222222222222:backup-vault:a b'; expected arn:<partition>:backup/);
  });

  test('a copy that outlives the lock of the vault it lands in', () => {
    const stack = new Stack(testApp(), 'V', { env: { account: '222222222222', region: 'eu-central-1' } });
    const central = new AuditedVault(stack, 'Central', { vaultName: 'central', airGapped: true, vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(30) } });
    expect(() => policyOf({ tiers: [BackupTier.daily({ copyTo: [central], copyRetention: Duration.days(60) })] }))
      .toThrow(new RegExp(`tiers\\[0\\]\\.copyRetention is 60 days; copy destination ${CENTRAL_ARN} is locked with a maximum retention of 30 days`));
  });

  test('the member template body limit', () => {
    const stack = new Stack(testApp(), 'S');
    expect(() => checkTemplateBodySize(stack, 51_201)).toThrow('S: the member template is 51201 bytes; a StackSet TemplateBody holds at most 51200 bytes');
    expect(() => checkTemplateBodySize(stack, 51_200)).not.toThrow();
  });

  test('the StackSet name', () => {
    const stack = new Stack(testApp(), 'S');
    expect(() => checkStackSetName(stack, 'stack set name', '1-bad')).toThrow("S: stack set name is '1-bad'; a StackSet name starts with a letter");
  });
});

describe('recovery account rules', () => {
  const vaultStack = () => new Stack(testApp(), 'Vault', { env: { account: '222222222222', region: 'eu-west-1' } });
  const team = (approverIds: string[], minApprovals: number, vaultAccounts = ['222222222222']) => new RecoveryApprovalTeam(vaultStack(), 'Team', {
    teamName: 't', identitySourceArn: 'arn:aws:mpa:eu-west-1:444444444444:identity-sources/abc', approverIds, minApprovals, vaultAccounts,
  });

  test('no recovery account', () => {
    expect(() => new RecoveryVault(vaultStack(), 'R', { vaultName: 'rv', organizationId: 'o-abcdefghij', recoveryAccounts: [], maxRetention: Duration.days(30) }))
      .toThrow('Vault/R: recoveryAccounts is []; share the vault with at least one recovery account');
  });
  test('a bad organization id (library rule)', () => {
    expect(() => new RecoveryVault(vaultStack(), 'R', { vaultName: 'rv', organizationId: 'org', recoveryAccounts: ['333333333333'], maxRetention: Duration.days(30) }))
      .toThrow(/organizationId is 'org'; an AWS Organizations id looks like/);
  });
  test('fewer than 3 approvers', () => {
    expect(() => team(['a', 'b'], 2)).toThrow('Vault/Team: approverIds is 2 approvers; a multi-party approval team has at least 3 approvers');
  });
  test.each([1, 4])('an approval threshold of %d of 3', (n) => {
    expect(() => team(['a', 'b', 'c'], n)).toThrow(`Vault/Team: minApprovals is ${n}; the approval threshold is at least 2 and at most the 3 approvers`);
  });
  test('a team shared with nobody', () => {
    expect(() => team(['a', 'b', 'c'], 2, [])).toThrow(/vaultAccounts is \[\]; share the team with at least one account/);
  });
  test('restore testing of a vault whose ARN is not literal', () => {
    const stack = new Stack(testApp(), 'Rec', { env: { account: '333333333333', region: 'eu-west-1' } });
    expect(() => new RecoveryRestoreTesting(stack, 'T', { sharedVaultArn: 'central', restoreTesting: { selections: [{ resourceType: RestoreTestingResourceType.S3 }] } }))
      .toThrow("Rec/T: sharedVaultArn is 'central'; expected the literal ARN of the shared vault");
  });
  test('restore testing in another region than the vault', () => {
    const stack = new Stack(testApp(), 'Rec', { env: { account: '333333333333', region: 'us-east-1' } });
    expect(() => new RecoveryRestoreTesting(stack, 'T', {
      sharedVaultArn: 'arn:aws:backup:eu-west-1:222222222222:backup-vault:central', restoreTesting: { selections: [{ resourceType: RestoreTestingResourceType.S3 }] },
    })).toThrow('Rec/T: sharedVaultArn is a vault in eu-west-1; restore testing runs in the region of the vault it tests; this stack is in us-east-1');
  });
  test('restore testing in an environment-agnostic stack', () => {
    const stack = new Stack(testApp(), 'Rec');
    expect(() => new RecoveryRestoreTesting(stack, 'T', {
      sharedVaultArn: 'arn:aws:backup:eu-west-1:222222222222:backup-vault:central', restoreTesting: { selections: [{ resourceType: RestoreTestingResourceType.S3 }] },
    })).toThrow("Rec/T: the stack region is (token); restore testing of a shared vault runs in the vault's region");
  });
});
