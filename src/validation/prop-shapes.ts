import { RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { checkPropType, checkPropTypes, PropShapes, T } from './prop-types';
import { AdditionalResourceType } from '../backup-system/additional-resource-type';
import { ReportFormat, ReportTemplate } from '../backup-system/audit-options';
import { IndexedResourceType } from '../backup-system/backup-indexes';
import { KeyStrategy } from '../backup-system/key-strategy';
import { MalwareScanMode } from '../backup-system/malware-scanning';
import { RestoreTestingAlgorithm, RestoreTestingResourceType } from '../backup-system/restore-testing-options';
import { PolicyInheritance, RegionConcurrency, RegionsOperator } from '../organization/organization-options';

/*
 * The runtime shape of each public props interface (see prop-types.ts for why). Keep each
 * table beside its interface's fields in the same order; a field missing here is simply not
 * type-checked at runtime.
 */

const removalPolicy = T.enumOf('RemovalPolicy', RemovalPolicy as unknown as Record<string, string>);

export const VAULT_LOCK_SHAPE: PropShapes = {
  minRetention: T.requiredDuration,
  maxRetention: T.duration,
  changeableFor: T.duration,
};

export const AUDITED_VAULT_SHAPE: PropShapes = {
  vaultName: T.string,
  encryptionKey: T.construct,
  vaultLock: T.shape(VAULT_LOCK_SHAPE),
  airGapped: T.boolean,
  notificationTopic: T.construct,
  alertKey: T.construct,
  notificationEvents: T.arrayOf(T.enumOf('BackupVaultEvents', backup.BackupVaultEvents as unknown as Record<string, string>)),
  events: T.arrayOf(T.object),
  allowDeletionBy: T.constructs,
  allowCopyFromAccounts: T.strings,
  allowCopyFromOrganization: T.string,
  handlerVpc: T.construct,
  failureAlerts: T.boolean,
  mpaApprovalTeamArn: T.string,
  removalPolicy,
};

/** BackupTierProps: checked where a tier joins a system or a policy, under `tiers['<name>']`. */
export const BACKUP_TIER_SHAPE: PropShapes = {
  name: { kind: 'string', required: true },
  schedule: { kind: 'schedule', required: true },
  retention: T.requiredDuration,
  continuous: T.boolean,
  moveToColdStorageAfter: T.duration,
  airGapped: T.boolean,
  copyToDr: T.boolean,
  copyTo: T.constructs,
  copyRetention: T.duration,
  copyMoveToColdStorageAfter: T.duration,
  startWindow: T.duration,
  completionWindow: T.duration,
  scheduleTimeZone: T.string,
  recoveryPointTags: T.stringRecord,
  archiveEbsSnapshots: T.boolean,
  malwareScan: T.enumOf('MalwareScanMode', MalwareScanMode as unknown as Record<string, string>),
  backupIndexes: T.arrayOf(T.enumOf('IndexedResourceType', IndexedResourceType as unknown as Record<string, string>)),
};

const AUDIT_SHAPE: PropShapes = {
  frameworkName: T.string,
  reportFormats: T.arrayOf(T.enumOf('ReportFormat', ReportFormat as unknown as Record<string, string>)),
  reportBucket: T.construct,
  reportObjectLockRetention: T.duration,
  configRecorder: T.boolean,
  framework: T.boolean,
  reportTemplates: T.arrayOf(T.enumOf('ReportTemplate', ReportTemplate as unknown as Record<string, string>)),
  maxRestoreTime: T.duration,
};

const LANDING_STORAGE_SHAPE: PropShapes = {
  objectLockMode: T.enumOf('s3.ObjectLockMode', s3.ObjectLockMode as unknown as Record<string, string>),
  objectLockRetention: T.duration,
  transitionToColdAfter: T.duration,
  noncurrentVersionExpiration: T.duration,
};

export const RESTORE_TESTING_SHAPE: PropShapes = {
  planName: T.string,
  schedule: T.schedule,
  scheduleTimeZone: T.string,
  startWindow: T.duration,
  selectionWindow: T.duration,
  algorithm: T.enumOf('RestoreTestingAlgorithm', RestoreTestingAlgorithm as unknown as Record<string, string>),
  selections: T.arrayOf(T.shape({
    resourceType: { kind: 'enum', name: 'RestoreTestingResourceType', values: RestoreTestingResourceType as unknown as Record<string, string>, required: true },
    restoreMetadataOverrides: T.stringRecord,
    validationWindow: T.duration,
    protectedResourceArns: T.strings,
    name: T.string,
  })),
};

/** A ComplianceProfile as the constructs read it (a custom profile's fields come from the user). */
export const COMPLIANCE_PROFILE_SHAPE: PropShapes = {
  name: { kind: 'string', required: true },
  minRetention: T.duration,
  maxBackupInterval: T.duration,
  lockMode: T.string,
  requireCrossRegionCopy: T.boolean,
  requireCustomerManagedKey: T.boolean,
};

export const COMPLIANT_BACKUP_SYSTEM_SHAPE: PropShapes = {
  tiers: T.arrayOf(T.object),
  profile: T.shape(COMPLIANCE_PROFILE_SHAPE),
  selectionTags: T.stringRecord,
  vault: T.shape(AUDITED_VAULT_SHAPE),
  airGappedVault: T.boolean,
  audit: T.shape(AUDIT_SHAPE),
  catalog: T.boolean,
  landingStorage: T.shape(LANDING_STORAGE_SHAPE),
  tenants: T.strings,
  restoreTesting: T.shape(RESTORE_TESTING_SHAPE),
  alarmTopic: T.construct,
  planName: T.string,
  handlerVpc: T.construct,
  keyStrategy: T.enumOf('KeyStrategy', KeyStrategy as unknown as Record<string, string>),
  removalPolicy,
  selectionConditions: T.shape({ stringLike: T.stringRecord, stringNotEquals: T.stringRecord, stringNotLike: T.stringRecord }),
  excludeResources: T.strings,
  legalHolds: T.arrayOf(T.object),
  s3LowCostTier: T.shape({ tierDownAfter: T.requiredDuration }),
  advancedBackupSettings: T.shape({ windowsVss: T.boolean, s3BackupAcls: T.boolean, s3BackupObjectTags: T.boolean }),
  additionalResourceTypes: T.arrayOf(T.enumOf('AdditionalResourceType', AdditionalResourceType as unknown as Record<string, string>)),
};

/** LegalHoldOptions: checked for each `legalHolds` entry and each `addLegalHold()` call. */
export const LEGAL_HOLD_SHAPE: PropShapes = {
  title: T.requiredString,
  description: T.requiredString,
  vaults: T.constructs,
  resourceArns: T.strings,
  dateRange: T.shape({ fromDate: { kind: 'object', required: true }, toDate: { kind: 'object', required: true } }),
  removalPolicy,
};

const FAILOVER_SHAPE: PropShapes = {
  activeRegionParameterName: T.string,
  hostedZone: T.construct,
  recordName: T.string,
  healthCheckDomainName: T.string,
  healthCheckPath: T.string,
  stepTimeout: T.duration,
};

export const CROSS_REGION_DR_SHAPE: PropShapes = {
  drRegion: T.requiredString,
  rpo: T.requiredDuration,
  rto: T.requiredDuration,
  backupSystem: T.construct,
  replicateBuckets: T.constructs,
  failover: T.shape(FAILOVER_SHAPE),
  notificationTopic: T.construct,
  drVault: T.shape(AUDITED_VAULT_SHAPE),
  databaseNetwork: T.object,
  readinessInterval: T.duration,
  removalPolicy,
};

export const ORGANIZATION_BACKUP_POLICY_SHAPE: PropShapes = {
  tiers: T.arrayOf(T.object),
  profile: T.shape(COMPLIANCE_PROFILE_SHAPE),
  targets: { kind: 'array', of: T.object, required: true },
  regions: { kind: 'array', of: T.string, required: true },
  regionsOperator: T.enumOf('RegionsOperator', RegionsOperator as unknown as Record<string, string>),
  inheritance: T.enumOf('PolicyInheritance', PolicyInheritance as unknown as Record<string, string>),
  selectionTags: T.stringRecord,
  policyName: T.string,
  planName: T.string,
  memberVaultName: T.string,
  memberVaultLock: T.shape(VAULT_LOCK_SHAPE),
  memberRoleName: T.string,
  homeRegion: T.string,
  drRegion: T.string,
  organizationRootId: T.string,
  windowsVss: T.boolean,
  delegatedAdmin: T.boolean,
  maxConcurrentPercentage: T.number,
  failureTolerancePercentage: T.number,
  regionConcurrency: T.enumOf('RegionConcurrency', RegionConcurrency as unknown as Record<string, string>),
  retainStacksOnAccountRemoval: T.boolean,
  expectedMemberAccounts: T.number,
  reports: T.boolean,
  removalPolicy,
};

/** A tier as a JavaScript user may pass it: a BackupTier (from BackupTier.daily() etc.) with well-typed props. */
export function checkBackupTierShape(scope: IConstruct, prop: string, tier: unknown): void {
  const props = (tier as { props?: unknown } | undefined)?.props;
  if (typeof tier !== 'object' || tier === null || typeof props !== 'object' || props === null) {
    checkPropType(scope, prop, tier, { kind: 'construct', required: true });
    fail(scope, prop, 'an object without tier props', 'expected a BackupTier (BackupTier.daily(), .weekly(), ... or new BackupTier({...}))');
  }
  checkPropTypes(scope, prop, props, BACKUP_TIER_SHAPE);
}

export const REPLICATE_BUCKET_SHAPE: PropShapes = {
  replicaBucketName: T.string,
  storageClass: T.object,
  replicateDeleteMarkers: T.boolean,
};

export const AURORA_GLOBAL_CLUSTER_SHAPE: PropShapes = {
  globalClusterIdentifier: T.string,
  secondaryClusterIdentifier: T.string,
  secondaryInstanceClass: T.object,
  secondaryInstances: T.number,
};

export const RDS_READ_REPLICA_SHAPE: PropShapes = {
  replicaIdentifier: T.string,
  instanceClass: T.object,
  multiAz: T.boolean,
};
