import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { RESTORABLE_BY_BACKUP_ROLE } from './backup-service-policy';
import { BackupCatalog } from './catalog';
import { CompliantBackupSystemProps } from './compliant-backup-system-props';
import { LandingStorage } from './landing-storage';
import { RestoreTesting } from './restore-testing';
import { IAuditedVault } from '../audited-vault-props';
import { KeyProvider } from '../private/key-provider';
import { ComplianceRuleError } from '../validation/errors';

/** What the catalog, landing storage and restore testing share with the rest of the system. */
export interface DataServiceContext {
  readonly alarmTopic: sns.ITopic;
  /** The vaults the plan's own rules back up into: primary, then air-gapped. */
  readonly vaults: IAuditedVault[];
  readonly accessLogBucket: s3.IBucket;
  readonly backupRole: iam.IRole;
  readonly selectionTags: Record<string, string>;
  readonly removalPolicy: RemovalPolicy;
  readonly keys: KeyProvider;
}

/** The system's data services, each present when its prop asks for it. */
export interface DataServices {
  readonly catalog?: BackupCatalog;
  readonly landing?: LandingStorage;
  readonly restoreTesting?: RestoreTesting;
}

/**
 * The catalog (on by default), landing storage and restore testing of a `CompliantBackupSystem`,
 * created in `system`'s scope with the construct ids they have always had (`Catalog`,
 * `LandingStorage`, `RestoreTesting`): their logical IDs are public API.
 */
export function createDataServices(system: Construct, props: CompliantBackupSystemProps, ctx: DataServiceContext): DataServices {
  const shared = { alarmTopic: ctx.alarmTopic, removalPolicy: ctx.removalPolicy, handlerVpc: props.handlerVpc, keys: ctx.keys };
  const tenants = props.tenants ?? [];
  const catalog = (props.catalog ?? true) ? new BackupCatalog(system, 'Catalog', {
    ...shared,
    tenants,
    vaultNames: ctx.vaults.map((v) => v.backupVaultName),
  }) : undefined;

  let landing: LandingStorage | undefined;
  if (props.landingStorage) {
    if (!catalog) {
      throw new ComplianceRuleError(system, 'catalog', 'false',
        'landingStorage records a verified checksum of every object in the catalog: leave catalog on');
    }
    landing = new LandingStorage(system, 'LandingStorage', props.landingStorage, {
      ...shared,
      accessLogBucket: ctx.accessLogBucket,
      catalogTable: catalog.table,
      tenants,
    });
  } else if (tenants.length > 0) {
    throw new ComplianceRuleError(system, 'tenants', `[${tenants.join(', ')}]`,
      'tenants own prefixes of landing storage: set landingStorage too');
  }

  const restoreTesting = props.restoreTesting ? new RestoreTesting(system, 'RestoreTesting', props.restoreTesting, {
    ...shared,
    sourceVaultArns: ctx.vaults.map((v) => v.backupVaultArn),
    selectionTags: ctx.selectionTags,
    excludedTags: props.selectionConditions?.stringNotEquals,
    restoreRole: ctx.backupRole,
    restorableTypes: RESTORABLE_BY_BACKUP_ROLE,
    catalog,
    unreadableBuckets: landing ? [landing.bucket] : [],
  }) : undefined;
  return { catalog, landing, restoreTesting };
}
