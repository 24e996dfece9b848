import { App, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { BackupTier } from '../../src/backup-system/backup-tier';
import { checkAuditName, checkAuditOptions, checkAuditQuotas } from '../../src/validation/audit';
import * as dr from '../../src/validation/dr';
import { wholeDays } from '../../src/validation/errors';
import { checkEnvironmentSize } from '../../src/validation/handlers';
import * as landing from '../../src/validation/landing';
import * as legalHold from '../../src/validation/legal-hold';
import * as org from '../../src/validation/organization';
import * as plan from '../../src/validation/plan';
import { AUDITED_VAULT_SHAPE, checkBackupTierShape } from '../../src/validation/prop-shapes';
import { checkPropType, checkPropTypes } from '../../src/validation/prop-types';
import * as restore from '../../src/validation/restore-testing';
import * as scanning from '../../src/validation/scanning';
import * as selection from '../../src/validation/selection';
import * as storage from '../../src/validation/storage-tiers';
import * as vault from '../../src/validation/vault';

/**
 * One input per synth-time rule of src/validation that the rule rejects: the
 * documentation shows the message the rule actually produces for it (the generator
 * runs each one and records what it throws). Scope paths read like a user's app.
 */
export type Trigger = (scope: IConstruct) => void;

const days = Duration.days;

/** A user's bucket in a primary stack, and an imported one, for the replication rules. */
function buckets(scope: IConstruct) {
  const root = scope.node.root as App;
  const primary = new Stack(root, 'Primary', { env: { account: '123456789012', region: 'eu-west-1' } });
  const other = new Stack(root, 'Other', { env: { account: '123456789012', region: 'eu-west-1' } });
  return {
    primary,
    imported: s3.Bucket.fromBucketName(primary, 'Imported', 'imported-bucket'),
    elsewhere: new s3.Bucket(other, 'Documents', { enforceSSL: true }),
  };
}

export const RULE_EXAMPLES: Record<string, Trigger> = {
  // audit.ts
  checkAuditName: (s) => checkAuditName(s, 'audit.frameworkName', '1st-framework'),
  checkAuditOptions: (s) => checkAuditOptions(s, { framework: false }, { name: 'SOX' }),
  checkAuditQuotas: (s) => checkAuditQuotas(s, 'Estate (123456789012, eu-west-1)',
    Array.from({ length: 4 }, (_, i) => ({ path: `Estate/Backups${i}/Framework`, controls: 13 }))),

  // prop-types.ts and prop-shapes.ts: props as a JavaScript or Python user can pass them
  checkPropType: (s) => checkPropType(s, 'rpo', 900, { kind: 'duration', required: true }),
  checkPropTypes: (s) => checkPropTypes(s, '', { vaultLock: { minRetention: '35 days' } }, AUDITED_VAULT_SHAPE),
  checkBackupTierShape: (s) => checkBackupTierShape(s, 'tiers[0]', { retention: days(35) }),

  // handlers.ts
  checkEnvironmentSize: (s) => checkEnvironmentSize(s, { TENANTS: 'tenant-'.repeat(600) }),

  // errors.ts
  wholeDays: (s) => wholeDays(s, 'tiers[0].retention', Duration.hours(36)),

  // vault.ts
  checkVaultName: (s) => vault.checkVaultName(s, 'vaultName', 'my vault'),
  checkAccountIds: (s) => vault.checkAccountIds(s, 'allowCopyFromAccounts', ['12345']),
  checkOrganizationId: (s) => vault.checkOrganizationId(s, 'allowCopyFromOrganization', 'o-short'),
  checkVaultLock: (s) => vault.checkVaultLock(s, { minRetention: days(3) }, true),
  checkRetentionWithinLock: (s) => vault.checkRetentionWithinLock(s, "tiers['daily'].retention", days(3), 'the primary vault Estate/Backups/PrimaryVault',
    { minRetentionDays: 7 }),
  checkNotAirGappedTarget: (s) => vault.checkNotAirGappedTarget(s, 'daily', 'isolated-vault', 'isolated-vault'),
  checkVaultArn: (s) => vault.checkVaultArn(s, 'backupVaultArn', 'arn:aws:backup:eu-west-1:123:vault/x'),
  checkVaultEventName: (s) => vault.checkVaultEventName(s, 'events', 'backup-job-failed'),
  checkVaultEventDelivered: (s) => vault.checkVaultEventDelivered(s, 'notificationEvents', 'BACKUP_JOB_FAILED'),
  checkOneEventList: (s) => vault.checkOneEventList(s, [{ eventName: 'CONTINUOUS_BACKUP_INTERRUPTED' }], ['BACKUP_JOB_COMPLETED']),

  // plan.ts
  checkBackupRuleName: (s) => plan.checkBackupRuleName(s, 'tiers[0].name', 'daily backup'),
  checkCronSchedule: (s) => plan.checkCronSchedule(s, 'tiers[0].schedule', 'rate(1 hour)'),
  checkTimeZone: (s) => plan.checkTimeZone(s, 'tiers[0].scheduleTimeZone', 'Mars/Olympus'),
  checkLifecycle: (s) => plan.checkLifecycle(s, 'tiers[0].retention', 'tiers[0].moveToColdStorageAfter', { deleteAfter: days(100), moveToColdStorageAfter: days(30) }),
  checkContinuous: (s) => plan.checkContinuous(s, 'tiers[0]', days(36), undefined),
  checkWindows: (s) => plan.checkWindows(s, 'tiers[0]', Duration.minutes(30), Duration.hours(8)),
  checkMinimumInterval: (s) => plan.checkMinimumInterval(s, 'tiers[0].schedule', 'cron(0,30 * * * ? *)', 30),
  checkCopyLifecycle: (s) => plan.checkCopyLifecycle(s, 'tiers[0]', undefined, days(30)),
  checkProfileMinimums: (s) => plan.checkProfileMinimums(s, { name: 'SOX', minRetention: days(2555), maxBackupInterval: Duration.hours(24) },
    [{ name: 'daily', retention: days(35), interval: Duration.hours(24) }]),
  checkProfileLockMode: (s) => plan.checkProfileLockMode(s, 'SOX', 'COMPLIANCE', 'GOVERNANCE'),
  checkProfileKey: (s) => plan.checkProfileKey(s, { name: 'HIPAA', requireCustomerManagedKey: true }, undefined),
  checkProfileCrossRegionCopy: (s) => plan.checkProfileCrossRegionCopy(s, { name: 'HIPAA', requireCrossRegionCopy: true }, []),
  checkProtectCall: (s) => plan.checkProtectCall(s, plan.PROTECT_LIMITS.arnsPerSelection + 1, 0),
  checkTier: (s) => plan.checkTier(s, 'tiers[0]', BackupTier.daily({ schedule: events.Schedule.cron({ minute: '*/15' }) })),

  // landing.ts
  s3WholeDays: (s) => landing.s3WholeDays(s, 'landingStorage.objectLockRetention', Duration.hours(12)),
  checkObjectLockRetention: (s) => landing.checkObjectLockRetention(s, 'landingStorage.objectLockRetention', days(36501)),
  checkNoncurrentExpiration: (s) => landing.checkNoncurrentExpiration(s, 'landingStorage.noncurrentVersionExpiration', days(10),
    'landingStorage.objectLockRetention', 30),
  checkTenantIds: (s) => landing.checkTenantIds(s, 'tenants', ['Tenant/A']),
  checkTenantGrant: (s) => landing.checkTenantGrant(s, 'tenant-c', ['tenant-a', 'tenant-b']),
  checkCatalogRegion: (s) => landing.checkCatalogRegion(s, Lazy.string({ produce: () => 'eu-west-1' })),

  // restore-testing.ts
  restoreTestingHours: (s) => restore.restoreTestingHours(s, 'restoreTesting.startWindow', Duration.minutes(90)),
  checkRestoreTestingName: (s) => restore.checkRestoreTestingName(s, 'planName', 'weekly-tests'),
  checkRestoreStartWindow: (s) => restore.checkRestoreStartWindow(s, 'startWindow', Duration.hours(169)),
  checkRestoreSelectionWindow: (s) => restore.checkRestoreSelectionWindow(s, 'selectionWindow', days(366)),
  checkRestoreValidationWindow: (s) => restore.checkRestoreValidationWindow(s, 'selections[0].validationWindow', Duration.hours(200)),
  checkRestoreTestingSelectionCount: (s) => restore.checkRestoreTestingSelectionCount(s, 'selections', 0),
  checkRestoreTestingResourceType: (s) => restore.checkRestoreTestingResourceType(s, 'selections[0].resourceType', 'Redshift', ['EBS', 'S3']),
  checkRestoreTypeCoveredByRole: (s) => restore.checkRestoreTypeCoveredByRole(s, 'selections[0].resourceType', 'FSx', ['EBS', 'S3']),
  checkProtectedResourceArns: (s) => restore.checkProtectedResourceArns(s, 'selections[0].protectedResourceArns', ['arn:aws:s3:::documents'],
    'DynamoDB', ['dynamodb']),
  checkUniqueRestoreTestingSelectionName: (s) => restore.checkUniqueRestoreTestingSelectionName(s, 'selections[1].name', 'orders', new Set(['orders'])),

  // dr.ts
  checkReplicaBucketName: (s) => dr.checkReplicaBucketName(s, 'replicaBucketName', 'Replica_Bucket'),
  checkReplicationSourceOwned: (s) => {
    const b = buckets(s);
    dr.checkReplicationSourceOwned(s, b.imported, b.primary);
  },
  checkReplicationSourceVersioned: (s) => dr.checkReplicationSourceVersioned(s, undefined, false),
  checkReplicaStorageClass: (s) => dr.checkReplicaStorageClass(s, 'storageClass', 'DEEP_ARCHIVE', Duration.hours(4)),
  checkReplicationConfigurationReadable: (s) => dr.checkReplicationConfigurationReadable(s, 'replicationConfiguration', Lazy.any({ produce: () => ({}) })),
  checkReplicationRuleReadable: (s) => dr.checkReplicationRuleReadable(s, 'replicationConfiguration.rules[0]', Lazy.any({ produce: () => ({}) })),
  checkExistingReplicationRule: (s) => dr.checkExistingReplicationRule(s, 'replicationConfiguration.rules[0]', { id: 'legacy', legacyPrefix: true },
    'dr-0123456789-to-eu-central-1', '123456789012'),
  checkRdsIdentifier: (s) => dr.checkRdsIdentifier(s, 'globalClusterIdentifier', 'orders--global'),
  checkExplicitIdentifier: (s) => dr.checkExplicitIdentifier(s, 'instanceIdentifier', undefined, 'instance'),
  checkDatabaseRegion: (s) => dr.checkDatabaseRegion(s, 'us-east-1', 'eu-west-1'),
  checkDatabaseStorageEncrypted: (s) => dr.checkDatabaseStorageEncrypted(s, false),
  checkAuroraGlobalEngine: (s) => dr.checkAuroraGlobalEngine(s, { engine: 'aurora-postgresql', engineVersion: '11.4' }),
  checkSecondaryInstanceCount: (s) => dr.checkSecondaryInstanceCount(s, 0),
  checkReplicaInstanceClass: (s) => dr.checkReplicaInstanceClass(s, undefined),
  checkGlobalTableReplica: (s) => dr.checkGlobalTableReplica(s, ['eu-west-1'], 'eu-central-1'),
  checkSecretReplicatedOnce: (s) => dr.checkSecretReplicatedOnce(s, ['eu-central-1', 'eu-central-1'], 'eu-central-1'),
  checkDrProps: (s) => dr.checkDrProps(s, buckets(s).primary, { drRegion: 'eu-west-1', rpo: Duration.hours(1) }, {}),
  checkReplicatedBucketCount: (s) => dr.checkReplicatedBucketCount(s, dr.MAX_REPLICATED_BUCKETS + 1),
  checkRegionName: (s) => dr.checkRegionName(s, 'drRegion', 'us-wset-2'),

  // organization.ts
  checkPolicyName: (s) => org.checkPolicyName(s, 'policyName', 'x'.repeat(129)),
  checkPlanName: (s) => org.checkPlanName(s, 'planName', 'org plan'),
  checkRegions: (s) => org.checkRegions(s, 'regions', ['eu-west-1', 'eu-west-1']),
  checkTargets: (s) => org.checkTargets(s, 'targets', [{ id: 'ou-bad', kind: 'ORGANIZATIONAL_UNIT' }]),
  checkAccountTargetsReachable: (s) => org.checkAccountTargetsReachable(s, 'targets', ['222222222222'], undefined),
  checkPolicyTimeZone: (s) => org.checkPolicyTimeZone(s, 'tiers[0].scheduleTimeZone', 'Europe/Berlin'),
  checkSelectionTags: (s) => org.checkSelectionTags(s, 'selectionTags', {}),
  checkLiteralVaultArn: (s) => org.checkLiteralVaultArn(s, 'tiers[0].copyTo[0]', undefined),
  checkDrRegion: (s) => org.checkDrRegion(s, 'tiers[0].copyToDr', undefined, ['eu-west-1']),
  checkPolicySize: (s) => org.checkPolicySize(s, 12_000),
  checkTemplateBodySize: (s) => org.checkTemplateBodySize(s, 60_000),
  checkPercentage: (s) => org.checkPercentage(s, 'maxConcurrentPercentage', 101, 1),
  checkStackSetScale: (s) => org.checkStackSetScale(s, 60_000, 2, 25),
  checkStackSetName: (s) => org.checkStackSetName(s, 'stack set name', '1-stack-set'),
  checkRoleName: (s) => org.checkRoleName(s, 'memberRoleName', 'backup/role'),
  checkApprovalTeam: (s) => org.checkApprovalTeam(s, 2, 2),
  checkNotEmpty: (s) => org.checkNotEmpty(s, 'shareWithAccounts', [], 'share the vault with at least one account'),
  checkSharedVaultArn: (s) => org.checkSharedVaultArn(s, 'sharedVaultArn', 'central-vault'),
  checkSameRegion: (s) => org.checkSameRegion(s, 'sharedVaultArn', 'eu-central-1', 'eu-west-1'),
  checkOrganizationCrossRegionCopy: (s) => org.checkOrganizationCrossRegionCopy(s, { name: 'HIPAA', requireCrossRegionCopy: true }, ['eu-west-1']),

  // selection.ts
  checkTagConditions: (s) => selection.checkTagConditions(s, [{ prop: 'selectionConditions.stringNotEquals', key: 'aws:ResourceTag/Env', value: 'scratch' }]),
  checkNoContradiction: (s) => selection.checkNoContradiction(s, { Env: 'prod' }, { Env: 'prod' }),
  checkExcludeResources: (s) => selection.checkExcludeResources(s, ['vol-0123456789abcdef0'], true),

  // legal-hold.ts
  checkLegalHoldText: (s) => legalHold.checkLegalHoldText(s, 'legalHolds[0]', 'description', ''),
  checkLegalHoldDateRange: (s) => legalHold.checkLegalHoldDateRange(s, 'legalHolds[0]',
    { fromDate: new Date('2025-03-01T00:00:00Z'), toDate: new Date('2025-01-01T00:00:00Z') }),
  checkLegalHoldSelection: (s) => legalHold.checkLegalHoldSelection(s, 'legalHolds[0]', { vaultCount: 0 }),
  checkLegalHoldTitleUnique: (s) => legalHold.checkLegalHoldTitleUnique(s, "addLegalHold('Again')", 'Matter 2026-114', ['Matter 2026-114']),
  // storage-tiers.ts
  checkArchiveNeedsColdStorage: (s) => storage.checkArchiveNeedsColdStorage(s, "tiers['monthly']", true, undefined, undefined),
  checkArchiveNotInPolicy: (s) => storage.checkArchiveNotInPolicy(s, 'tiers[0]', true),
  checkTieringDays: (s) => storage.checkTieringDays(s, 's3LowCostTier.tierDownAfter', days(30)),
  checkTieringBeforeDeletion: (s) => storage.checkTieringBeforeDeletion(s, 's3LowCostTier.tierDownAfter', 90,
    [{ name: 'daily', retentionDays: 35 }, { name: 'monthly', retentionDays: 90 }], 'the primary vault Estate/Backups/PrimaryVault', undefined),
  // scanning.ts
  checkBackupIndexes: (s) => scanning.checkBackupIndexes(s, "tiers['daily'].backupIndexes", ['EBS', 'S3'], false),
  checkPolicyTierFeatures: (s) => scanning.checkPolicyTierFeatures(s, 'tiers[0]', { malwareScan: 'FULL_SCAN' }),
};

/** The scope every example runs in: `Estate/Backups`, in an app of its own. */
export function exampleScope(): IConstruct {
  const app = new App({ analyticsReporting: false });
  return new Construct(new Stack(app, 'Estate', { env: { account: '123456789012', region: 'eu-west-1' } }), 'Backups');
}
