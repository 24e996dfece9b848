import { Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as fc from 'fast-check';
import { AuditedVault, CompliantBackupSystem } from '../../src';
import { lockSpec, profileFieldOf, profileSpec, tierOf, tierSpec, tiersOf, tiersSpec } from './support/backup-specs';
import { FuzzTally } from './support/counts';
import { isAbsent, materialize } from './support/inputs';
import { judge } from './support/outcome';
import { fuzz, summary } from './support/property';
import { removeFuzzOutdir } from './support/synth';
import { ABSENT, Mode, NAMES, TIME_ZONES, days, field, hours, minutes, optional, rarely, ref, schedule, tags, typical } from './support/values';

/**
 * CompliantBackupSystem under generated props and calls: tiers (presets and custom,
 * with edge lifecycles, windows, schedules, time zones, copies into locked, unlocked,
 * imported and other-account vaults), profiles, vault locks, the air-gapped vault,
 * audit options, landing storage and tenants, restore testing; then addTier(),
 * protect() and grantTenantAccess().
 */

const KNOWN_PROPS = ['tiers', 'profile', 'selectionTags', 'vault', 'vaultLock', 'airGappedVault', 'audit', 'catalog', 'landingStorage',
  'tenants', 'restoreTesting', 'planName', 'frameworkName', 'reportPlanName', 'reportFormats', 'reportObjectLockRetention',
  'maxRestoreTime', 'schedule', 'scheduleTimeZone', 'startWindow', 'selectionWindow', 'selections', 'algorithm', 'protect()',
  'grantTenantAccess()', 'grantTenantAccess(tenantId)', 'grantTenantAccess(grantee)', 'copy destinations', 'TargetBackupVault',
  'allowDeletionBy', 'encryptionKey', 'removalPolicy'];

const ROLES = 4;
const COPY_VAULTS = 4;
const env = { account: '123456789012', region: 'eu-west-1' };

const TENANTS = ['tenant-a', 'tenant-b', 'a', 'Tenant-A', 'a/b', '-a', 'a'.repeat(63), 'a'.repeat(64), 'x,y'];

function restoreTestingSpec(mode: Mode) {
  return fc.record({
    planName: optional(mode, typical(mode, fc.constant('weekly_tests'), fc.constantFrom('a', '', 'bad-name', 'x'.repeat(50), 'x'.repeat(51))), 3),
    schedule: optional(mode, typical(mode, fc.constant({ $cron: { minute: '0', hour: '6', weekDay: 'SAT' } }), schedule()), 3),
    scheduleTimeZone: optional(mode, typical(mode, fc.constant('Europe/Berlin'), fc.constantFrom(...TIME_ZONES)), 4),
    startWindow: optional(mode, typical(mode, hours([12, 24]), fc.oneof(hours([0, 1, 168, 169]), minutes([30, 60, 90]))), 2),
    selectionWindow: optional(mode, typical(mode, days([7, 30]), fc.oneof(days([0, 1, 365, 366]), hours([12, 36]))), 2),
    algorithm: optional(mode, fc.constantFrom('LATEST_WITHIN_WINDOW', 'RANDOM_WITHIN_WINDOW'), 3),
    selections: field(mode, fc.array(fc.record({
      resourceType: field(mode, typical(mode, fc.constantFrom('DynamoDB', 'EBS', 'S3', 'RDS'), fc.constantFrom('Aurora', 'DocumentDB', 'EC2', 'EFS', 'FSx', 'Neptune', 'Redshift'))),
      validationWindow: optional(mode, typical(mode, hours([4]), fc.oneof(hours([0, 1, 168, 169]), minutes([30, 90]))), 2),
      protectedResourceArns: optional(mode, typical(mode, fc.constant(['*']), fc.constantFrom(['arn:aws:dynamodb:eu-west-1:123456789012:table/orders'], ['arn:aws:s3:::documents'],
        ['*', 'arn:aws:s3:::documents'], [], Array.from({ length: 31 }, (_, i) => `arn:aws:s3:::bucket-${i}`))), 2),
      name: optional(mode, fc.constantFrom('orders', 'Orders_1', '', 'bad-name', 'x'.repeat(51)), 4),
      restoreMetadataOverrides: optional(mode, fc.constantFrom({ availabilityZone: 'eu-west-1a' }, {}), 4),
    }), { maxLength: 3 })),
  });
}

function systemSpec(mode: Mode) {
  const tierOptions = { copyVaults: COPY_VAULTS, copyToDr: true };
  return fc.record({
    props: fc.record({
      tiers: tiersSpec(mode, tierOptions),
      profile: optional(mode, profileSpec(mode), 3),
      selectionTags: optional(mode, tags(), 3),
      vault: optional(mode, fc.record({
        vaultLock: optional(mode, lockSpec(mode), 2),
        allowDeletionBy: optional(mode, fc.array(ref('role', ROLES), { maxLength: 6 }), 3),
        encryptionKey: optional(mode, ref('key', 1), 3),
      }), 2),
      airGappedVault: optional(mode, fc.boolean(), 3),
      audit: optional(mode, fc.record({
        frameworkName: optional(mode, typical(mode, fc.constant('Framework_1'), fc.constantFrom('1abc', 'a-b', 'x'.repeat(256), 'x'.repeat(257))), 2),
        reportFormats: optional(mode, typical(mode, fc.subarray(['CSV', 'JSON']), fc.subarray(['CSV', 'JSON', 'XML'])), 2),
        reportObjectLockRetention: optional(mode, typical(mode, days([365]), days([0, 1, 36500, 36501])), 3),
        configRecorder: optional(mode, fc.boolean(), 3),
        maxRestoreTime: optional(mode, fc.oneof(hours([1, 4]), minutes([0, 30, 90])), 3),
      }), 3),
      // The catalog is on by default and doubles the synth time: mostly off here.
      catalog: optional(mode, fc.constantFrom(false, false, false, true), 1, 3),
      landingStorage: optional(mode, fc.record({
        objectLockMode: optional(mode, fc.constantFrom('GOVERNANCE', 'COMPLIANCE')),
        objectLockRetention: optional(mode, typical(mode, days([30, 90]), fc.oneof(days([0, 1, 36500, 36501]), hours([12, 36])))),
        transitionToColdAfter: optional(mode, typical(mode, days([30]), days([0, 1, 90]))),
        noncurrentVersionExpiration: optional(mode, typical(mode, days([400]), days([0, 1, 29, 30, 31]))),
      }), 4),
      tenants: optional(mode, fc.array(field(mode, typical(mode, fc.constantFrom('tenant-a', 'tenant-b'), fc.constantFrom(...TENANTS))), { maxLength: 3 }), 4),
      restoreTesting: optional(mode, restoreTestingSpec(mode), 4),
      planName: optional(mode, fc.constantFrom(...NAMES), 5),
    }),
    addTiers: rarely(fc.array(tierSpec(mode, tierOptions), { minLength: 1, maxLength: 1 })),
    protect: fc.array(typical(mode, fc.constantFrom('table-arn', 'bucket-arn', 'volume-arn'), fc.constantFrom('tag', 'not-an-arn')), { maxLength: 2 }),
    grants: rarely(fc.array(fc.record({ tenant: fc.constantFrom(...TENANTS), role: fc.integer({ min: 0, max: ROLES }) }),
      { minLength: 1, maxLength: 2 })),
    // Landing storage needs the catalog: the combination without it is drawn one time in five.
    keepCatalogConflict: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  }).map(({ keepCatalogConflict, ...spec }) => {
    const landing = !isAbsent(spec.props.landingStorage);
    const catalog = keepCatalogConflict || !landing || spec.props.catalog !== false ? spec.props.catalog : true;
    // A plausible user declares tenants and grants only with landing storage.
    const tenantsToo = mode !== 'plausible' || landing;
    return {
      ...spec,
      props: { ...spec.props, catalog, tenants: tenantsToo ? spec.props.tenants : ABSENT },
      grants: tenantsToo ? spec.grants : [],
    };
  });
}

type SystemSpec = ReturnType<typeof systemSpec> extends fc.Arbitrary<infer T> ? T : never;

function setup(app: any) {
  const stack = new Stack(app, 'Estate', { env });
  const roles = Array.from({ length: ROLES }, (_, i) => new iam.Role(stack, `Role${i}`, { assumedBy: new iam.AccountRootPrincipal() }));
  const imported = iam.Role.fromRoleArn(stack, 'ImportedRole', 'arn:aws:iam::123456789012:role/imported');
  const key = new kms.Key(stack, 'UserKey', { enableKeyRotation: true });
  const vaults = [
    new AuditedVault(stack, 'LocalCopyVault', { vaultName: 'local-copy', vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(3650) }, failureAlerts: false }),
    AuditedVault.fromVaultAttributes(stack, 'RemoteCopyVault', {
      backupVaultArn: 'arn:aws:backup:us-east-1:123456789012:backup-vault:remote',
      vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(3650) },
    }),
    AuditedVault.fromVaultArn(stack, 'OtherAccountVault', 'arn:aws:backup:eu-west-1:210987654321:backup-vault:central'),
    new backup.BackupVault(stack, 'PlainVault'),
  ];
  const refs = (kind: string, i: number): unknown => {
    switch (kind) {
      case 'role': return roles[i];
      case 'key': return key;
      default: return vaults[i];
    }
  };
  return { stack, roles: [...roles, imported], refs };
}

function run(mode: Mode) {
  return (spec: SystemSpec) => judge(setup, ({ stack, roles, refs }) => {
    const { tiers, profile, ...rest } = spec.props;
    const props = {
      ...materialize(rest, refs),
      ...(isAbsent(tiers) ? {} : { tiers: tiersOf(tiers, refs, mode) }),
      ...(isAbsent(profile) ? {} : { profile: profileFieldOf(profile, refs) }),
    };
    const system = new CompliantBackupSystem(stack, 'Backups', props);
    for (const t of spec.addTiers) system.addTier(tierOf(t, refs, mode));
    for (const kind of spec.protect) {
      switch (kind) {
        case 'table-arn': system.protect(backup.BackupResource.fromArn('arn:aws:dynamodb:eu-west-1:123456789012:table/orders')); break;
        case 'bucket-arn': system.protect(backup.BackupResource.fromArn('arn:aws:s3:::documents')); break;
        case 'tag': system.protect(backup.BackupResource.fromTag('Backup', 'true')); break;
        case 'not-an-arn': system.protect(backup.BackupResource.fromArn('not-an-arn')); break;
        case 'volume-arn': system.protect(backup.BackupResource.fromArn('arn:aws:ec2:eu-west-1:123456789012:volume/vol-0123456789abcdef0')); break;
        default: throw new Error(`unknown protect kind ${kind}`);
      }
    }
    for (const g of spec.grants) system.grantTenantAccess(g.tenant, roles[g.role]);
  }, KNOWN_PROPS);
}

describe('CompliantBackupSystem fuzz', () => {
  const tally = new FuzzTally('CompliantBackupSystem');
  afterAll(() => {
    tally.write();
    removeFuzzOutdir();
  });

  test('plausible props and calls, an edge value now and then: consistent template or ComplianceRuleError naming the prop', () => {
    const defects = fuzz(tally, 'plausible props', 100, systemSpec('plausible'), run('plausible'));
    console.log(summary(tally, 'plausible props'));
    expect(defects).toEqual([]);
  });

  test('the plausible sample synthesizes some inputs', () => {
    expect(tally.tally('plausible props').valid).toBeGreaterThan(0);
  });

  test('well-typed props and calls at and around every bound: consistent template or ComplianceRuleError naming the prop', () => {
    const defects = fuzz(tally, 'well-typed props', 100, systemSpec('typed'), run('typed'));
    console.log(summary(tally, 'well-typed props'));
    expect(defects).toEqual([]);
  });

  test('the well-typed sample reaches the rules: some inputs are rejected', () => {
    expect(tally.tally('well-typed props').rejected).toBeGreaterThan(0);
  });

  test('values of the wrong type, as a JavaScript user can pass them: never a TypeError or an error without the path', () => {
    const defects = fuzz(tally, 'wrong-typed props', 80, systemSpec('untyped'), run('untyped'));
    console.log(summary(tally, 'wrong-typed props'));
    expect(defects).toEqual([]);
  });

  test('the counts match the committed evidence (docs/evidence/fuzz-counts.json; regenerate with `npx projen docs`)', () => {
    const committed = tally.committedEvidence();
    if (committed === undefined || Object.keys(tally.result().properties).length < 3) return;
    expect(committed).toEqual(tally.result());
  });
});

