import { App, Duration, Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { AuditedVault, OrganizationBackupPolicy, OrganizationTarget } from '../../src';
import { lockSpec, profileFieldOf, profileSpec, tiersOf, tiersSpec } from './support/backup-specs';
import { FuzzTally } from './support/counts';
import { isAbsent, materialize } from './support/inputs';
import { judge } from './support/outcome';
import { fuzz, summary } from './support/property';
import { removeFuzzOutdir } from './support/synth';
import { ABSENT, Mode, field, optional, typical } from './support/values';

/**
 * OrganizationBackupPolicy under generated props: the same tiers and profiles as a
 * backup system (copies into a central vault of the app, an imported vault and a
 * vault without a known ARN), targets (roots, OUs, accounts, malformed ids, more
 * OUs than one StackSet operation takes), regions, inheritance and region operators,
 * selection tags up to the 30-condition limit, names, the member vault lock, the DR
 * region, StackSet operation preferences and the expected scale.
 */

const KNOWN_PROPS = ['tiers', 'profile', 'targets', 'regions', 'regionsOperator', 'inheritance', 'selectionTags', 'policyName', 'planName',
  'memberVaultName', 'memberVaultLock', 'vaultLock', 'memberRoleName', 'homeRegion', 'drRegion', 'organizationRootId', 'windowsVss',
  'delegatedAdmin', 'maxConcurrentPercentage', 'failureTolerancePercentage', 'regionConcurrency', 'retainStacksOnAccountRemoval',
  'expectedMemberAccounts', 'reports', 'removalPolicy', 'backup policy document', 'member template', 'stack set name', 'copy destinations'];

const OU = 'ou-ab12-11111111';
const ACCOUNT = '111111111111';
const env = { account: ACCOUNT, region: 'us-east-1' };

const target = (kind: 'root' | 'ou' | 'account', id: string) => ({ $target: kind, id });
const manyOus = Array.from({ length: 51 }, (_, i) => target('ou', `ou-ab12-${String(i).padStart(8, '0')}`));

function policySpec(mode: Mode) {
  return fc.record({
    tiers: tiersSpec(mode, { copyVaults: 3, copyToDr: true }),
    profile: optional(mode, profileSpec(mode), 3),
    targets: field(mode, typical(mode, fc.constantFrom([target('ou', OU)], [target('root', 'r-ab12')], [target('root', 'r-ab12'), target('account', '222222222222')]),
      fc.constantFrom([], [target('account', '222222222222')], [target('ou', 'ou-bad')], [target('account', '2222')], manyOus))),
    regions: field(mode, typical(mode, fc.constantFrom(['eu-west-1', 'us-east-1'], ['eu-central-1']),
      fc.constantFrom([], ['eu-west-1', 'eu-west-1'], ['EU-WEST-1'], ['mars'], ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'sa-east-1']))),
    regionsOperator: optional(mode, fc.constantFrom('ASSIGN', 'APPEND'), 2),
    inheritance: optional(mode, fc.constantFrom('LOCKED', 'LOCKED_NO_OTHER_PLANS', 'APPEND_ONLY', 'OPEN'), 2),
    selectionTags: optional(mode, typical(mode, fc.constantFrom({ Backup: 'true' }, { Backup: 'true', Env: 'prod' }),
      fc.constantFrom({}, Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k${i}`, 'v'])))), 2),
    policyName: optional(mode, typical(mode, fc.constant('org-backups'), fc.constantFrom('', 'x'.repeat(128), 'x'.repeat(129), 'tab\there')), 3),
    planName: optional(mode, typical(mode, fc.constant('org-plan'), fc.constantFrom('', 'a b', 'x'.repeat(51))), 3),
    memberVaultName: optional(mode, typical(mode, fc.constant('member-vault'), fc.constantFrom('a', 'bad name', 'x'.repeat(51))), 3),
    memberVaultLock: optional(mode, lockSpec(mode), 3),
    memberRoleName: optional(mode, typical(mode, fc.constant('member-backup'), fc.constantFrom('', 'bad/role', 'x'.repeat(65))), 3),
    homeRegion: optional(mode, fc.constantFrom('eu-west-1', 'us-east-1'), 4),
    drRegion: optional(mode, typical(mode, fc.constantFrom('us-west-2', 'eu-north-1'), fc.constantFrom('eu-west-1', 'us-east-1')), 2),
    organizationRootId: optional(mode, fc.constant('r-ab12'), 4),
    windowsVss: optional(mode, fc.boolean(), 3),
    delegatedAdmin: optional(mode, fc.boolean(), 3),
    maxConcurrentPercentage: optional(mode, typical(mode, fc.constantFrom(10, 25), fc.constantFrom(0, 1, 100, 101, 1.5)), 3),
    failureTolerancePercentage: optional(mode, typical(mode, fc.constantFrom(0, 10), fc.constantFrom(-1, 100, 101, 2.5)), 3),
    regionConcurrency: optional(mode, fc.constantFrom('SEQUENTIAL', 'PARALLEL'), 3),
    retainStacksOnAccountRemoval: optional(mode, fc.boolean(), 3),
    expectedMemberAccounts: optional(mode, typical(mode, fc.constantFrom(100, 5000), fc.constantFrom(0, 1, 50_000, 100_001, 1.5)), 3),
    // Reports add buckets and keys to synthesize: mostly off.
    reports: optional(mode, fc.constantFrom(false, false, true), 1, 3),
  });
}

type PolicySpec = ReturnType<typeof policySpec> extends fc.Arbitrary<infer T> ? T : never;

function setup(app: App) {
  const stack = new Stack(app, 'Management', { env });
  const vaults = [
    AuditedVault.fromVaultAttributes(stack, 'Central', {
      backupVaultArn: 'arn:aws:backup:eu-west-1:333333333333:backup-vault:central',
      vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(3650) },
    }),
    new AuditedVault(new Stack(app, 'VaultAccount', { env: { account: '444444444444', region: 'eu-central-1' } }), 'Vault', {
      vaultName: 'org-copies', vaultLock: { minRetention: Duration.days(1) }, failureAlerts: false,
    }),
    new AuditedVault(new Stack(app, 'Agnostic'), 'Vault', { failureAlerts: false }),
  ];
  return { stack, refs: (_kind: string, i: number) => vaults[i] };
}

function targetsOf(spec: unknown): unknown {
  if (!Array.isArray(spec)) return materialize(spec, () => undefined);
  return spec.map((t: any) => (t.$target === 'root' ? OrganizationTarget.root(t.id)
    : t.$target === 'ou' ? OrganizationTarget.organizationalUnit(t.id) : OrganizationTarget.account(t.id)));
}

function run(mode: Mode) {
  return (spec: PolicySpec) => judge(setup, ({ stack, refs }) => {
    new OrganizationBackupPolicy(stack, 'Policy', {
      ...materialize({ ...spec, tiers: ABSENT, profile: ABSENT, targets: ABSENT }, refs),
      ...(isAbsent(spec.tiers) ? {} : { tiers: tiersOf(spec.tiers, refs, mode) }),
      ...(isAbsent(spec.profile) ? {} : { profile: profileFieldOf(spec.profile, refs) }),
      targets: targetsOf(spec.targets),
    });
  }, KNOWN_PROPS);
}

describe('OrganizationBackupPolicy fuzz', () => {
  const tally = new FuzzTally('OrganizationBackupPolicy');
  afterAll(() => {
    tally.write();
    removeFuzzOutdir();
  });

  test('plausible props, an edge value now and then: consistent policy and member template or ComplianceRuleError naming the prop', () => {
    const defects = fuzz(tally, 'plausible props', 100, policySpec('plausible'), run('plausible'));
    console.log(summary(tally, 'plausible props'));
    expect(defects).toEqual([]);
  });

  test('the plausible sample synthesizes some inputs', () => {
    expect(tally.tally('plausible props').valid).toBeGreaterThan(0);
  });

  test('well-typed props at and around every bound: consistent policy and member template or ComplianceRuleError naming the prop', () => {
    const defects = fuzz(tally, 'well-typed props', 100, policySpec('typed'), run('typed'));
    console.log(summary(tally, 'well-typed props'));
    expect(defects).toEqual([]);
  });

  test('the well-typed sample reaches the rules: some inputs are rejected', () => {
    expect(tally.tally('well-typed props').rejected).toBeGreaterThan(0);
  });

  test('values of the wrong type, as a JavaScript user can pass them: never a TypeError or an error without the path', () => {
    const defects = fuzz(tally, 'wrong-typed props', 80, policySpec('untyped'), run('untyped'));
    console.log(summary(tally, 'wrong-typed props'));
    expect(defects).toEqual([]);
  });

  test('the counts match the committed evidence (docs/evidence/fuzz-counts.json; regenerate with `npx projen docs`)', () => {
    const committed = tally.committedEvidence();
    if (committed === undefined || Object.keys(tally.result().properties).length < 3) return;
    expect(committed).toEqual(tally.result());
  });
});
